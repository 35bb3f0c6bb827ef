import type { ProwJobSpec } from './prowjob.ts';

/** The label and annotation keys Prow puts on ProwJobs and their Pods; tools select by them. */
export const prowLabels = {
  createdByProw: 'created-by-prow',
  type: 'prow.k8s.io/type',
  job: 'prow.k8s.io/job',
  context: 'prow.k8s.io/context',
  org: 'prow.k8s.io/refs.org',
  repo: 'prow.k8s.io/refs.repo',
  baseRef: 'prow.k8s.io/refs.base_ref',
  pull: 'prow.k8s.io/refs.pull',
  id: 'prow.k8s.io/id',
  buildId: 'prow.k8s.io/build-id',
  isOptional: 'prow.k8s.io/is-optional',
  eventGuid: 'event-GUID',
  retest: 'prow.k8s.io/retest',
} as const;

const maxLabelValue = 63;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** True when Kubernetes accepts `value` as a label value. */
export function isValidLabelValue(value: string): boolean {
  return value.length <= maxLabelValue && labelValue.test(value);
}

/**
 * The labels and annotations of a ProwJob, as Prow gives them: type, job (cut to 63 characters in the label,
 * whole in the annotation), context, and for jobs on a repository its org, repo, base ref and first pull;
 * then `extraLabels` (the job's own, trigger's). A value Kubernetes would refuse becomes its last path
 * segment when that is valid, and is dropped otherwise, so a ProwJob is never refused for a label.
 */
export function labelsAndAnnotationsFor(
  spec: ProwJobSpec,
  extraLabels: Readonly<Record<string, string>> = {},
  extraAnnotations: Readonly<Record<string, string>> = {},
): { labels: Record<string, string>; annotations: Record<string, string> } {
  const jobLabel = spec.job.length > maxLabelValue ? spec.job.slice(0, maxLabelValue).replace(/[.-]+$/, '') : spec.job;
  const labels: Record<string, string> = { [prowLabels.createdByProw]: 'true', [prowLabels.type]: spec.type, [prowLabels.job]: jobLabel };
  if (spec.context) labels[prowLabels.context] = spec.context;
  if (spec.type !== 'periodic' && spec.refs) {
    labels[prowLabels.org] = spec.refs.org;
    labels[prowLabels.repo] = spec.refs.repo;
    labels[prowLabels.baseRef] = spec.refs.base_ref ?? '';
    const first = spec.refs.pulls?.[0];
    if (first) labels[prowLabels.pull] = String(first.number);
  }
  Object.assign(labels, extraLabels);
  const valid: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    const base = value.split('/').filter((s) => s !== '').at(-1) ?? '';
    if (isValidLabelValue(value)) valid[key] = value;
    else if (base !== '' && isValidLabelValue(base)) valid[key] = base;
  }
  const annotations: Record<string, string> = { [prowLabels.job]: spec.job };
  if (spec.context) annotations[prowLabels.context] = spec.context;
  Object.assign(annotations, extraAnnotations);
  return { labels: valid, annotations };
}
