/**
 * What starter.yaml runs, as data: each prow-ts service's port, environment, files, Kubernetes access and size.
 * The generator (starter.ts) turns this into Deployments, Services and RBAC; the tests check it against the
 * code (the ports and variables services read, the Kubernetes calls they make).
 */

/** Where a grant applies: Prow's `prowjob_namespace` or `pod_namespace`, read from config.yaml. */
export type GrantNamespace = 'prowjob_namespace' | 'pod_namespace';

/** One Role rule: verbs on a resource of an API group, in one of Prow's two namespaces. */
export interface Grant {
  namespace: GrantNamespace;
  apiGroup: string;
  resource: string;
  verbs: readonly string[];
}

/** A file-backed input a service reads: one of the ConfigMaps of config-maps.ts, mounted read-only. */
export type ConfigInput = 'config' | 'job-config' | 'plugins' | 'boskos-resources' | 'testgrid';

/** A writable directory a service needs under a read-only root filesystem. */
export interface ScratchDir {
  name: string;
  path: string;
  /** A PersistentVolumeClaim of this size (kept across restarts); an emptyDir otherwise. */
  persistent?: string | undefined;
}

/** One Deployment of a prow-ts service: `prow start <service>`, its role chosen by `env` where it has roles. */
export interface ServiceDescription {
  /** The Deployment's name, and its Service's, ServiceAccount's and Roles' (`prow-<name>`). */
  name: string;
  /** The service in services/index.ts it runs. */
  service: string;
  /**
   * The module this Deployment's code starts from: the service's index.ts, or the file of the role `env`
   * picks. The RBAC test follows its imports to find the Kubernetes calls the Deployment can make.
   */
  entry: string;
  replicas: number;
  /** The port it listens on (/healthz, /metrics and its API), set through `portEnv`. */
  port: number;
  /** The variable the service reads its port from. */
  portEnv: string;
  /** Variables beside the ones every service gets (Redis, GitHub, the webhook secret, ghproxy). */
  env: Readonly<Record<string, string>>;
  inputs: readonly ConfigInput[];
  scratch: readonly ScratchDir[];
  /** What it may do through the Kubernetes API; none means no service account token is mounted. */
  grants: readonly Grant[];
  /** Whether it sends GitHub calls through ghproxy (every service but ghproxy itself). */
  viaGhproxy: boolean;
  /** Storage credentials (GCS key file, S3 keys) for uploading job results. */
  storageCredentials: boolean;
  resources: { cpu: string; memory: string; cpuLimit: string; memoryLimit: string };
}

/** The ports starter.yaml gives each service (Prow's where Prow has one: hook 8888, Boskos 8080, controller-manager 8081). */
export const servicePorts = { hook: 8888, 'hook-workers': 8888, controller: 8081, tide: 8889, boskos: 8080, ghproxy: 8890, 'testgrid-ui': 8891 } as const;

/** A service's URL inside the `prow` namespace: its Kubernetes Service name and port. */
export function serviceUrl(name: keyof typeof servicePorts): string {
  return `http://${name}:${String(servicePorts[name])}`;
}

const prowjobs = (verbs: readonly string[]): Grant => ({ namespace: 'prowjob_namespace', apiGroup: 'prow.k8s.io', resource: 'prowjobs', verbs });
/** Whoever creates or updates ProwJobs writes their status through the status subresource too. */
const prowjobStatus: Grant = { namespace: 'prowjob_namespace', apiGroup: 'prow.k8s.io', resource: 'prowjobs/status', verbs: ['update'] };

const small = { cpu: '50m', memory: '128Mi', cpuLimit: '500m', memoryLimit: '512Mi' };
const medium = { cpu: '100m', memory: '256Mi', cpuLimit: '1', memoryLimit: '1Gi' };

