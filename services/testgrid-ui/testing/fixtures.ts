import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname, 'junit');

/** One JUnit fixture's text, by file name under testing/junit/. */
export function junitFixture(name: string): string {
  return readFileSync(join(dir, name), 'utf8');
}
