import type { FastifyPluginCallback } from 'fastify';
import type { HistoryRecord, PoolStore } from '../../tide/pool-store.ts';
import type { PoolJson } from '../../tide/pools-json.ts';
import { fetchJson } from './fetch-json.ts';

/** Where the merge queue page reads Tide: its `GET /` pools and `GET /history` records per pool, newest first. */
export interface TideSource {
  pools(): Promise<PoolJson[]>;
  history(): Promise<Record<string, HistoryRecord[]>>;
}

/** Tide over HTTP (`TESTGRID_TIDE_URL`), so the dashboard and Tide may run in different Deployments. */
export function tideOverHttp(url: string): TideSource {
  const base = url.replace(/\/+$/, '');
  return {
    pools: async () => (await fetchJson(`${base}/`, 'TESTGRID_TIDE_URL')) as PoolJson[],
    history: async () => (await fetchJson(`${base}/history`, 'TESTGRID_TIDE_URL')) as Record<string, HistoryRecord[]>,
  };
}

/** Tide's pool store in Redis, read as Tide's own `GET /` and `/history` read it. */
export function tideFromStore(store: PoolStore): TideSource {
  return {
    pools: async () => (await store.view()) as PoolJson[],
    async history() {
      const out: Record<string, HistoryRecord[]> = {};
      for (const key of await store.keys()) out[key] = await store.history(key);
      return out;
    },
  };
}

/** The pools and their history together, as the merge queue page shows them. */
export interface MergeQueueView {
  pools: PoolJson[];
  history: Record<string, HistoryRecord[]>;
}

/** Both reads of Tide, side by side. */
export async function readMergeQueue(tide: TideSource): Promise<MergeQueueView> {
  const [pools, history] = await Promise.all([tide.pools(), tide.history()]);
  return { pools, history };
}

/** `GET /api/tide` (Tide's pools) and `GET /api/tide-history` (its records per pool). */
export function mergeQueueApi(tide: TideSource): FastifyPluginCallback {
  return (app, _opts, done) => {
    app.get('/api/tide', () => tide.pools());
    app.get('/api/tide-history', () => tide.history());
    done();
  };
}
