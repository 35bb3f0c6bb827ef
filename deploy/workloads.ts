import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IContainer, IEnvVar, IPersistentVolumeClaim, IProbe, IService, IServiceAccount, IVolume, IVolumeMount } from 'kubernetes-models/v1';
import { configVolume, mountPaths, type ConfigFile } from './config-maps.ts';
import { redisUrl } from './redis.ts';
import { secrets } from './secrets.ts';
import { appUser, containerSecurity, podSecurity } from './security.ts';
import { serviceUrl, type ConfigInput, type ServiceDescription } from './services.ts';

/** What every Deployment shares: the image, the namespace and the config files. */
export interface WorkloadOptions {
  image: string;
  namespace: string;
  files: readonly ConfigFile[];
}

const fromSecret = (name: string, secret: string, key: string, optional: boolean): IEnvVar => ({ name, valueFrom: { secretKeyRef: { name: secret, key, optional } } });

/** The variables every service reads (lib/env.ts), then the service's own. */
function envFor(s: ServiceDescription): IEnvVar[] {
  const plain = (name: string, value: string): IEnvVar => ({ name, value });
  const { github, hmac, s3 } = secrets;
  return [
    plain('REDIS_URL', redisUrl),
    plain('LOG_LEVEL', 'info'),
    // One Secret for either kind of GitHub credentials: `token`, or the App's `appid` and private key `cert`.
    fromSecret('GITHUB_TOKEN', github.name, github.keys.token, true),
    fromSecret('GITHUB_APP_ID', github.name, github.keys.appId, true),
    fromSecret('GITHUB_APP_PRIVATE_KEY', github.name, github.keys.privateKey, true),
    fromSecret('WEBHOOK_SECRET', hmac.name, hmac.keys.hmac, false),
    ...(s.viaGhproxy ? [plain('GHPROXY_URL', serviceUrl('ghproxy'))] : []),
    plain(s.portEnv, String(s.port)),
    ...Object.entries(s.env).map(([k, v]) => plain(k, v)),
    ...(s.storageCredentials
      ? [
          plain('GOOGLE_APPLICATION_CREDENTIALS', `${secrets.gcs.mountPath}/${secrets.gcs.keys.serviceAccount}`),
          fromSecret('AWS_ACCESS_KEY_ID', s3.name, s3.keys.accessKeyId, true),
          fromSecret('AWS_SECRET_ACCESS_KEY', s3.name, s3.keys.secretAccessKey, true),
        ]
      : []),
  ];
}

/** `prow start <service>` with the config files the service reads, where the ConfigMaps are mounted. */
export function argsFor(s: ServiceDescription, present: ReadonlySet<ConfigInput>): string[] {
  const args = ['start', s.service];
  const has = (input: ConfigInput): boolean => s.inputs.includes(input) && present.has(input);
  if (has('config')) args.push('--config-path', `${mountPaths.config}/config.yaml`);
  if (has('job-config')) args.push('--job-config-path', mountPaths['job-config']);
  if (has('plugins')) args.push('--plugin-config', `${mountPaths.plugins}/plugins.yaml`);
  return args;
}

function probe(initialDelaySeconds: number, failureThreshold: number): IProbe {
  return { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds, periodSeconds: 10, timeoutSeconds: 5, failureThreshold };
}

function volumesFor(s: ServiceDescription, files: readonly ConfigFile[], present: ReadonlySet<ConfigInput>): { volumes: IVolume[]; mounts: IVolumeMount[] } {
  const inputs = s.inputs.filter((i) => present.has(i));
  const volumes: IVolume[] = [...inputs.map((i) => configVolume(i, files)), { name: 'tmp', emptyDir: {} }];
  const mounts: IVolumeMount[] = [...inputs.map((i) => ({ name: i, mountPath: mountPaths[i], readOnly: true })), { name: 'tmp', mountPath: '/tmp' }];
  for (const dir of s.scratch) {
    volumes.push(dir.persistent === undefined ? { name: dir.name, emptyDir: {} } : { name: dir.name, persistentVolumeClaim: { claimName: `${s.name}-${dir.name}` } });
    mounts.push({ name: dir.name, mountPath: dir.path });
  }
  if (s.storageCredentials) {
    volumes.push({ name: 'gcs-credentials', secret: { secretName: secrets.gcs.name, optional: true } });
    mounts.push({ name: 'gcs-credentials', mountPath: secrets.gcs.mountPath, readOnly: true });
  }
  return { volumes, mounts };
}

/** One service's Deployment: the one image, `prow start <service>`, probes on /healthz, sized and locked down. */
export function deploymentFor(s: ServiceDescription, o: WorkloadOptions): IDeployment {
  const present = new Set(o.files.map((f) => f.configMap));
  const { volumes, mounts } = volumesFor(s, o.files, present);
  const persistent = s.scratch.some((d) => d.persistent !== undefined);
  const labels = { app: s.name };
  const container: IContainer = {
    name: s.name,
    image: o.image,
    args: argsFor(s, present),
    ports: [{ name: 'http', containerPort: s.port }],
    env: envFor(s),
    readinessProbe: probe(5, 3),
    livenessProbe: probe(30, 6),
    resources: { requests: { cpu: s.resources.cpu, memory: s.resources.memory }, limits: { cpu: s.resources.cpuLimit, memory: s.resources.memoryLimit } },
    securityContext: containerSecurity(),
    volumeMounts: mounts,
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: s.name, namespace: o.namespace, labels },
    spec: {
      replicas: s.replicas,
      selector: { matchLabels: labels },
      // A ReadWriteOnce claim can be mounted by one Pod at a time: the old one goes before the new one comes.
      ...(persistent ? { strategy: { type: 'Recreate' } } : {}),
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: s.name,
          automountServiceAccountToken: s.grants.length > 0,
          securityContext: podSecurity(appUser),
          terminationGracePeriodSeconds: 30,
          containers: [container],
          volumes,
        },
      },
    },
  };
}

/** The claims of a service's persistent scratch directories. */
export function claimsFor(s: ServiceDescription, namespace: string): IPersistentVolumeClaim[] {
  return s.scratch.flatMap((dir) =>
    dir.persistent === undefined
      ? []
      : [{ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: `${s.name}-${dir.name}`, namespace, labels: { app: s.name } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: dir.persistent } } } }],
  );
}

/** The ClusterIP Service in front of a Deployment, on the service's own port. */
export function serviceFor(s: ServiceDescription, namespace: string): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: s.name, namespace, labels: { app: s.name } },
    spec: { selector: { app: s.name }, ports: [{ name: 'http', port: s.port, targetPort: 'http' }] },
  };
}

/** A service's own account; its token is mounted only where it has Kubernetes grants. */
export function serviceAccountFor(s: ServiceDescription, namespace: string): IServiceAccount {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: s.name, namespace, labels: { app: s.name } }, automountServiceAccountToken: s.grants.length > 0 };
}
