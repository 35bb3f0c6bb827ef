import { isProwError } from '../lib/errors.ts';
import { commands } from './commands/index.ts';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return ['usage: prow <command> [options]', '', 'commands:', ...lines, '', 'Run `prow <command> --help` for a command\'s options.'].join('\n');
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
  if (rest.includes('--help') || rest.includes('-h')) {
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
    throw err;
  }
}
