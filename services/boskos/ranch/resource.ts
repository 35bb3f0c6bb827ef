/** A Boskos resource as the ranch holds it; times are milliseconds since the epoch. */
export interface Resource {
  type: string;
  name: string;
  state: string;
  owner: string;
  lastUpdate: number;
  userData: Record<string, string>;
  /** Dynamic resources only: when the resource may be deleted (set at release from the type's lifespan). */
  expirationDate?: number | undefined;
}

/** Boskos' `common.Resource` on the wire, field names and order as Go marshals them. */
export interface WireResource {
  type: string;
  name: string;
  state: string;
  owner: string;
  lastupdate: string;
  userdata: Record<string, string> | null;
  'expiration-date'?: string;
}

/** Boskos' `common.Metric` on the wire: counts by state and by owner (an unowned resource counts under ""). */
export interface Metric {
  type: string;
  current: Record<string, number>;
  owner: Record<string, number>;
}

/** A time as Go's RFC3339Nano writes it: UTC, fraction without trailing zeros, none when whole. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_m, digits: string) => (digits === '' ? 'Z' : `.${digits}Z`));
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The resource as Boskos answers it (`userdata` keys sorted, as Go's encoding/json sorts map keys). */
export function toWire(r: Resource): WireResource {
  const wire: WireResource = { type: r.type, name: r.name, state: r.state, owner: r.owner, lastupdate: rfc3339(r.lastUpdate), userdata: sortedRecord(r.userData) };
  if (r.expirationDate !== undefined) wire['expiration-date'] = rfc3339(r.expirationDate);
  return wire;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/** Reads a resource from Boskos' JSON (what `acquire` prints, what `heartbeat --resource` takes); undefined if it is not one. */
export function fromWire(value: unknown): Resource | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const { type, name, state, owner, lastupdate, userdata } = v;
  const expiration = v['expiration-date'];
  if (typeof type !== 'string' || typeof name !== 'string' || name === '' || typeof state !== 'string' || typeof owner !== 'string') return undefined;
  if (userdata !== undefined && userdata !== null && !isStringRecord(userdata)) return undefined;
  const lastUpdate = typeof lastupdate === 'string' ? Date.parse(lastupdate) : NaN;
  const expirationDate = typeof expiration === 'string' ? Date.parse(expiration) : undefined;
  return {
    type,
    name,
    state,
    owner,
    lastUpdate: Number.isNaN(lastUpdate) ? 0 : lastUpdate,
    userData: userdata ?? {},
    ...(expirationDate === undefined || Number.isNaN(expirationDate) ? {} : { expirationDate }),
  };
}
