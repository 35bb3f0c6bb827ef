import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

const prelude = readFileSync(new URL('./lua/prelude.lua', import.meta.url), 'utf8');

/** One ranch script: the shared prelude and its body, run by SHA and loaded again when Redis forgot it. */
export class LuaScript {
  readonly name: string;
  readonly #source: string;
  readonly #sha: string;

  constructor(name: string) {
    this.name = name;
    this.#source = `${prelude}\n${readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8')}`;
    this.#sha = createHash('sha1').update(this.#source).digest('hex');
  }

  /** Runs the script with ARGV = args (the scripts name their keys from the base in ARGV[1]). */
  async run(redis: Redis, args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.#sha, 0, ...args);
    } catch (err) {
      // A restarted or flushed Redis has an empty script cache; EVAL loads the script again.
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return redis.eval(this.#source, 0, ...args);
      throw err;
    }
  }
}

/** Every ranch script by name. */
export const scripts = {
  acquire: new LuaScript('acquire'),
  acquireByState: new LuaScript('acquire-by-state'),
  release: new LuaScript('release'),
  update: new LuaScript('update'),
  reset: new LuaScript('reset'),
  metric: new LuaScript('metric'),
  add: new LuaScript('add'),
  remove: new LuaScript('remove'),
  dynamic: new LuaScript('dynamic'),
  clean: new LuaScript('clean'),
  setDrlc: new LuaScript('set-drlc'),
} as const;
