import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { IDeployment, IStatefulSet } from 'kubernetes-models/apps/v1';
import type { IConfigMap, IContainer, IPodSpec, IService } from 'kubernetes-models/v1';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { readEnv } from '../lib/env.ts';
import { services } from '../services/index.ts';
import { configFiles, filesUnder } from './config-maps.ts';
import { generatedStarter, starterPath } from './generate.ts';
import { deployedServices, servicePorts } from './services.ts';
import { defaultConfigDir, type KubeObject } from './starter.ts';
import { kubeSchemaErrors } from './testing/kube-validate.ts';

let objects: KubeObject[];

/** starter.yaml as kubectl reads it: the committed file, not the generator's memory. */
beforeAll(() => {
  objects = parseAllDocuments(readFileSync(starterPath, 'utf8')).map((d) => d.toJS() as KubeObject);
});

const ofKind = <T>(kind: string): T[] => objects.filter((o) => o.kind === kind) as T[];
const deployment = (name: string): IDeployment => {
  const found = ofKind<IDeployment>('Deployment').find((d) => d.metadata?.name === name);
  if (found === undefined) throw new Error(`no Deployment ${name}`);
  return found;
};
const podOf = (w: IDeployment | IStatefulSet): IPodSpec => {
  const spec = w.spec?.template.spec;
  if (spec === undefined) throw new Error(`${w.metadata?.name ?? ''} has no pod spec`);
  return spec;
};
const onlyContainer = (w: IDeployment | IStatefulSet): IContainer => {
  const [c] = podOf(w).containers;
  if (c === undefined) throw new Error('no container');
  return c;
};

