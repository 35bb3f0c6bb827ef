import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../lib/log.ts';

/** One parsed log line. */
export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

/** A real pino logger writing into memory, so tests can assert on levels, messages and what never appears. */
export function memoryLogger(level = 'debug'): { logger: Logger; lines: LogLine[]; text: () => string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ level, destination });
  return {
    logger,
    text: () => chunks.join(''),
    get lines() {
      return chunks
        .join('')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as LogLine);
    },
  };
}
