import type { IRole, IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import type { GrantNamespace, ServiceDescription } from './services.ts';

/** Prow's two namespaces, as config.yaml names them. */
export type Namespaces = Readonly<Record<GrantNamespace, string>>;

/**
 * One Role and RoleBinding per service and namespace it has grants in: namespaced, so nothing reaches past
 * `prowjob_namespace` and `pod_namespace`, and no ClusterRole at all.
 */
export function rbacFor(s: ServiceDescription, namespaces: Namespaces, accountNamespace: string): (IRole | IRoleBinding)[] {
  const where = [...new Set(s.grants.map((g) => g.namespace))];
  return where.flatMap((ns): (IRole | IRoleBinding)[] => {
    const namespace = namespaces[ns];
    const metadata = { name: `prow-${s.name}`, namespace, labels: { app: s.name } };
    const rules = s.grants.filter((g) => g.namespace === ns).map((g) => ({ apiGroups: [g.apiGroup], resources: [g.resource], verbs: [...g.verbs] }));
    return [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata, rules },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: metadata.name },
        subjects: [{ kind: 'ServiceAccount', name: s.name, namespace: accountNamespace }],
      },
    ];
  });
}
