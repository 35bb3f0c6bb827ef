import type { PluginConfig } from '../../lib/config/index.ts';
import type { Logger } from '../../lib/log.ts';
import type { Plugin, PluginHelp } from '../../plugins/plugin.ts';

/** One command in Prow's `pluginhelp.Command` JSON shape. */
export interface ProwCommandHelp {
  Usage: string;
  Featured: boolean;
  Description: string;
  Examples: string[];
  WhoCanUse: string;
}

/** One plugin in Prow's `pluginhelp.PluginHelp` JSON shape. */
export interface ProwPluginHelp {
  Description: string;
  Config: Record<string, string>;
  Snippet: string;
  Events: string[];
  Commands: ProwCommandHelp[];
}

/** What `/plugin-help` serves: Prow's `pluginhelp.Help`, which Deck's command-help page reads. */
export interface ProwHelp {
  AllRepos: string[];
  RepoPlugins: Record<string, string[]>;
  RepoExternalPlugins: Record<string, string[]>;
  PluginHelp: Record<string, ProwPluginHelp>;
  ExternalPluginHelp: Record<string, ProwPluginHelp>;
}

/** What Prow's help lists for a plugin with a generic comment handler. */
export const genericCommentEventName = 'GenericCommentEvent (any event for user text)';

/** The webhook events a plugin reacts to, as Prow's EventsForPlugin names them. */
export function eventsForPlugin(plugin: Plugin): string[] {
  const events = new Set(Object.keys(plugin.handlers ?? {}).map((name) => name.split('.')[0] ?? name));
  const list = [...events].sort();
  if (plugin.genericComment) list.push(genericCommentEventName);
  return list;
}

function toProw(help: PluginHelp, events: string[]): ProwPluginHelp {
  return {
    Description: help.description,
    Config: help.config ?? {},
    Snippet: '',
    Events: events,
    Commands: help.commands.map((c) => ({ Usage: c.usage, Featured: c.featured, Description: c.description, Examples: c.examples, WhoCanUse: c.whoCanUse })),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An external plugin's own `/help` answer, when it gives one in Prow's shape within a second. */
async function fetchExternalHelp(endpoint: string, log: Logger): Promise<ProwPluginHelp | undefined> {
  try {
    const res = await fetch(new URL('help', endpoint.endsWith('/') ? endpoint : `${endpoint}/`), { signal: AbortSignal.timeout(1_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body: unknown = await res.json();
    if (!isRecord(body) || typeof body.Description !== 'string') throw new Error('not a PluginHelp');
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    return {
      Description: body.Description,
      Config: isRecord(body.Config) ? Object.fromEntries(Object.entries(body.Config).filter((e): e is [string, string] => typeof e[1] === 'string')) : {},
      Snippet: typeof body.Snippet === 'string' ? body.Snippet : '',
      Events: strings(body.Events),
      Commands: (Array.isArray(body.Commands) ? body.Commands.filter(isRecord) : []).map((c) => ({
        Usage: typeof c.Usage === 'string' ? c.Usage : '',
        Featured: c.Featured === true,
        Description: typeof c.Description === 'string' ? c.Description : '',
        Examples: strings(c.Examples),
        WhoCanUse: typeof c.WhoCanUse === 'string' ? c.WhoCanUse : '',
      })),
    };
  } catch (err) {
    log.debug({ endpoint, err: err instanceof Error ? err.message : String(err) }, 'plugin-help: external plugin gave no help');
    return undefined;
  }
}

/**
 * Builds Prow's `/plugin-help` answer from the plugin table and the live plugins.yaml: every plugin with its
 * commands and events, which orgs and repos enable which (`""` lists them all, as Prow does), and each
 * external plugin's own help fetched from `<endpoint>/help`.
 */
export async function buildPluginHelp(plugins: readonly Plugin[], config: PluginConfig, log: Logger): Promise<ProwHelp> {
  const allPlugins = plugins.map((p) => p.name).sort();
  const repoPlugins: Record<string, string[]> = { '': allPlugins };
  for (const [key, enabled] of Object.entries(config.plugins)) repoPlugins[key] = enabled.plugins;
  const external = Object.entries(config.external_plugins ?? {});
  const repoExternal: Record<string, string[]> = { '': [...new Set(external.flatMap(([, list]) => list.map((e) => e.name)))].sort() };
  for (const [key, list] of external) repoExternal[key] = list.map((e) => e.name);
  const endpoints = new Map(external.flatMap(([, list]) => list.map((e) => [e.name, e.endpoint ?? `http://${e.name}`] as const)));
  const externalHelp: Record<string, ProwPluginHelp> = {};
  await Promise.all(
    [...endpoints].map(async ([name, endpoint]) => {
      const help = await fetchExternalHelp(endpoint, log);
      if (help) externalHelp[name] = help;
    }),
  );
  return {
    AllRepos: [...new Set([...Object.keys(config.plugins), ...external.map(([key]) => key)])].sort(),
    RepoPlugins: repoPlugins,
    RepoExternalPlugins: repoExternal,
    PluginHelp: Object.fromEntries(plugins.map((p) => [p.name, toProw(p.help, eventsForPlugin(p))])),
    ExternalPluginHelp: externalHelp,
  };
}
