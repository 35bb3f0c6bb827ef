import { HttpProblem, messageOf } from './problem.ts';

/** How long the dashboard waits for another service's JSON. */
const timeoutMs = 10_000;

/**
 * GETs JSON from another prow-ts service (Tide, hook); a failure becomes a 502 naming the URL and the
 * setting (`setting`) that points at it.
 */
export async function fetchJson(url: string, setting: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  } catch (err) {
    throw new HttpProblem(502, `cannot reach ${url} (${messageOf(err)}); check that the service runs and that ${setting} points at it`);
  }
  if (!res.ok) throw new HttpProblem(502, `${url} answered HTTP ${String(res.status)}; check that ${setting} points at the right service`);
  try {
    return await res.json();
  } catch {
    throw new HttpProblem(502, `${url} did not answer JSON; check that ${setting} points at the right service`);
  }
}
