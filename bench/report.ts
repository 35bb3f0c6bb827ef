/** One row of a benchmark table: what was measured, and one column per contender. */
export type Row = Record<string, string | number>;

function cell(v: string | number): string {
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return v.toLocaleString('en-US', { maximumFractionDigits: v < 10 ? 2 : 1 });
}

/** Prints rows as an aligned text table with a title. */
export function printTable(title: string, rows: Row[]): void {
  const first = rows[0];
  if (!first) return;
  const cols = Object.keys(first);
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c] ?? '').length)));
  const line = (vals: string[]): string => vals.map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join('  ');
  console.log(`\n${title}\n`);
  console.log(line(cols));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c] ?? ''))));
  console.log('');
}

/** Prints the one machine-readable line every benchmark ends with. */
export function printResult(bench: string, figures: Record<string, string | number>): void {
  const pairs = Object.entries(figures).map(([k, v]) => `${k}=${typeof v === 'number' ? +v.toFixed(3) : v.replace(/\s+/g, '_')}`);
  console.log(`RESULT bench=${bench} ${pairs.join(' ')}`);
}

/** Runs `fn` `runs` times after `warmup` runs and returns each run's milliseconds, sorted. */
export async function timeRuns(fn: () => unknown, runs: number, warmup = 2): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

/** The p-th percentile (0..100) of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}
