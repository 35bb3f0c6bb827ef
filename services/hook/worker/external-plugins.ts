import type { PluginConfig } from '../../../lib/config/index.ts';
import type { Logger } from '../../../lib/log.ts';

/** One `external_plugins` entry that takes a delivery. */
export interface ExternalPlugin {
  name: string;
  endpoint: string;
  events: string[];
}

/** How hard to try reaching an external plugin; Prow tries 5 more times, backing off from 100 ms. */
export interface ExternalDeliverySettings {
  retries?: number | undefined;
  baseDelayMs?: number | undefined;
  /** Per attempt; 10 s by default. */
  timeoutMs?: number | undefined;
}

/**
 * The external plugins configured for `org` or `org/repo` (both lists, as Prow reads them) that take
 * `event`: an empty `events` list takes all. The endpoint defaults to `http://<name>`, as in Prow.
 */
export function externalPluginsFor(config: PluginConfig, org: string, repo: string | undefined, event: string): ExternalPlugin[] {
  const keys = repo === undefined ? [org] : [org, `${org}/${repo}`];
  return keys.flatMap((key) =>
    (config.external_plugins?.[key] ?? [])
      .map((p) => ({ name: p.name, endpoint: p.endpoint ?? `http://${p.name}`, events: p.events ?? [] }))
      .filter((p) => p.events.length === 0 || p.events.includes(event)),
  );
}

/** An external plugin that could not be reached at all, after every retry; worth another attempt later. */
export class ExternalPluginUnreachable extends Error {
  constructor(plugin: ExternalPlugin, cause: unknown) {
    // fetch reports "fetch failed" and keeps the reason (ECONNREFUSED, a timeout) in its own cause.
    const inner = cause instanceof Error && cause.cause instanceof Error ? ` (${cause.cause.message})` : '';
    super(`external plugin ${plugin.name} at ${plugin.endpoint} did not answer: ${cause instanceof Error ? cause.message : String(cause)}${inner}`);
    this.name = 'ExternalPluginUnreachable';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Re-posts a delivery's raw body to an external plugin with the original headers and `User-Agent: ProwHook`,
 * as Prow does. Transport failures are retried with exponential backoff; an answer other than 2xx is the
 * plugin's business: logged, not retried.
 */
export async function postToExternalPlugin(
  plugin: ExternalPlugin,
  delivery: { body: string; headers: Record<string, string> },
  log: Logger,
  settings: ExternalDeliverySettings = {},
): Promise<void> {
  const retries = settings.retries ?? 5;
  const baseDelayMs = settings.baseDelayMs ?? 100;
  const headers = {
    ...Object.fromEntries(Object.entries(delivery.headers).filter(([name]) => name.toLowerCase() !== 'user-agent')),
    'User-Agent': 'ProwHook',
  };
  let lastError: unknown;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(baseDelayMs * 2 ** (attempt - 1));
    let res: Response;
    try {
      res = await fetch(plugin.endpoint, {
        method: 'POST',
        headers,
        body: delivery.body,
        signal: AbortSignal.timeout(settings.timeoutMs ?? 10_000),
      });
    } catch (err) {
      lastError = err;
      continue;
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) {
      log.warn({ endpoint: plugin.endpoint, status: res.status, answer: text.slice(0, 200) }, `external plugin ${plugin.name} answered ${res.status}`);
    }
    return;
  }
  throw new ExternalPluginUnreachable(plugin, lastError);
}
