import { forbidden, type KubeStatusError, type ResourceName } from './kube-status.ts';
import type { KubeObject } from './resource-type.ts';

/** Pods in these phases no longer count against a quota, as in Kubernetes. */
const terminal = new Set(['Succeeded', 'Failed']);

function podLimit(quota: KubeObject): number | undefined {
  const hard = (quota.spec as { hard?: Record<string, string> } | undefined)?.hard ?? {};
  const value = hard.pods ?? hard['count/pods'];
  return value === undefined ? undefined : Number(value);
}

/**
 * The ResourceQuota admission check for a Pod about to be created, for object-count quotas on pods (`pods` or
 * `count/pods` in `spec.hard`): the 403 Kubernetes answers when the namespace is full, else undefined.
 * Compute quotas (cpu, memory) are not modelled.
 */
export function podQuotaRefusal(podType: ResourceName, name: string, quotas: readonly KubeObject[], podsInNamespace: readonly KubeObject[]): KubeStatusError | undefined {
  const used = podsInNamespace.filter((p) => !terminal.has((p.status as { phase?: string } | undefined)?.phase ?? '')).length;
  for (const quota of quotas) {
    const limit = podLimit(quota);
    if (limit === undefined || used + 1 <= limit) continue;
    const quotaName = quota.metadata.name ?? '';
    return forbidden(podType, name, `exceeded quota: ${quotaName}, requested: pods=1, used: pods=${String(used)}, limited: pods=${String(limit)}`);
  }
  return undefined;
}
