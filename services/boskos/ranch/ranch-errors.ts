/** What went wrong, in the terms of Boskos' ranch errors; each maps to the status Boskos answers. */
export type RanchErrorKind = 'resource-not-found' | 'type-not-found' | 'owner-mismatch' | 'state-mismatch' | 'bad-request' | 'store-unavailable';

const statusOf: Record<RanchErrorKind, number> = {
  'resource-not-found': 404,
  'type-not-found': 404,
  'owner-mismatch': 401,
  'state-mismatch': 409,
  'bad-request': 400,
  'store-unavailable': 503,
};

/**
 * A refusal from the ranch. The messages are Boskos' own, word for word, because clients tell "no free
 * resource" from "no such type" by substring (`no available resource` vs `does not exist`).
 */
export class RanchError extends Error {
  readonly kind: RanchErrorKind;
  readonly status: number;

  constructor(kind: RanchErrorKind, message: string) {
    super(message);
    this.name = 'RanchError';
    this.kind = kind;
    this.status = statusOf[kind];
  }

  /** Nothing free right now (or no resource by that name): 404, try again later. */
  static notFound(what: string): RanchError {
    return new RanchError('resource-not-found', `no available resource ${what}, try again later.`);
  }

  static typeNotFound(type: string): RanchError {
    return new RanchError('type-not-found', `resource type ${JSON.stringify(type)} does not exist`);
  }

  static ownerMismatch(request: string, owner: string): RanchError {
    return new RanchError('owner-mismatch', `owner mismatch request by ${request}, currently owned by ${owner}`);
  }

  /** Boskos names the arguments the other way round; the text it prints is "expected <current>, current <requested>". */
  static stateMismatch(current: string, requested: string): RanchError {
    return new RanchError('state-mismatch', `state mismatch - expected ${current}, current ${requested}`);
  }
}

/** True when `err` is a RanchError, optionally of one kind. */
export function isRanchError(err: unknown, kind?: RanchErrorKind): err is RanchError {
  return err instanceof RanchError && (kind === undefined || err.kind === kind);
}