describe('starter.yaml', () => {
  it('is what deploy/generate.ts writes from config/ today', async () => {
    expect(readFileSync(starterPath, 'utf8')).toBe(await generatedStarter());
  });

  it('validates, object by object, against Kubernetes’ OpenAPI schema for its kind and version', () => {
    expect(objects.length).toBeGreaterThan(30);
    const problems = objects.flatMap((o) => kubeSchemaErrors(o).map((e) => `${o.kind} ${o.metadata?.name ?? ''}: ${e}`));
    expect(problems).toEqual([]);
  });

  it('would be refused with a misspelled field, a wrong type or a missing required field', () => {
    type Editable = KubeObject & { spec: { template: { spec: { containers: Record<string, unknown>[] } }; selector?: unknown } };
    const edited = (edit: (d: Editable, container: Record<string, unknown>) => void): string[] => {
      const d = structuredClone(deployment('hook')) as unknown as Editable;
      const [container] = d.spec.template.spec.containers;
      if (container === undefined) throw new Error('no container');
      edit(d, container);
      return kubeSchemaErrors(JSON.parse(JSON.stringify(d)) as KubeObject);
    };
    expect(edited(() => undefined)).toEqual([]);
    expect(edited((_, c) => { c.readinesProbe = c.readinessProbe; })).toEqual(['Deployment.spec.template.spec.containers[0].readinesProbe: unknown field']);
    expect(edited((_, c) => { c.ports = [{ name: 'http', containerPort: '8888' }]; }).join()).toMatch(/containerPort must be integer/);
    expect(edited((d) => { d.spec.selector = undefined; }).join()).toMatch(/must have required property selector/);
  });

  it('creates the namespaces, the CRD, and no Secret and nothing cluster-wide but those', () => {
    expect(ofKind<KubeObject>('Namespace').map((n) => n.metadata?.name)).toEqual(['prow', 'test-pods']);
    expect(objects.filter((o) => o.metadata?.namespace === undefined).map((o) => o.kind)).toEqual(['Namespace', 'Namespace', 'CustomResourceDefinition']);
    expect(objects.filter((o) => ['Secret', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind))).toEqual([]);
  });

  it('runs every service prow start knows, each as `prow start <service>` on its port with probes on /healthz', () => {
    const started = deployedServices.map((s) => s.service);
    for (const s of services) expect(started).toContain(s.name);
    for (const s of deployedServices) {
      expect(services.map((known) => known.name)).toContain(s.service);
      const d = deployment(s.name);
      const c = onlyContainer(d);
      expect(c.args?.slice(0, 2)).toEqual(['start', s.service]);
      expect(c.ports).toEqual([{ name: 'http', containerPort: servicePorts[s.name as keyof typeof servicePorts] }]);
      expect(c.env).toContainEqual({ name: s.portEnv, value: String(s.port) });
      for (const p of [c.readinessProbe, c.livenessProbe]) expect(p?.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(c.resources?.requests).toBeDefined();
      expect(c.resources?.limits).toBeDefined();
    }
  });

  it('runs hook as two Deployments: the intake behind the Service and the Ingress, and the workers with the ProwJob grants', () => {
    const role = (name: string) => readEnv(Object.fromEntries((onlyContainer(deployment(name)).env ?? []).flatMap((e) => (e.value === undefined ? [] : [[e.name, e.value]])))).hookRole;
    expect([role('hook'), role('hook-workers')]).toEqual(['intake', 'workers']);
    expect([deployment('hook').spec?.replicas, deployment('hook-workers').spec?.replicas]).toEqual([2, 1]);
    // The intake calls nothing of Kubernetes: no Role, and no token in its Pods.
    expect(podOf(deployment('hook')).automountServiceAccountToken).toBe(false);
    expect(podOf(deployment('hook-workers')).automountServiceAccountToken).toBe(true);
    const bound = ofKind<IRoleBinding>('RoleBinding').flatMap((b) => (b.subjects ?? []).map((s) => s.name));
    expect(bound).not.toContain('hook');
    expect(bound).toContain('hook-workers');
    // Each Service selects its own Deployment's Pods alone, so webhooks reach the intake only.
    const hookService = ofKind<IService>('Service').find((s) => s.metadata?.name === 'hook');
    expect(hookService?.spec?.selector).toEqual(deployment('hook').spec?.selector.matchLabels);
    expect(deployment('hook-workers').spec?.template.metadata?.labels).toEqual({ app: 'hook-workers' });
  });

  it('points every component but ghproxy at ghproxy, and ghproxy at nothing but GitHub', () => {
    for (const d of ofKind<IDeployment>('Deployment')) {
      const env = onlyContainer(d).env ?? [];
      const ghproxy = env.find((e) => e.name === 'GHPROXY_URL')?.value;
      expect(ghproxy, d.metadata?.name).toBe(d.metadata?.name === 'ghproxy' ? undefined : `http://ghproxy:${String(servicePorts.ghproxy)}`);
    }
  });

  it('runs every container as a non-root user, without capabilities, on a read-only root filesystem', () => {
    const workloads = [...ofKind<IDeployment>('Deployment'), ...ofKind<IStatefulSet>('StatefulSet')];
    expect(workloads).toHaveLength(deployedServices.length + 1);
    for (const w of workloads) {
      const pod = podOf(w);
      expect(pod.securityContext?.runAsNonRoot, w.metadata?.name).toBe(true);
      expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
      for (const c of pod.containers) {
        expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
        // A read-only root needs somewhere to write: every writable path is a volume.
        const volumes = [...(pod.volumes ?? []).map((v) => v.name), ...(w.kind === 'StatefulSet' ? (w.spec?.volumeClaimTemplates ?? []).map((t) => t.metadata?.name) : [])];
        expect(c.volumeMounts?.every((m) => volumes.includes(m.name))).toBe(true);
      }
    }
  });

  it('keeps Redis on a claim with the append-only file on', () => {
    const [redis] = ofKind<IStatefulSet>('StatefulSet');
    if (redis === undefined) throw new Error('no Redis');
    expect(onlyContainer(redis).args).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(redis.spec?.volumeClaimTemplates?.map((t) => t.metadata?.name)).toEqual(['data']);
    for (const d of ofKind<IDeployment>('Deployment')) expect(onlyContainer(d).env).toContainEqual({ name: 'REDIS_URL', value: 'redis://redis:6379' });
  });

  it('routes /hook and /plugin-help to hook and the rest to the dashboard', () => {
    const [ingress] = ofKind<IIngress>('Ingress');
    const paths = ingress?.spec?.rules?.flatMap((r) => r.http?.paths ?? []).map((p) => [p.path, p.pathType, p.backend.service?.name, p.backend.service?.port?.number]);
    expect(paths).toEqual([['/hook', 'Prefix', 'hook', 8888], ['/plugin-help', 'Exact', 'hook', 8888], ['/', 'Prefix', 'testgrid-ui', 8891]]);
    const serviceNames = ofKind<KubeObject>('Service').map((s) => s.metadata?.name);
    for (const [, , name] of paths ?? []) expect(serviceNames).toContain(name);
  });

  it('refers to the webhook and GitHub Secrets by Prow’s names and keys', () => {
    const env = onlyContainer(deployment('hook')).env ?? [];
    expect(env.find((e) => e.name === 'WEBHOOK_SECRET')?.valueFrom?.secretKeyRef).toEqual({ name: 'hmac-token', key: 'hmac', optional: false });
    expect(env.find((e) => e.name === 'GITHUB_APP_PRIVATE_KEY')?.valueFrom?.secretKeyRef).toEqual({ name: 'github-token', key: 'cert', optional: true });
    expect(env.find((e) => e.name === 'GITHUB_APP_ID')?.valueFrom?.secretKeyRef).toEqual({ name: 'github-token', key: 'appid', optional: true });
  });
});

describe('the ConfigMaps', () => {
  it('hold every file of config/, byte for byte', () => {
    const maps = new Map(ofKind<IConfigMap>('ConfigMap').map((m) => [m.metadata?.name, m.data ?? {}]));
    const carried = configFiles(defaultConfigDir);
    for (const f of carried) expect(maps.get(f.configMap)?.[f.key], f.source).toBe(readFileSync(f.source, 'utf8'));
    expect(carried.map((f) => relative(defaultConfigDir, f.source)).sort()).toEqual(filesUnder(defaultConfigDir).map((f) => relative(defaultConfigDir, f)).sort());
    expect([...maps.keys()].sort()).toEqual([...new Set(carried.map((f) => f.configMap))].sort());
  });

  it('are mounted where each service is told to read them, job configs in their folders', () => {
    const workers = deployment('hook-workers');
    const c = onlyContainer(workers);
    expect(c.args).toEqual(['start', 'hook', '--config-path', '/etc/config/config.yaml', '--job-config-path', '/etc/job-config', '--plugin-config', '/etc/plugins/plugins.yaml']);
    // The intake reads no jobs: a broken job file cannot keep it from taking webhooks.
    expect(onlyContainer(deployment('hook')).args).toEqual(['start', 'hook', '--config-path', '/etc/config/config.yaml', '--plugin-config', '/etc/plugins/plugins.yaml']);
    const jobs = podOf(workers).volumes?.find((v) => v.name === 'job-config')?.configMap?.items;
    expect(jobs).toContainEqual({ key: 'prow-demo__hello-presubmits.yaml', path: 'prow-demo/hello-presubmits.yaml' });
    const boskos = onlyContainer(deployment('boskos'));
    expect(boskos.env).toContainEqual({ name: 'BOSKOS_CONFIG', value: '/etc/boskos/boskos.yaml' });
    expect(boskos.volumeMounts).toContainEqual({ name: 'boskos-resources', mountPath: '/etc/boskos', readOnly: true });
  });
});
