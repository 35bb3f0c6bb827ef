import { redisKey } from '../../../lib/queue/names.ts';

/** The base every ranch key starts from: `<prefix>:boskos`. */
export function ranchBase(prefix: string): string {
  return redisKey(prefix, 'boskos');
}

/** The same escaping lua/prelude.lua applies to names, types and states inside keys. */
export function enc(s: string): string {
  return s.replace(/[%:{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The keys TypeScript reads directly (the scripts build the same ones). */
export const ranchKeys = {
  resource: (base: string, name: string) => `${base}:res:${enc(name)}`,
  userData: (base: string, name: string) => `${base}:ud:${enc(name)}`,
  names: (base: string, type: string) => `${base}:names:${enc(type)}`,
  counts: (base: string, type: string) => `${base}:count:${enc(type)}`,
  owners: (base: string, type: string) => `${base}:owners:${enc(type)}`,
  index: (base: string, type: string, state: string, owned: boolean) => `${base}:${owned ? 'held' : 'free'}:${enc(type)}:${enc(state)}`,
  drlc: (base: string, type: string) => `${base}:drlc:${enc(type)}`,
  types: (base: string) => `${base}:types`,
  drlcs: (base: string) => `${base}:drlcs`,
};
