import type { Metric, Resource } from './resource.ts';

/** `/acquire`: one unowned resource of `type` in `state`, moved to `dest` and given to `owner`. */
export interface AcquireRequest {
  type: string;
  state: string;
  dest: string;
  owner: string;
  /** A place in the (type, state) line, first come first served; without one the caller waits behind it. */
  requestId?: string | undefined;
}

export interface Acquired {
  resource: Resource;
  /** When the request first queued (the request id's arrival, else now): what the acquire histogram measures. */
  requestedAt: number;
}

/** `/acquirebystate`: every named resource, all of them in `state` and unowned, or none. */
export interface AcquireByStateRequest {
  state: string;
  dest: string;
  owner: string;
  names: string[];
}

export interface ReleaseRequest {
  name: string;
  dest: string;
  owner: string;
}

/** `/update`, the heartbeat: stamps lastupdate and merges `userData` ("" deletes a key). */
export interface UpdateRequest {
  name: string;
  owner: string;
  state: string;
  userData?: Record<string, string> | undefined;
}

/** `/reset`: owned resources of `type` in `state` not updated for `expireMs` lose their owner and go to `dest`. */
export interface ResetRequest {
  type: string;
  state: string;
  expireMs: number;
  dest: string;
}

/**
 * What Boskos' HTTP API needs from the place resources live. Every method is one atomic transition; a
 * refusal is a RanchError carrying Boskos' status and message.
 */
export interface Ranch {
  acquire(req: AcquireRequest): Promise<Acquired>;
  acquireByState(req: AcquireByStateRequest): Promise<Resource[]>;
  release(req: ReleaseRequest): Promise<void>;
  update(req: UpdateRequest): Promise<void>;
  /** Resolves to {name: previous owner} for each resource it moved. */
  reset(req: ResetRequest): Promise<Record<string, string>>;
  metric(type: string): Promise<Metric>;
  /** Every type that has resources, sorted. */
  types(): Promise<string[]>;
  /** Throws when the store cannot answer (for /healthz). */
  ping(): Promise<void>;
}
