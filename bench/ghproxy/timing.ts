import type { ProwOctokit } from '../../lib/github/prow-octokit.ts';
import { percentile } from '../report.ts';

/** One request a component made, as its Octokit saw it. */
export interface Sample {
  /** `METHOD path?query`, without the base URL, so the two runs compare. */
  key: string;
  /** The path and query as sent, for asking the same again. */
  path: string;
  method: string;
  mode: string;
  ms: number;
}

/** Records every request `octokit` makes (outermost, so it is what the component waits for) into `out`; `org` is keyed as `ORG`. */
export function recordRequests(octokit: ProwOctokit, baseUrl: string, org: string, out: Sample[]): void {
  octokit.hook.wrap('request', async (request, options) => {
    const endpoint = octokit.request.endpoint(options);
    const path = endpoint.url.startsWith(baseUrl) ? endpoint.url.slice(baseUrl.length) : endpoint.url;
    const key = `${endpoint.method} ${path.split(`/${org}/`).join('/ORG/')}`;
    const t0 = performance.now();
    try {
      const res = await request(options);
      out.push({ key, path, method: endpoint.method, mode: String(res.headers['x-cache-mode'] ?? 'DIRECT'), ms: performance.now() - t0 });
      return res;
    } catch (err) {
      const headers = (err as { response?: { headers?: Record<string, unknown> } }).response?.headers ?? {};
      out.push({ key, path, method: endpoint.method, mode: typeof headers['x-cache-mode'] === 'string' ? headers['x-cache-mode'] : 'DIRECT', ms: performance.now() - t0 });
      throw err;
    }
  });
}

/** The latency of hits next to the same requests made directly. */
export interface HitLatency {
  pairs: number;
  directP50: number;
  directP99: number;
  hitP50: number;
  hitP99: number;
}

/**
 * Pairs each hit (REVALIDATED or COALESCED) of the proxied run with the same request (method, path, which
 * occurrence) of the direct run, and gives both sides' percentiles over the pairs.
 */
export function hitLatency(direct: readonly Sample[], proxied: readonly Sample[]): HitLatency {
  const byKey = new Map<string, number[]>();
  for (const s of direct) {
    const list = byKey.get(s.key) ?? [];
    list.push(s.ms);
    byKey.set(s.key, list);
  }
  const seen = new Map<string, number>();
  const d: number[] = [];
  const h: number[] = [];
  for (const s of proxied) {
    const n = seen.get(s.key) ?? 0;
    seen.set(s.key, n + 1);
    if (s.mode !== 'REVALIDATED' && s.mode !== 'COALESCED') continue;
    const match = byKey.get(s.key)?.[n];
    if (match === undefined) continue;
    d.push(match);
    h.push(s.ms);
  }
  d.sort((a, b) => a - b);
  h.sort((a, b) => a - b);
  return { pairs: h.length, directP50: percentile(d, 50), directP99: percentile(d, 99), hitP50: percentile(h, 50), hitP99: percentile(h, 99) };
}

/** How many samples had each mode. */
export function modeCounts(samples: readonly Sample[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of samples) counts[s.mode] = (counts[s.mode] ?? 0) + 1;
  return counts;
}

/** The `limit` most frequent request keys of each mode, for seeing where the cost goes. */
export function topKeys(samples: readonly Sample[], mode: string, limit: number): [string, number][] {
  const counts = new Map<string, number>();
  for (const s of samples) {
    if (s.mode !== mode) continue;
    const route = s.key.replace(/\/\d+(?=\/|$|\?)/g, '/N').replace(/[0-9a-f]{40}/g, 'SHA');
    counts.set(route, (counts.get(route) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, limit);
}

/** Percentiles of paired latencies measured one request at a time. */
export function pairedLatency(direct: number[], hits: number[]): HitLatency {
  const d = [...direct].sort((a, b) => a - b);
  const h = [...hits].sort((a, b) => a - b);
  return { pairs: h.length, directP50: percentile(d, 50), directP99: percentile(d, 99), hitP50: percentile(h, 50), hitP99: percentile(h, 99) };
}

/**
 * Asks each path directly and through ghproxy, one request at a time and in alternating order, `rounds` times:
 * the latency a hit adds when nothing else loads the machine's event loops. Only pairs the proxy answered
 * REVALIDATED count.
 */
export async function probeHits(paths: readonly string[], direct: (path: string) => Promise<unknown>, proxied: (path: string) => Promise<string>, rounds: number): Promise<HitLatency> {
  const d: number[] = [];
  const h: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [i, path] of paths.entries()) {
      const timeDirect = async (): Promise<number> => {
        const t0 = performance.now();
        await direct(path);
        return performance.now() - t0;
      };
      const timeProxied = async (): Promise<{ ms: number; mode: string }> => {
        const t0 = performance.now();
        const mode = await proxied(path);
        return { ms: performance.now() - t0, mode };
      };
      let dm: number;
      let hm: { ms: number; mode: string };
      if ((i + round) % 2 === 0) {
        dm = await timeDirect();
        hm = await timeProxied();
      } else {
        hm = await timeProxied();
        dm = await timeDirect();
      }
      if (hm.mode !== 'REVALIDATED') continue;
      d.push(dm);
      h.push(hm.ms);
    }
  }
  return pairedLatency(d, h);
}
