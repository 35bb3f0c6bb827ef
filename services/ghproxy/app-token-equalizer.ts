/** `POST /app/installations/<id>/access_tokens`: where a GitHub App mints installation tokens. */
const accessTokensPath = /^\/(?:api\/v3\/)?app\/installations\/(\d+)\/access_tokens\/?$/;

interface Shared {
  body: Buffer;
  token: string;
  expiresAt: number;
}

/** What the equalizer made of one minting answer. */
export interface Equalized {
  body: Buffer;
  /** The token in the body and its expiry, for the partition's pruning. */
  token: string;
  expiresAt: number;
  /** True when the body is the token handed out earlier rather than the one just minted. */
  shared: boolean;
}

/**
 * Prow's apptokenequalizer: every client of one installation gets the same installation token until a minute
 * before it expires, so all of them use one cache partition (GitHub's ETags are per token, test-infra#20306).
 * Each client's own request still goes to GitHub, so only a caller GitHub accepted as the App (a 201) is
 * handed the shared token; a request for a narrowed token (`repositories`, `permissions`) is left alone.
 */
export class AppTokenEqualizer {
  readonly #tokens = new Map<string, Shared>();
  readonly #now: () => number;
  /** Milliseconds before expiry when a token stops being handed out. */
  readonly #marginMs: number;

  constructor(opts: { now?: () => number; marginMs?: number } = {}) {
    this.#now = opts.now ?? Date.now;
    this.#marginMs = opts.marginMs ?? 60_000;
  }

  /** The installation id when this request mints an installation token for the whole installation. */
  installationOf(method: string, path: string, body: Buffer | undefined): string | undefined {
    if (method !== 'POST') return undefined;
    const id = accessTokensPath.exec(path)?.[1];
    if (id === undefined) return undefined;
    const text = body?.toString('utf8').trim() ?? '';
    if (text !== '' && text !== '{}') return undefined;
    return id;
  }

  /** The body to answer a 201 with: the token already shared while it lasts, else this one (now shared). */
  equalize(installation: string, body: Buffer): Equalized | undefined {
    let minted: { token?: unknown; expires_at?: unknown };
    try {
      minted = JSON.parse(body.toString('utf8')) as typeof minted;
    } catch {
      return undefined;
    }
    if (typeof minted.token !== 'string' || typeof minted.expires_at !== 'string') return undefined;
    const now = this.#now();
    const current = this.#tokens.get(installation);
    if (current !== undefined && current.expiresAt - this.#marginMs > now) return { body: current.body, token: current.token, expiresAt: current.expiresAt, shared: true };
    const expiresAt = Date.parse(minted.expires_at);
    if (Number.isNaN(expiresAt)) return undefined;
    this.#tokens.set(installation, { body, token: minted.token, expiresAt });
    for (const [id, t] of this.#tokens) if (t.expiresAt <= now) this.#tokens.delete(id);
    return { body, token: minted.token, expiresAt, shared: false };
  }
}
