import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BoskosHttpError } from './client.ts';
import { startBoskosWorld, type BoskosWorld } from './testing/boskos-world.ts';

let world: BoskosWorld;

beforeEach(async () => {
  world = await startBoskosWorld({
    label: 'boskos-app',
    yaml: 'resources:\n- type: gce-project\n  state: free\n  names: [proj-a, proj-b]\n',
  });
});
afterEach(async () => {
  await world.close();
});

/** A raw request, as boskosctl, curl or a job script would send it. */
async function call(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; text: string; type: string }> {
  const res = await fetch(`${world.url}${path}`, { method, ...(init.headers === undefined ? {} : { headers: init.headers }), ...(init.body === undefined ? {} : { body: init.body }) });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
}

describe('Boskos HTTP API', () => {
  it('leases through /acquire with Boskos JSON, heartbeats through /update and releases through /release', async () => {
    const acquired = await call('POST', '/acquire?type=gce-project&state=free&dest=busy&owner=pull-e2e&request_id=8c1f');
    expect(acquired.status).toBe(200);
    const resource = JSON.parse(acquired.text) as Record<string, unknown>;
    expect(Object.keys(resource)).toEqual(['type', 'name', 'state', 'owner', 'lastupdate', 'userdata']);
    expect(resource).toMatchObject({ type: 'gce-project', name: 'proj-a', state: 'busy', owner: 'pull-e2e', userdata: {} });
    expect(resource.lastupdate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

    // Go's client sends its heartbeat as application/json, with or without a body.
    expect((await call('POST', '/update?name=proj-a&owner=pull-e2e&state=busy', { headers: { 'content-type': 'application/json' } })).status).toBe(200);
    const withData = await call('POST', '/update?name=proj-a&owner=pull-e2e&state=busy', { headers: { 'content-type': 'application/json' }, body: '{"zone":"us-east1-b"}\n' });
    expect(withData).toMatchObject({ status: 200, text: '' });

    const metric = await call('GET', '/metric?type=gce-project');
    expect(metric.type).toContain('application/json');
    expect(JSON.parse(metric.text)).toEqual({ type: 'gce-project', current: { busy: 1, free: 1 }, owner: { '': 1, 'pull-e2e': 1 } });

    expect(await call('POST', '/release?name=proj-a&dest=dirty&owner=pull-e2e')).toMatchObject({ status: 200, text: '' });
    const [released] = await world.ranch.resources('gce-project');
    expect(released).toMatchObject({ name: 'proj-a', state: 'dirty', owner: '', userData: { zone: 'us-east1-b' } });
  });

  it('answers Boskos codes with its messages: 404 none free vs no such type, 401 owner, 409 state', async () => {
    const client = world.client('job');
    await client.acquire('gce-project', 'free', 'busy');
    await client.acquire('gce-project', 'free', 'busy');
    const none = await call('POST', '/acquire?type=gce-project&state=free&dest=busy&owner=job');
    expect(none).toMatchObject({ status: 404, text: 'Acquire failed: no available resource gce-project, try again later.\n' });
    expect(none.type).toContain('text/plain');
    expect(await call('POST', '/acquire?type=aws-account&state=free&dest=busy&owner=job')).toMatchObject({ status: 404, text: 'Acquire failed: resource type "aws-account" does not exist\n' });
    expect(await call('POST', '/release?name=proj-a&dest=free&owner=intruder')).toMatchObject({
      status: 401,
      text: 'Done failed: proj-a - free (from intruder): owner mismatch request by intruder, currently owned by job\n',
    });
    expect(await call('POST', '/update?name=proj-a&owner=job&state=free')).toMatchObject({ status: 409, text: 'Update failed: proj-a - free (job): state mismatch - expected busy, current free\n' });
    expect((await call('POST', '/update?name=ghost&owner=job&state=busy')).status).toBe(404);
    expect(await call('GET', '/metric?type=aws-account')).toMatchObject({ status: 404, text: 'no available resource aws-account, try again later.\n' });

    await expect(client.acquire('aws-account', 'free', 'busy')).rejects.toMatchObject({ kind: 'type-not-found', status: 404 });
    await expect(client.acquire('gce-project', 'free', 'busy')).rejects.toMatchObject({ kind: 'not-found' });
    await expect(world.client('intruder').release('proj-a', 'free')).rejects.toBeInstanceOf(BoskosHttpError);
  });

  it('refuses missing parameters with a 400 that names every required one, and wrong methods with 405', async () => {
    expect(await call('POST', '/acquire?type=gce-project&state=free')).toMatchObject({
      status: 400,
      text: 'Bad request: Type: gce-project, state: free, dest: , owner: , all of them must be set in the request.\n',
    });
    expect((await call('POST', '/acquirebystate?state=free&dest=busy&owner=o')).text).toBe('state: free, dest: busy, owner: o, names:  - all of them must be set in the request.\n');
    expect((await call('POST', '/release?name=proj-a')).status).toBe(400);
    expect((await call('POST', '/update?name=proj-a&owner=o')).text).toContain('all of them must be set');
    expect((await call('POST', '/reset?type=gce-project&state=busy&dest=dirty')).text).toBe('Type: gce-project, state: busy, expire: , dest: dirty, all of them must be set in the request.\n');
    expect(await call('GET', '/metric')).toMatchObject({ status: 400, text: 'Type must be set in the request.\n' });
    expect(await call('GET', '/acquire?type=gce-project&state=free&dest=busy&owner=o')).toMatchObject({ status: 405, text: 'Method GET, /acquire only accepts POST.\n' });
    expect((await call('DELETE', '/release?name=a&dest=b&owner=c')).status).toBe(405);
    expect(await call('POST', '/metric?type=gce-project')).toMatchObject({ status: 405, text: '/metric only accepts GET\n' });
  });

  it('refuses a malformed /update body or expire with 400 and says what to send', async () => {
    await world.client('job').acquire('gce-project', 'free', 'busy');
    const notJson = await call('POST', '/update?name=proj-a&owner=job&state=busy', { headers: { 'content-type': 'application/json' }, body: '{zone: b' });
    expect(notJson.status).toBe(400);
    expect(notJson.text).toContain('send the userdata to merge as {"key": "value"}');
    const number = await call('POST', '/update?name=proj-a&owner=job&state=busy', { headers: { 'content-type': 'application/json' }, body: '{"count": 3}' });
    expect(number).toMatchObject({ status: 400 });
    expect(number.text).toContain('"count" is a number, not a string');
    expect((await call('POST', '/update?name=proj-a&owner=job&state=busy', { body: '["a"]' })).status).toBe(400);
    expect((await call('POST', '/update?name=proj-a&owner=job&state=busy', { body: 'null' })).status).toBe(200);
    const expire = await call('POST', '/reset?type=gce-project&state=busy&expire=soon&dest=dirty');
    expect(expire).toMatchObject({ status: 400, text: 'time: invalid duration "soon"; give expire as a Go duration such as 30m or 1h\n' });
    // A bad request changes nothing.
    expect((await world.ranch.resources('gce-project')).find((r) => r.name === 'proj-a')?.userData).toEqual({});
  });

  it('resets stale leases through /reset, answering {name: previous owner}', async () => {
    await world.client('crashed-job').acquire('gce-project', 'free', 'busy');
    expect(JSON.parse((await call('POST', '/reset?type=gce-project&state=busy&expire=1h&dest=dirty')).text)).toEqual({});
    const reset = await call('POST', '/reset?type=gce-project&state=busy&expire=0s&dest=dirty');
    expect(JSON.parse(reset.text)).toEqual({ 'proj-a': 'crashed-job' });
    expect(await world.client('x').reset('gce-project', 'busy', '0s', 'dirty')).toEqual({});
  });

  it('acquires by state through /acquirebystate, all or nothing', async () => {
    const missing = await call('POST', '/acquirebystate?state=free&dest=leased&owner=mason&names=proj-a,proj-zzz');
    expect(missing).toMatchObject({ status: 404, text: 'AcquireByState: no available resource free, try again later.\n' });
    const both = await world.client('mason').acquireByState('free', 'leased', ['proj-a', 'proj-b']);
    expect(both.map((r) => `${r.name}:${r.state}:${r.owner}`)).toEqual(['proj-a:leased:mason', 'proj-b:leased:mason']);
  });

  it('takes the first of repeated parameters, as Go does, and answers / for liveness', async () => {
    const r = await call('POST', '/acquire?type=gce-project&type=other&state=free&dest=busy&owner=first&owner=second');
    expect(JSON.parse(r.text)).toMatchObject({ owner: 'first', type: 'gce-project' });
    expect(await call('GET', '/')).toMatchObject({ status: 200, text: '' });
    expect((await call('GET', '/healthz')).status).toBe(200);
  });

  it("exports Boskos' metrics: resources by type and state (known states zero-filled), acquire wait, HTTP latency", async () => {
    const client = world.client('job');
    await client.acquire('gce-project', 'free', 'weird-state', 'req-1');
    const goClient = await call('POST', '/acquire?type=gce-project&state=free&dest=busy&owner=o', { headers: { 'user-agent': 'Go-http-client/1.1' } });
    const text = (await call('GET', '/metrics')).text;
    expect(text).toContain('boskos_resources{type="gce-project",state="busy"} 1');
    expect(text).toContain('boskos_resources{type="gce-project",state="free"} 0');
    expect(text).toContain('boskos_resources{type="gce-project",state="tombstone"} 0');
    expect(text).toContain('boskos_resources{type="gce-project",state="other"} 1');
    expect(text).toContain('boskos_acquire_duration_seconds_count{type="gce-project",state="free",dest="weird-state",has_request_id="true"} 1');
    expect(text).toMatch(/boskos_http_request_duration_seconds_count\{path="acquire",method="POST",status="200",user_agent="Go-http-client\/1.1"\} 1/);
    expect(text).toContain(`boskos_http_response_size_bytes_sum{path="acquire",method="POST",status="200",user_agent="Go-http-client/1.1"} ${Buffer.byteLength(goClient.text)}`);
  });
});
