/** One problem found in a configuration file, with the place it was found. */
export interface ConfigIssue {
  file: string;
  /** 1-based line; 0 when the problem is about the file as a whole. */
  line: number;
  /** 1-based column; 0 when the problem is about the file as a whole. */
  col: number;
  /** Where in the document, e.g. `tide.queries[0]`; empty for the document root. */
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

/** Formats an issue as `file:line:col path: message`, the one line check-config prints. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.col}` : issue.file;
  return issue.path === '' ? `${where}: ${issue.message}` : `${where} ${issue.path}: ${issue.message}`;
}

/** Orders issues by file, then line, then column, so output reads top to bottom. */
export function compareIssues(a: ConfigIssue, b: ConfigIssue): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.message.localeCompare(b.message);
}

/** Renders a document path the way issues name it: `presubmits["org/repo"][0].name`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const key = String(seg);
      if (/^[A-Za-z0-9_-]+$/.test(key)) out += out === '' ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}
