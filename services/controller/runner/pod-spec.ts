import { prowLabels, type ProwJob } from '../../../lib/jobs/index.ts';
import { decoratedWorkdir, decorationEnv, downwardApiEnv, jobSpecOf, podDirs } from '../../../pod-utils/decoration-env.ts';
import { optionsEnv } from '../../../pod-utils/options.ts';

// Plain shapes of the Pod fields written here: client-node's model classes are for what it parses, and a
// literal is not an instance of them. The runner hands the object to client-node as its JSON.
interface EnvVar {
  name: string;
  value?: string;
}
interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}
interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  volumeMounts?: VolumeMount[];
  workingDir?: string;
}
interface Volume {
  name: string;
  emptyDir?: Record<string, never>;
  secret?: { secretName: string };
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  restartPolicy?: string;
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
}
/** A Pod as the Kubernetes API takes it. */
export interface PodObject {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: PodSpec;
}

/** What the Pod of a job is built with, beyond the job itself. */
export interface PodSpecOptions {
  /** The namespace when the job names none (Prow's `pod_namespace`). */
  namespace: string;
  /** The prow-ts image, whose entrypoint is `prow`: it runs the pod utilities. */
  utilityImage: string;
  /** Where decorated jobs upload, overriding gcs_configuration.bucket (optional). */
  bucket?: string;
}

const env = (vars: Record<string, string>) => Object.entries(vars).map(([name, value]) => ({ name, value }));

const mount = { logs: { name: 'logs', mountPath: podDirs.logs }, code: { name: 'code', mountPath: podDirs.code }, tools: { name: 'tools', mountPath: podDirs.tools } };

// The test container runs an image of the job's choosing, so it gets prow-ts's runtime copied into /tools by
// an init container: node and the checkout, as Prow's place-entrypoint copies its static entrypoint binary.
const placeEntrypoint = 'cp "$(command -v node)" /tools/node && cp -R /app /tools/prow-ts';
const toolsEntrypoint = ['/tools/node', '--import', '/tools/prow-ts/node_modules/tsx/dist/loader.mjs', '/tools/prow-ts/bin/prow.ts', 'entrypoint'];

/**
 * The Pod that runs `job`, as Prow's plank renders it: named after the job, Prow's labels (with
 * `created-by-prow`, `prow.k8s.io/id` and `prow.k8s.io/build-id`) and annotations, `restartPolicy: Never`,
 * the test container named `test`. Undecorated jobs get the downward-API variables; decorated ones get
 * clonerefs, initupload and place-entrypoint as init containers, the test command wrapped by entrypoint,
 * and a sidecar, sharing the `logs`, `code` and `tools` volumes, with storage credentials from the job's
 * Secret.
 */
export function podFor(job: ProwJob, opts: PodSpecOptions): PodObject {
  const spec = structuredClone(job.spec.pod_spec ?? {}) as Partial<PodSpec>;
  const containers = spec.containers;
  const test = containers?.[0];
  if (containers === undefined) throw new Error('spec.pod_spec.containers is empty');
  if (test === undefined) throw new Error('spec.pod_spec.containers is empty');
  test.name ||= 'test';
  spec.restartPolicy = 'Never';
  if (spec.serviceAccountName === undefined) spec.automountServiceAccountToken ??= false;
  const buildId = job.status.build_id ?? '';
  const labels = { ...job.metadata.labels, [prowLabels.createdByProw]: 'true', [prowLabels.id]: job.metadata.name, [prowLabels.buildId]: buildId };
  const metadata = { name: job.metadata.name, namespace: job.spec.namespace ?? opts.namespace, labels, annotations: { ...job.metadata.annotations } };

  const dc = job.spec.decoration_config;
  if (dc === undefined) {
    test.env = [...env(downwardApiEnv(jobSpecOf(job))), ...(test.env ?? [])];
    return { apiVersion: 'v1', kind: 'Pod', metadata, spec: { ...spec, containers } };
  }

  const vars = decorationEnv(job, podDirs, {
    ...(opts.bucket === undefined ? {} : { bucket: opts.bucket }),
    ...(dc.gcs_credentials_secret === undefined ? {} : { gcsCredentialsFile: '/secrets/gcs/service-account.json' }),
    ...(dc.s3_credentials_secret === undefined ? {} : { s3CredentialsFile: '/secrets/s3-storage/service-account.json' }),
  });
  const volumes: Volume[] = [...(spec.volumes ?? []), { name: 'logs', emptyDir: {} }, { name: 'code', emptyDir: {} }, { name: 'tools', emptyDir: {} }];
  const secretMounts: { name: string; mountPath: string; readOnly: boolean }[] = [];
  if (dc.gcs_credentials_secret !== undefined) {
    volumes.push({ name: 'gcs-credentials', secret: { secretName: dc.gcs_credentials_secret } });
    secretMounts.push({ name: 'gcs-credentials', mountPath: '/secrets/gcs', readOnly: true });
  }
  if (dc.s3_credentials_secret !== undefined) {
    volumes.push({ name: 's3-credentials', secret: { secretName: dc.s3_credentials_secret } });
    secretMounts.push({ name: 's3-credentials', mountPath: '/secrets/s3-storage', readOnly: true });
  }
  const utility = (name: string, extra: Partial<Container> = {}): Container => ({
    name,
    image: opts.utilityImage,
    args: [name],
    env: env(vars),
    volumeMounts: [mount.logs, mount.code, ...secretMounts],
    ...extra,
  });
  const init: Container[] = [];
  if (vars[optionsEnv.clonerefs] !== undefined) init.push(utility('clonerefs'));
  init.push(...(spec.initContainers ?? []), utility('initupload'));
  init.push({ name: 'place-entrypoint', image: opts.utilityImage, command: ['sh', '-c', placeEntrypoint], volumeMounts: [mount.tools] });
  spec.initContainers = init;

  const workdir = decoratedWorkdir(job, podDirs);
  test.command = toolsEntrypoint;
  test.args = [];
  test.env = [...(test.env ?? []).filter((e) => !(e.name in vars)), ...env(vars)];
  test.volumeMounts = [...(test.volumeMounts ?? []), mount.logs, mount.code, mount.tools];
  if (workdir !== undefined) test.workingDir = workdir;
  spec.volumes = volumes;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: { ...spec, containers: [test, ...containers.slice(1), utility('sidecar')] } };
}
