import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { junitFixture } from '../testing/fixtures.ts';
import { goJUnit } from '../testing/write-builds.ts';
import { packResult, unpackResult } from './packed-result.ts';
import { parseJUnit } from './parse-junit.ts';

describe('packResult', () => {
  it('gives back exactly the result it packed, for every fixture and a large file', () => {
    const fixtures = readdirSync(join(import.meta.dirname, '../testing/junit')).filter((n) => n !== 'junit_broken.xml');
    const docs = fixtures.map((n) => junitFixture(n));
    const tests = Array.from({ length: 300 }, (_, i) => `Test${String(i)}/case`);
    docs.push(goJUnit({ id: '1', started: 1_767_323_045, tests, failures: { Test7: 'boom', 'Test9/case': 'bang' }, suite: 'pkg/é' }));
    for (const xml of docs) {
      const result = parseJUnit('junit.xml', xml);
      expect(result.cases.length).toBeGreaterThan(0);
      expect(unpackResult(structuredClone(packResult(result)))).toStrictEqual(result);
    }
  });
});
