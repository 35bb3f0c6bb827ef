/**
 * The one registry of errors a user can cause. Each code carries a message template that says what to do;
 * tests assert `err.code`, never the wording.
 */
const registry = {
  PROW_ERR_CONFIG_INVALID: { status: 500, message: 'configuration is invalid:\n%s\nFix the lines named above and reload.' },
  PROW_ERR_CONFIG_READ: { status: 500, message: 'cannot read configuration file %s: %s. Check the path and its permissions.' },
  PROW_ERR_ENV_INVALID: { status: 500, message: 'environment variable %s is invalid: %s' },
  PROW_ERR_SECRET_MISSING: { status: 500, message: '%s is not set. %s' },
  PROW_ERR_REDIS_UNREACHABLE: {
    status: 503,
    message: 'cannot reach Redis at %s (%s). Start redis-server or set REDIS_URL to a Redis that answers.',
  },
  PROW_ERR_GITHUB_UNREACHABLE: {
    status: 502,
    message: 'cannot reach GitHub at %s (%s). Check GITHUB_API_URL, the network and any proxy.',
  },
  PROW_ERR_GITHUB_AUTH: { status: 500, message: 'GitHub authentication failed: %s' },
  PROW_ERR_USAGE: { status: 400, message: '%s\nRun `prow --help` for usage.' },
  PROW_ERR_GITHUB_APP_NOT_INSTALLED: {
    status: 404,
    message: 'the GitHub App is not installed on %s. Install it on that repository (or its organization) in the App\'s settings.',
  },
  PROW_ERR_WEBHOOK_SECRET_INVALID: {
    status: 500,
    message: 'the webhook HMAC secret is malformed: %s. Use one token, or Prow\'s YAML map from "org/repo", "org" or "*" to a list of {value, created_at}.',
  },
  PROW_ERR_EVENT_NOT_FOUND: {
    status: 404,
    message: 'no delivery %s in the events queue. Run `prow events failed` to list the failed ones.',
  },
  PROW_ERR_EVENT_NOT_FAILED: {
    status: 409,
    message: 'delivery %s is %s, not failed: only failed deliveries can be retried.',
  },
  PROW_ERR_JOB_NOT_FOUND: { status: 404, message: 'no job %s in the configuration%s. `prow check-config` lists what loads.' },
  PROW_ERR_TEMPLATE_INVALID: {
    status: 500,
    message: '%s: the template %s cannot be rendered: %s. Use {{.Field}} with one of: %s.',
  },
  PROW_ERR_STORAGE_URL_INVALID: {
    status: 500,
    message: 'storage location %s is not understood: %s. Use gs://bucket/path, s3://bucket/path or a directory path.',
  },
  PROW_ERR_STORAGE_NOT_FOUND: { status: 404, message: 'no object %s in %s.' },
  PROW_ERR_STORAGE_UNREACHABLE: {
    status: 503,
    message: 'cannot reach object storage at %s (%s). Check the endpoint, the bucket and its credentials.',
  },
  PROW_ERR_KUBE_UNREACHABLE: {
    status: 503,
    message: 'cannot reach Kubernetes at %s (%s). Check KUBECONFIG, or the service account when in a cluster.',
  },
  PROW_ERR_JOB_SPEC_INVALID: { status: 422, message: 'ProwJob %s cannot run: %s' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ProwErrorCode = keyof typeof registry;

/** An error a user can cause, with a stable code and a message that says what to do. */
export class ProwError extends Error {
  readonly code: ProwErrorCode;
  readonly status: number;

  constructor(code: ProwErrorCode, ...args: string[]) {
    const { status, message } = registry[code];
    let i = 0;
    super(message.replace(/%s/g, () => args[i++] ?? ''));
    this.name = 'ProwError';
    this.code = code;
    this.status = status;
  }
}

/** True when `err` is a ProwError, optionally with the given code. */
export function isProwError(err: unknown, code?: ProwErrorCode): err is ProwError {
  return err instanceof ProwError && (code === undefined || err.code === code);
}
