/**
 * ghproxy's own cost on a cache hit, without the rest of the world: one process holds a stand-in upstream
 * that answers a 2 KB JSON body with an ETag (and 304 to it), ghproxy in front of it with the memory cache,
 * and the client, so no other process competes for the two cores. Requests go one at a time over keep-alive
 * `fetch`: straight to the upstream, through ghproxy (every one a REVALIDATED hit), and to a bare HTTP
 * server that answers at once (the floor one more loopback hop costs). bench/ghproxy.ts measures the same
 * added latency end to end with the emulator, hook and Tide in their own processes. `BENCH_REQUESTS`
 * (3,000 per side) tunes a run.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { createLogger } from '../lib/log.ts';
import { buildGhproxyApp } from '../services/ghproxy/app.ts';
import { MemoryStore } from '../services/ghproxy/cache/memory-store.ts';
import { readGhproxySettings } from '../services/ghproxy/ghproxy-settings.ts';
import { percentile, printResult, printTable } from './report.ts';

const requests = Number(process.env.BENCH_REQUESTS ?? 3000);
const body = Buffer.from(JSON.stringify({ id: 1, name: 'widgets', description: 'x'.repeat(2000) }));
const etag = 'W/"v1"';

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${String(port)}`, close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** Milliseconds of each GET to `url`, one at a time, sorted; `modes` collects X-Cache-Mode. */
async function timed(url: string, n: number, modes?: Map<string, number>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { authorization: 'token bench-token', accept: 'application/vnd.github+json' } });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
    const mode = res.headers.get('x-cache-mode');
    if (modes !== undefined && mode !== null) modes.set(mode, (modes.get(mode) ?? 0) + 1);
  }
  return times.sort((a, b) => a - b);
}

const upstream = await listen((req, res) => {
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { etag });
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', etag });
  res.end(body);
});
const bare = await listen((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.end(body);
});
const settings = readGhproxySettings({});
const store = new MemoryStore(settings.cache);
const app = buildGhproxyApp({ logger: createLogger({ level: 'warn', name: 'bench-ghproxy-hit' }), upstream: upstream.url, store, settings });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const proxyUrl = `http://127.0.0.1:${String(typeof address === 'object' && address !== null ? address.port : 0)}`;

try {
  // Warm up every path (and fill the cache), then measure.
  await timed(`${proxyUrl}/repos/acme/widgets`, 500);
  await timed(`${upstream.url}/repos/acme/widgets`, 500);
  await timed(`${bare.url}/`, 500);
  const modes = new Map<string, number>();
  const direct = await timed(`${upstream.url}/repos/acme/widgets`, requests);
  const proxied = await timed(`${proxyUrl}/repos/acme/widgets`, requests, modes);
  const hop = await timed(`${bare.url}/`, requests);
  const row = (side: string, t: number[]) => ({ side, 'p50 ms': percentile(t, 50), 'p99 ms': percentile(t, 99) });
  printTable(`ghproxy: one hit at a time, all in one process (${requests.toLocaleString('en-US')} requests a side; goal: under 1 ms added at p50)`, [
    row('straight to the upstream (200 with the body)', direct),
    row('through ghproxy, a REVALIDATED hit (upstream answers 304)', proxied),
    row('one bare loopback hop (a server answering at once)', hop),
    { side: 'added by ghproxy', 'p50 ms': percentile(proxied, 50) - percentile(direct, 50), 'p99 ms': percentile(proxied, 99) - percentile(direct, 99) },
  ]);
  console.log(`X-Cache-Mode of the measured requests: ${[...modes].map(([m, n]) => `${m} ${String(n)}`).join(', ')}.`);
  console.log(`One process on ${String(availableParallelism())} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; bench/ghproxy.ts has the end-to-end figure across processes.`);
  printResult('ghproxy-hit', {
    added_p50_ms: percentile(proxied, 50) - percentile(direct, 50),
    added_p99_ms: percentile(proxied, 99) - percentile(direct, 99),
    hit_p50_ms: percentile(proxied, 50),
    direct_p50_ms: percentile(direct, 50),
    bare_hop_p50_ms: percentile(hop, 50),
    revalidated: modes.get('REVALIDATED') ?? 0,
  });
} finally {
  await app.close();
  await store.close();
  await upstream.close();
  await bare.close();
}
