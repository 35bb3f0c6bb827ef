import { existsSync, readFileSync } from 'node:fs';
import type { IRole, IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { starterPath } from './generate.ts';
import { deployedServices, type GrantNamespace } from './services.ts';
import { backendCalls, kubeBackends, serviceReach, type KubeCall, type ServiceReach } from './testing/kube-calls.ts';

/** Where each Deployment's code starts (its service, or the role it runs), for those whose code exists yet. */
const entries: Record<string, string> = Object.fromEntries(
  deployedServices.map((s): [string, string] => [s.name, s.entry]).filter(([, entry]) => existsSync(new URL(`../${entry}`, import.meta.url))),
);
let reach: Map<string, ServiceReach>;

beforeAll(() => {
  reach = serviceReach(entries);
}, 120_000);

const key = (c: KubeCall): string => `${c.namespace} ${c.apiGroup || 'core'}/${c.resource} ${c.verb}`;

/** What a service's code calls in Kubernetes, with starter.yaml's environment choosing its backends. */
function neededBy(name: string): string[] {
  const service = deployedServices.find((s) => s.name === name);
  const r = reach.get(name);
  if (service === undefined || r === undefined) throw new Error(`no service ${name}`);
  const calls: KubeCall[] = [];
  for (const backend of kubeBackends) {
    const chosen = Object.entries(backend.chosenBy).every(([k, v]) => service.env[k] === v);
    if (!chosen || !r.factories.has(backend.factory)) continue;
    const byMethod = backendCalls(backend);
    calls.push(...(byMethod.get('(construction)') ?? []));
    for (const method of r.methods.get(backend.seam.name) ?? []) {
      const made = byMethod.get(method);
      if (made === undefined) throw new Error(`${name} calls ${backend.seam.name}.${method}, which ${backend.file} does not implement`);
      calls.push(...made);
    }
  }
  return [...new Set(calls.map(key))].sort();
}

/** What starter.yaml's Roles grant a service's account, by Prow namespace. */
function grantedTo(name: string, objects: { kind: string }[], namespaces: Record<string, GrantNamespace>): string[] {
  const bindings = objects.filter((o): o is IRoleBinding => o.kind === 'RoleBinding').filter((b) => b.subjects?.some((s) => s.kind === 'ServiceAccount' && s.name === name));
  const roles = objects.filter((o): o is IRole => o.kind === 'Role');
  const out = bindings.flatMap((b) => {
    const role = roles.find((r) => r.metadata?.name === b.roleRef.name && r.metadata.namespace === b.metadata?.namespace);
    const ns = namespaces[b.metadata?.namespace ?? ''];
    if (role === undefined || ns === undefined) throw new Error(`RoleBinding ${b.metadata?.name ?? ''} binds no Role of Prow's namespaces`);
    return (role.rules ?? []).flatMap((rule) => (rule.apiGroups ?? []).flatMap((g) => (rule.resources ?? []).flatMap((res) => rule.verbs.map((verb) => key({ namespace: ns, apiGroup: g, resource: res, verb })))));
  });
  return [...new Set(out)].sort();
}

describe('RBAC', () => {
  it('reads the Kubernetes calls from the backends’ source', () => {
    const [store, pods] = kubeBackends;
    const storeCalls = backendCalls(store);
    expect(storeCalls.get('update')?.map((c) => `${c.resource} ${c.verb}`).sort()).toEqual(['prowjobs get', 'prowjobs update', 'prowjobs/status update']);
    expect(storeCalls.get('watch')?.map((c) => c.verb).sort()).toEqual(['list', 'list', 'watch']);
    expect(storeCalls.get('create')?.[0]).toEqual({ namespace: 'prowjob_namespace', apiGroup: 'prow.k8s.io', resource: 'prowjobs', verb: 'create' });
    expect(storeCalls.get('create')).toContainEqual({ namespace: 'prowjob_namespace', apiGroup: 'prow.k8s.io', resource: 'prowjobs/status', verb: 'update' });
    expect(backendCalls(pods).get('podInfo')).toEqual([{ namespace: 'pod_namespace', apiGroup: '', resource: 'events', verb: 'list' }]);
  });

  it('grants each service exactly what its code calls, in the namespace it calls it in', () => {
    const objects = parseAllDocuments(readFileSync(starterPath, 'utf8')).map((d) => d.toJS() as { kind: string });
    const namespaces: Record<string, GrantNamespace> = { prow: 'prowjob_namespace', 'test-pods': 'pod_namespace' };
    const checked = Object.keys(entries);
    // Every service that has grants must be checked against its code.
    for (const s of deployedServices.filter((d) => d.grants.length > 0)) expect(checked).toContain(s.name);
    for (const name of checked) {
      expect(reach.get(name)?.strayClients, name).toEqual([]);
      expect({ service: name, granted: grantedTo(name, objects, namespaces) }).toEqual({ service: name, granted: neededBy(name) });
    }
    // hook's intake only takes webhooks into Redis; its workers run trigger, which creates ProwJobs.
    expect(neededBy('hook')).toEqual([]);
    // Whatever JOB_STORE says: the intake's code opens no Kubernetes backend at all.
    expect(reach.get('hook')?.factories).toEqual(new Set());
    expect(neededBy('hook-workers')).toContain('prowjob_namespace prow.k8s.io/prowjobs create');
    expect(neededBy('controller')).toContain('pod_namespace core/pods create');
  });
});
