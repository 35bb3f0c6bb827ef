import type { Refs } from '../lib/jobs/index.ts';

/** One command clonerefs ran, as Prow's `clone.Command` records it. Durations are nanoseconds, as Go writes them. */
export interface CloneCommand {
  command: string;
  output?: string;
  error?: string;
  duration?: number;
}

/**
 * Prow's `clone.Record`: what was wanted, what was run, and how it ended. The first record of a run is the
 * environment setup (empty refs), the rest one per ref.
 */
export interface CloneRecord {
  refs: Refs | Record<string, never>;
  commands?: CloneCommand[];
  failed?: boolean;
  final_sha?: string;
  duration?: number;
}

/** Go's `time.Duration.String()` for a number of nanoseconds: `0s`, `350ms`, `1.5s`, `2m3.25s`, `1h0m0s`. */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  const abs = Math.abs(ns);
  const trim = (n: number, digits: number): string => n.toFixed(digits).replace(/\.?0+$/, '');
  if (abs < 1e3) return `${sign}${abs}ns`;
  if (abs < 1e6) return `${sign}${trim(abs / 1e3, 3)}µs`;
  if (abs < 1e9) return `${sign}${trim(abs / 1e6, 6)}ms`;
  const totalSeconds = abs / 1e9;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = trim(totalSeconds % 60, 9);
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

function isRepoRecord(refs: CloneRecord['refs']): refs is Refs {
  return 'org' in refs || 'repo' in refs;
}

/** A clone record as a person reads it in `clone-log.txt` (and in `build-log.txt` when cloning failed). */
export function formatCloneRecord(record: CloneRecord): string {
  const lines: string[] = [];
  const refs = record.refs;
  if (isRepoRecord(refs) && refs.repo !== '') {
    const base = refs.base_sha ? `${refs.base_ref ?? ''}(${refs.base_sha})` : (refs.base_ref ?? '');
    lines.push(`# Cloning ${refs.org}/${refs.repo} at ${base}`);
    if (refs.pulls !== undefined && refs.pulls.length > 0) {
      lines.push('# Checking out pulls:');
      for (const pull of refs.pulls) lines.push(pull.sha ? `#\t${pull.number} (${pull.sha})` : `#\t${pull.number}`);
    }
  } else {
    lines.push('# Environment setup');
  }
  for (const command of record.commands ?? []) {
    lines.push(`$ ${command.command}`);
    if (command.output) lines.push(command.output.replace(/\n$/, ''));
    if (command.error) lines.push(`# Error: ${command.error}`);
    if (command.duration) lines.push(`# (took ${formatGoDuration(command.duration)})`);
  }
  if (record.final_sha) lines.push(`# Final SHA: ${record.final_sha}`);
  if (record.duration) lines.push(`# Total runtime: ${formatGoDuration(record.duration)}`);
  if (record.failed) lines.push('# FAILED');
  return `${lines.join('\n')}\n`;
}
