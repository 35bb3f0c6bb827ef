import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Paths that must never reach a log line: tokens, keys and secrets wherever they appear. */
export const redactPaths = [
  'token',
  'secret',
  'privateKey',
  'password',
  'authorization',
  '*.token',
  '*.secret',
  '*.privateKey',
  '*.password',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'req.headers["x-hub-signature-256"]',
  'request.headers.authorization',
];

export interface LoggerOptions {
  level?: string | undefined;
  name?: string | undefined;
  destination?: DestinationStream | undefined;
}

/** GitHub token shapes (classic, fine-grained, App installation and user tokens) and bearer headers. */
const tokenPattern = /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b|((?:token|bearer)\s+)[A-Za-z0-9._-]{20,}/gi;

/** Replaces anything shaped like a GitHub token in free text, for messages that quote an upstream error. */
export function scrubSecrets(text: string): string {
  return text.replace(tokenPattern, (_m, _tok: string | undefined, prefix: string | undefined) => `${prefix ?? ''}[redacted]`);
}

/** Builds the process's pino logger: JSON lines, secrets redacted by key and by shape. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const options = {
    level: opts.level ?? 'info',
    ...(opts.name === undefined ? {} : { name: opts.name }),
    redact: { paths: redactPaths, censor: '[redacted]' },
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)));
      },
    },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
