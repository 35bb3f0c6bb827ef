/** Where a review comment sits in a file's patch. */
export interface DiffPlace {
  /** Line number in the file on `side`. */
  line: number;
  side: 'LEFT' | 'RIGHT';
  /** GitHub's legacy position: lines below the first `@@` header, later headers counted. */
  position: number;
  /** The patch from the enclosing hunk's header down to the commented line, as `diff_hunk` shows it. */
  hunk: string;
}

/**
 * Finds a line of a patch either by file line and side or by legacy position; undefined when the diff does
 * not show that line (GitHub then refuses the comment).
 */
export function locateInPatch(patch: string, want: { line?: number; side?: 'LEFT' | 'RIGHT'; position?: number }): DiffPlace | undefined {
  const lines = patch.split('\n');
  let oldLine = 0;
  let newLine = 0;
  let hunkStart = 0;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (header) {
      oldLine = Number(header[1]);
      newLine = Number(header[2]);
      hunkStart = i;
      continue;
    }
    const kind = text[0];
    const oldHere = kind === ' ' || kind === '-' ? oldLine : undefined;
    const newHere = kind === ' ' || kind === '+' ? newLine : undefined;
    if (kind === ' ' || kind === '-') oldLine += 1;
    if (kind === ' ' || kind === '+') newLine += 1;
    if (oldHere === undefined && newHere === undefined) continue;
    const place = (line: number, side: 'LEFT' | 'RIGHT'): DiffPlace => ({ line, side, position: i, hunk: lines.slice(hunkStart, i + 1).join('\n') });
    if (want.position !== undefined) {
      if (want.position === i) return newHere === undefined ? place(oldHere ?? 0, 'LEFT') : place(newHere, 'RIGHT');
      continue;
    }
    const side = want.side ?? 'RIGHT';
    const here = side === 'RIGHT' ? newHere : oldHere;
    if (here !== undefined && here === want.line) return place(here, side);
  }
  return undefined;
}
