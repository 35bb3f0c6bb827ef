/** One `prow` subcommand: its name, a one-line summary for `--help`, and what it does with its arguments. */
export interface Command {
  name: string;
  summary: string;
  /** Full usage text printed by `prow <name> --help`. */
  usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}
