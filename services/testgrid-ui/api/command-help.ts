import type { FastifyPluginCallback } from 'fastify';
import type { ProwHelp, ProwPluginHelp } from '../../hook/plugin-help.ts';
import { fetchJson } from './fetch-json.ts';
import { param } from './jobs.ts';

/** Where the command help comes from: hook's `/plugin-help` answer, Prow's `pluginhelp.Help`. */
export type HelpSource = () => Promise<ProwHelp>;

/** hook over HTTP (`TESTGRID_HOOK_URL`), as deck reads `--hook-url`. */
export function helpOverHttp(url: string): HelpSource {
  const base = url.replace(/\/+$/, '');
  return async () => (await fetchJson(`${base}/plugin-help`, 'TESTGRID_HOOK_URL')) as ProwHelp;
}

/** One command as the command help page lists it. */
export interface CommandRow {
  plugin: string;
  external: boolean;
  usage: string;
  description: string;
  whoCanUse: string;
  examples: string[];
  featured: boolean;
}

/** Which plugins `repo` (`org/repo`) runs: its own entry and its org's, as Prow enables them; every plugin when `repo` is empty. */
function enabledFor(byRepo: Record<string, string[]>, repo: string): Set<string> {
  if (repo === '') return new Set(byRepo[''] ?? []);
  const org = repo.split('/')[0] ?? '';
  return new Set([...(byRepo[org] ?? []), ...(byRepo[repo] ?? [])]);
}

/** Every command of the plugins enabled for `repo` (all when empty) whose usage, description or plugin contains `search`. */
export function commandRows(help: ProwHelp, repo = '', search = ''): CommandRow[] {
  const needle = search.toLowerCase();
  const rows: CommandRow[] = [];
  const add = (plugins: Record<string, ProwPluginHelp>, enabled: Set<string>, external: boolean): void => {
    for (const [plugin, h] of Object.entries(plugins).sort(([a], [b]) => a.localeCompare(b))) {
      if (!enabled.has(plugin)) continue;
      for (const c of h.Commands) {
        const row = { plugin, external, usage: c.Usage, description: c.Description, whoCanUse: c.WhoCanUse, examples: c.Examples, featured: c.Featured };
        if (needle === '' || [row.plugin, row.usage, row.description, ...row.examples].some((t) => t.toLowerCase().includes(needle))) rows.push(row);
      }
    }
  };
  add(help.PluginHelp, enabledFor(help.RepoPlugins, repo), false);
  add(help.ExternalPluginHelp, enabledFor(help.RepoExternalPlugins, repo), true);
  return rows;
}

/** `GET /api/command-help?repo=&search=`: the commands, and hook's whole answer under `help`. */
export function commandHelpApi(help: HelpSource): FastifyPluginCallback {
  return (app, _opts, done) => {
    app.get('/api/command-help', async (req) => {
      const answer = await help();
      return { commands: commandRows(answer, param(req.query, 'repo') ?? '', param(req.query, 'search') ?? ''), help: answer };
    });
    done();
  };
}
