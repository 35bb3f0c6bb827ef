/** The documentation root GitHub links from error bodies. */
export const docsUrl = 'https://docs.github.com/rest';

/** One entry of a 422's `errors` array, as GitHub writes it. */
export interface FieldError {
  resource: string;
  field: string;
  code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom';
  value?: unknown;
  message?: string;
}

/**
 * An answer in GitHub's error shape (`{ message, documentation_url, errors? }`). Route handlers throw it;
 * the app's error handler writes it with its status and headers.
 */
export class GitHubError extends Error {
  readonly status: number;
  readonly documentationUrl: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, opts: { documentationUrl?: string; errors?: FieldError[]; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = 'GitHubError';
    this.status = status;
    this.documentationUrl = opts.documentationUrl ?? docsUrl;
    this.errors = opts.errors;
    this.headers = opts.headers ?? {};
  }

  /** The JSON body GitHub sends. */
  body(): Record<string, unknown> {
    return {
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      documentation_url: this.documentationUrl,
      status: String(this.status),
    };
  }
}

/** 404 `Not Found`: also what GitHub answers for private things the caller cannot see. */
export function notFound(): GitHubError {
  return new GitHubError(404, 'Not Found');
}

/** 403 for a write the caller has no permission for. */
export function forbidden(message = 'Must have push access to repository'): GitHubError {
  return new GitHubError(403, message);
}

/** 422 `Validation Failed` with field errors. */
export function validationFailed(...errors: FieldError[]): GitHubError {
  return new GitHubError(422, 'Validation Failed', { errors });
}