/** Every service starter.yaml deploys, in `prow start` order. */
export const deployedServices: readonly ServiceDescription[] = [
  {
    // hook's intake: answers GitHub (journal writes to Redis) and drains the journal into the events queue.
    // Two replicas, so a rollout or a lost node never leaves GitHub without an answer; the drainers share a
    // consumer group. It reads no job config, so a broken job file cannot stop webhooks being taken.
    name: 'hook',
    service: 'hook',
    entry: 'services/hook/intake-role.ts',
    replicas: 2,
    port: servicePorts.hook,
    portEnv: 'PORT',
    env: { HOOK_ROLE: 'intake' },
    inputs: ['config', 'plugins'],
    scratch: [],
    grants: [],
    viaGhproxy: true,
    storageCredentials: false,
    resources: small,
  },
  {
    // hook's workers: the plugins on the events queue, and stale aging. Scale these with the queue's depth.
    name: 'hook-workers',
    service: 'hook',
    entry: 'services/hook/workers-role.ts',
    replicas: 1,
    port: servicePorts['hook-workers'],
    portEnv: 'PORT',
    env: { HOOK_ROLE: 'workers', JOB_STORE: 'kubernetes' },
    inputs: ['config', 'job-config', 'plugins'],
    scratch: [],
    // trigger: lists a PR's runs, creates ProwJobs, aborts superseded ones (read-modify-write).
    grants: [prowjobs(['create', 'get', 'list', 'update']), prowjobStatus],
    viaGhproxy: true,
    storageCredentials: false,
    resources: medium,
  },
  {
    name: 'controller',
    service: 'controller',
    entry: 'services/controller/index.ts',
    replicas: 1,
    port: servicePorts.controller,
    portEnv: 'CONTROLLER_PORT',
    env: { JOB_STORE: 'kubernetes', JOB_RUNNER: 'pod' },
    inputs: ['config', 'job-config', 'plugins'],
    scratch: [],
    grants: [
      // plank and crier watch and update, horologium creates, sinker deletes.
      prowjobs(['create', 'delete', 'get', 'list', 'update', 'watch']),
      prowjobStatus,
      // The pod runner: an informer on the job Pods, create on start, delete on abort and by sinker.
      { namespace: 'pod_namespace', apiGroup: '', resource: 'pods', verbs: ['create', 'delete', 'list', 'watch'] },
      // crier's podinfo.json carries the Pod's events.
      { namespace: 'pod_namespace', apiGroup: '', resource: 'events', verbs: ['list'] },
    ],
    viaGhproxy: true,
    storageCredentials: true,
    resources: medium,
  },
  {
    name: 'tide',
    service: 'tide',
    entry: 'services/tide/index.ts',
    replicas: 1,
    port: servicePorts.tide,
    portEnv: 'TIDE_PORT',
    env: { JOB_STORE: 'kubernetes', TIDE_WORKDIR: '/var/lib/tide' },
    inputs: ['config', 'job-config', 'plugins'],
    scratch: [{ name: 'tide-workdir', path: '/var/lib/tide' }],
    // Train jobs: created, watched, read and aborted.
    grants: [prowjobs(['create', 'get', 'list', 'update', 'watch']), prowjobStatus],
    viaGhproxy: true,
    storageCredentials: false,
    resources: medium,
  },
  {
    name: 'boskos',
    service: 'boskos',
    entry: 'services/boskos/index.ts',
    replicas: 1,
    port: servicePorts.boskos,
    portEnv: 'BOSKOS_PORT',
    env: { BOSKOS_CONFIG: '/etc/boskos/boskos.yaml' },
    inputs: ['config', 'boskos-resources'],
    scratch: [],
    grants: [],
    viaGhproxy: true,
    storageCredentials: false,
    resources: small,
  },
  {
    name: 'ghproxy',
    service: 'ghproxy',
    entry: 'services/ghproxy/index.ts',
    replicas: 1,
    port: servicePorts.ghproxy,
    portEnv: 'GHPROXY_PORT',
    // A disk cache on a volume of its own, as Prow's ghproxy (--cache-dir=/cache); 9 GiB of a 10 GiB claim.
    env: { GHPROXY_CACHE: 'disk', GHPROXY_CACHE_DIR: '/cache', GHPROXY_CACHE_SIZE_MB: '9216' },
    inputs: ['config'],
    scratch: [{ name: 'cache', path: '/cache', persistent: '10Gi' }],
    grants: [],
    viaGhproxy: false,
    storageCredentials: false,
    resources: small,
  },
  {
    name: 'testgrid-ui',
    service: 'testgrid-ui',
    entry: 'services/testgrid-ui/index.ts',
    replicas: 1,
    port: servicePorts['testgrid-ui'],
    portEnv: 'TESTGRID_PORT',
    // Tide's pools and hook's plugin help over HTTP, as deck reads them.
    env: { TESTGRID_TIDE_URL: serviceUrl('tide'), TESTGRID_HOOK_URL: serviceUrl('hook') },
    inputs: ['config', 'testgrid'],
    scratch: [],
    grants: [],
    viaGhproxy: true,
    storageCredentials: true,
    resources: small,
  },
];
