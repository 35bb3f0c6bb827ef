import type { ICustomResourceDefinition, IJSONSchemaProps } from 'kubernetes-models/apiextensions.k8s.io/v1';
import { decorationConfigSchema } from '../lib/config/schema/job.ts';
import type { ProwJobSpec, ProwJobState, ProwJobStatus, ProwJobType, Refs } from '../lib/jobs/index.ts';
import { asProps, openObject, structuralFromZod, type SchemaOf } from './structural-schema.ts';

const types: ProwJobType[] = ['presubmit', 'postsubmit', 'periodic', 'batch'];
const states: ProwJobState[] = ['scheduling', 'triggered', 'pending', 'success', 'failure', 'aborted', 'error'];

const refs: SchemaOf<Refs> = {
  type: 'object',
  description: 'What a job checks out: a repository at a base, with pull requests merged on top.',
  required: ['org', 'repo'],
  properties: {
    org: { type: 'string' },
    repo: { type: 'string' },
    repo_link: { type: 'string' },
    base_ref: { type: 'string' },
    base_sha: { type: 'string' },
    base_link: { type: 'string' },
    pulls: {
      type: 'array',
      items: {
        type: 'object',
        required: ['number', 'author', 'sha'],
        properties: {
          number: { type: 'integer' },
          author: { type: 'string' },
          sha: { type: 'string' },
          title: { type: 'string' },
          ref: { type: 'string' },
          head_ref: { type: 'string' },
          link: { type: 'string' },
          commit_link: { type: 'string' },
          author_link: { type: 'string' },
        },
      },
    },
    path_alias: { type: 'string' },
    workdir: { type: 'boolean' },
    auxiliary: { type: 'boolean' },
    clone_uri: { type: 'string' },
    skip_submodules: { type: 'boolean' },
    clone_depth: { type: 'integer' },
    skip_fetch_head: { type: 'boolean' },
    blobless_fetch: { type: 'boolean' },
    sparse_checkout_files: { type: 'array', items: { type: 'string' } },
  },
};

// decoration_config is config.yaml's DecorationConfig, whose schema is zod's: converted rather than restated,
// demanding nothing, since Prow's CRD demands nothing there (config.yaml is checked when it loads).
const spec: SchemaOf<Omit<ProwJobSpec, 'decoration_config'>> = {
  type: 'object',
  description: 'ProwJobSpec: what to run, where, on which refs, and how to report it.',
  properties: {
    type: { type: 'string', enum: types },
    agent: { type: 'string', enum: ['kubernetes', 'jenkins', 'tekton-pipeline'] },
    cluster: { type: 'string' },
    namespace: { type: 'string' },
    job: { type: 'string' },
    refs,
    extra_refs: { type: 'array', items: refs },
    report: { type: 'boolean' },
    context: { type: 'string' },
    rerun_command: { type: 'string' },
    max_concurrency: { type: 'integer' },
    error_on_eviction: { type: 'boolean' },
    pod_spec: openObject,
    reporter_config: openObject,
    rerun_auth_config: openObject,
    hidden: { type: 'boolean' },
    job_queue_name: { type: 'string' },
  },
};

const status: SchemaOf<ProwJobStatus> = {
  type: 'object',
  description: 'ProwJobStatus: where the job is in its life, and where its run and results are.',
  // Prow's CRD requires only state; startTime is set by every prow-ts writer but not demanded of others.
  required: ['state'],
  properties: {
    startTime: { type: 'string', format: 'date-time' },
    pendingTime: { type: 'string', format: 'date-time' },
    completionTime: { type: 'string', format: 'date-time' },
    state: { type: 'string', enum: states },
    description: { type: 'string' },
    url: { type: 'string' },
    pod_name: { type: 'string' },
    build_id: { type: 'string' },
    pod_revival_count: { type: 'integer' },
    prev_report_states: { type: 'object', additionalProperties: { type: 'string', enum: states } },
  },
};

/** The openAPIV3Schema of a ProwJob: lib/jobs/prowjob.ts's types, field for field as Prow's CRD names them. */
export function prowJobSchema(): IJSONSchemaProps {
  return {
    type: 'object',
    description: 'A ProwJob: one run of a Prow job, created by hook, horologium or Tide and run by the controller.',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: { ...asProps(spec), properties: { ...asProps(spec).properties, decoration_config: structuralFromZod(decorationConfigSchema, { required: false }) } },
      status: asProps(status),
    },
  };
}

/**
 * The ProwJob CustomResourceDefinition (`prowjobs.prow.k8s.io`, v1), with the status subresource (Prow's
 * has none): status is written through `/status` and spec through the object, so RBAC can tell them apart.
 * prow-ts's JobStore (lib/jobs/kube-job-store.ts) works on both, writing status again through `/status`
 * when the object's write dropped it.
 */
export function prowJobCrd(): ICustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'prowjobs.prow.k8s.io' },
    spec: {
      group: 'prow.k8s.io',
      names: { kind: 'ProwJob', listKind: 'ProwJobList', plural: 'prowjobs', singular: 'prowjob' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: prowJobSchema() },
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Job', type: 'string', jsonPath: '.spec.job', description: 'The name of the job being run.' },
            { name: 'Type', type: 'string', jsonPath: '.spec.type', description: 'The type of job being run.' },
            { name: 'State', type: 'string', jsonPath: '.status.state', description: 'The state of the job.' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
        },
      ],
    },
  };
}
