import type { DecorationConfig } from '../config/index.ts';

/** What started a job; Prow's `spec.type`. */
export type ProwJobType = 'presubmit' | 'postsubmit' | 'periodic' | 'batch';

/** Where a job is in its life; Prow's `status.state`. */
export type ProwJobState = 'scheduling' | 'triggered' | 'pending' | 'success' | 'failure' | 'aborted' | 'error';

/** The states a job never leaves. */
export const finalStates: ReadonlySet<ProwJobState> = new Set(['success', 'failure', 'aborted', 'error']);

/** One pull request a job tests: Prow's `Pull`. */
export interface Pull {
  number: number;
  author: string;
  sha: string;
  title?: string;
  ref?: string;
  head_ref?: string;
  link?: string;
  commit_link?: string;
  author_link?: string;
}

/** What a job checks out: a repository at a base, with pull requests merged on top; Prow's `Refs`. */
export interface Refs {
  org: string;
  repo: string;
  repo_link?: string;
  base_ref?: string;
  base_sha?: string;
  base_link?: string;
  pulls?: Pull[];
  path_alias?: string;
  workdir?: boolean;
  auxiliary?: boolean;
  clone_uri?: string;
  skip_submodules?: boolean;
  clone_depth?: number;
  skip_fetch_head?: boolean;
  blobless_fetch?: boolean;
  sparse_checkout_files?: string[];
}

/** Prow's `ProwJobSpec`, field for field as the CRD names them; only the parts prow-ts sets are typed. */
export interface ProwJobSpec {
  type: ProwJobType;
  agent: 'kubernetes' | 'jenkins' | 'tekton-pipeline';
  cluster?: string;
  namespace?: string;
  job: string;
  refs?: Refs;
  extra_refs?: Refs[];
  report?: boolean;
  context?: string;
  rerun_command?: string;
  max_concurrency?: number;
  error_on_eviction?: boolean;
  pod_spec?: Record<string, unknown>;
  decoration_config?: DecorationConfig;
  reporter_config?: Record<string, unknown>;
  rerun_auth_config?: Record<string, unknown>;
  hidden?: boolean;
  job_queue_name?: string;
}

/** Prow's `ProwJobStatus`. Times are RFC 3339 strings, as they travel in the API. */
export interface ProwJobStatus {
  startTime: string;
  pendingTime?: string;
  completionTime?: string;
  state: ProwJobState;
  description?: string;
  url?: string;
  pod_name?: string;
  build_id?: string;
  pod_revival_count?: number;
  /** The last state each reporter reported, keyed by reporter name, so each change is reported once. */
  prev_report_states?: Record<string, ProwJobState>;
}

/** A `prow.k8s.io/v1` ProwJob: the object plank runs, crier reports and `kubectl get prowjobs` lists. */
export interface ProwJob {
  apiVersion: 'prow.k8s.io/v1';
  kind: 'ProwJob';
  metadata: {
    name: string;
    namespace?: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    creationTimestamp?: string;
    resourceVersion?: string;
  };
  spec: ProwJobSpec;
  status: ProwJobStatus;
}
