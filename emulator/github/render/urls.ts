/**
 * The emulator's own addresses. `base` is known only once the server listens (port 0), so every
 * serializer reads it at render time: REST at the root, html pages and git under the same origin.
 */
export class Urls {
  base = 'http://127.0.0.1';

  api(path: string): string {
    return `${this.base}${path}`;
  }

  html(path: string): string {
    return `${this.base}${path}`;
  }

  git(owner: string, repo: string): string {
    return `${this.base}/${owner}/${repo}.git`;
  }
}
