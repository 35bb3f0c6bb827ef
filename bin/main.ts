import { isProwError } from '../lib/errors.ts';
import { commands } from './commands/index.ts';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return ['usage: prow <command> [options]', '', 'commands:', ...lines, '', 'Run `prow <command> --help` for a command\'s options.'].join('\n');
}

/** node:util parseArgs' errors for unknown options and missing values: the user's mistake, not a crash. */
function isParseArgsError(err: unknown): err is Error {
  const code: unknown = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** Runs the `prow` CLI with `argv` (without node and script) and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`prow: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  // Only before `--`: what follows it belongs to a command the subcommand runs (`prow boskos heartbeat -- x --help`).
  const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (own.includes('--help') || own.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (isProwError(err)) {
      console.error(`prow ${name}: ${err.message} [${err.code}]`);
      return 1;
    }
    if (isParseArgsError(err)) {
      console.error(`prow ${name}: ${err.message}. Run \`prow ${name} --help\` for its options.`);
      return 2;
    }
    throw err;
  }
}
