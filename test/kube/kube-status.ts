/** One field Kubernetes names in a 422 Invalid Status (`details.causes[]`). */
export interface FieldIssue {
  /** Kubernetes' dotted path with list indices, e.g. `spec.containers[0].name`. */
  field: string;
  /** FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueTypeInvalid, FieldValueForbidden… */
  reason: string;
  message: string;
}

/** The `details` of a Kubernetes Status. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: FieldIssue[];
}

/** A Kubernetes `Status` object (kind: Status, apiVersion: v1), as every API error answers. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** An API error carrying the Status the server answers with. */
export class KubeStatusError extends Error {
  readonly status: KubeStatus;

  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'KubeStatusError';
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
    if (details !== undefined) this.status.details = details;
  }

  get code(): number {
    return this.status.code;
  }
}

/** How a resource is named in messages: `pods`, or `prowjobs.prow.k8s.io`. */
export interface ResourceName {
  plural: string;
  group: string;
}

function qualified(r: ResourceName): string {
  return r.group === '' ? r.plural : `${r.plural}.${r.group}`;
}

function detailsOf(r: ResourceName, name: string): StatusDetails {
  return r.group === '' ? { name, kind: r.plural } : { name, group: r.group, kind: r.plural };
}

/** 404, as `pods "x" not found`. */
export function notFound(r: ResourceName, name: string): KubeStatusError {
  return new KubeStatusError(404, 'NotFound', `${qualified(r)} "${name}" not found`, detailsOf(r, name));
}

/** 409 on create, as `pods "x" already exists`. */
export function alreadyExists(r: ResourceName, name: string): KubeStatusError {
  return new KubeStatusError(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists`, detailsOf(r, name));
}

/** 409 for a write with a stale resourceVersion. */
export function conflict(r: ResourceName, name: string): KubeStatusError {
  return new KubeStatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    detailsOf(r, name),
  );
}

/** 422, as `Pod "x" is invalid: spec.containers[0].name: Required value`. */
export function invalid(kind: string, group: string, name: string, causes: FieldIssue[]): KubeStatusError {
  const what = group === '' ? kind : `${kind}.${group}`;
  const list = causes.map((c) => `${c.field}: ${c.message}`);
  const message = `${what} "${name}" is invalid: ${list.length === 1 ? (list[0] ?? '') : `[${list.join(', ')}]`}`;
  const details: StatusDetails = group === '' ? { name, kind, causes } : { name, group, kind, causes };
  return new KubeStatusError(422, 'Invalid', message, details);
}

/** 400 BadRequest. */
/** 403 Forbidden, as admission (a quota) refuses a create: `pods "x" is forbidden: <why>`. */
export function forbidden(r: ResourceName, name: string, why: string): KubeStatusError {
  return new KubeStatusError(403, 'Forbidden', `${qualified(r)} "${name}" is forbidden: ${why}`, detailsOf(r, name));
}

export function badRequest(message: string): KubeStatusError {
  return new KubeStatusError(400, 'BadRequest', message);
}

/** 410 Gone with reason Expired: a resourceVersion or continue token older than the history kept. */
export function expired(message: string): KubeStatusError {
  return new KubeStatusError(410, 'Expired', message);
}

/** 415, for a patch type the resource does not take. */
export function unsupportedMediaType(contentType: string): KubeStatusError {
  return new KubeStatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json (got ${contentType})`);
}

/** 405 for a verb the resource does not serve. */
export function methodNotAllowed(verb: string): KubeStatusError {
  return new KubeStatusError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${verb})`);
}

/** 401 for a missing or wrong bearer token. */
export function unauthorized(): KubeStatusError {
  return new KubeStatusError(401, 'Unauthorized', 'Unauthorized');
}
