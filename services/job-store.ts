import { KubeConfig } from '@kubernetes/client-node';
import type { ProwConfig } from '../lib/config/index.ts';
import { createKubeJobStore, createRedisJobStore, type JobStore } from '../lib/jobs/index.ts';
import type { ServiceContext } from './service.ts';

/** The cluster to talk to: `KUBECONFIG` when set, else the Pod's service account, else ~/.kube/config. */
export function kubeConfigFor(ctx: Pick<ServiceContext, 'env'>): KubeConfig {
  const kc = new KubeConfig();
  if (ctx.env.kubeconfig !== undefined) kc.loadFromFile(ctx.env.kubeconfig);
  else kc.loadFromDefault();
  return kc;
}

/**
 * The one JobStore of a process, as `JOB_STORE` says: Redis under the process's prefix (local mode), or the
 * ProwJob custom resources in `prowjob_namespace` (cluster mode). Every service that reads or writes
 * ProwJobs opens it here, so hook and the controller always agree.
 */
export function openJobStore(ctx: Pick<ServiceContext, 'env' | 'redis'>, config: Pick<ProwConfig, 'prowjob_namespace'>): JobStore {
  if (ctx.env.jobStore === 'kubernetes') return createKubeJobStore({ kubeConfig: kubeConfigFor(ctx), namespace: config.prowjob_namespace });
  return createRedisJobStore(ctx.redis);
}
