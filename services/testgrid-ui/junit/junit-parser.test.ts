import { afterAll, describe, expect, it } from 'vitest';
import { junitFixture } from '../testing/fixtures.ts';
import { createJUnitParserPool, inlineJUnitParser } from './junit-parser.ts';
import { MalformedJUnitError } from './parse-junit.ts';

const pool = createJUnitParserPool(2);
afterAll(async () => {
  await pool.close();
});

describe('createJUnitParserPool', () => {
  it('parses on worker threads exactly as in this thread, and names the file of a malformed one', async () => {
    const names = ['go-junit-report.xml', 'TEST-com.acme.widgets.SpinnerTest.xml', 'junit_01.xml', 'pytest-xunit2.xml'];
    const fromPool = await Promise.all(names.map((n) => pool.parse(n, Buffer.from(junitFixture(n)))));
    const inline = await Promise.all(names.map((n) => inlineJUnitParser.parse(n, Buffer.from(junitFixture(n)))));
    expect(fromPool).toEqual(inline);
    const broken = pool.parse('artifacts/junit_broken.xml', Buffer.from(junitFixture('junit_broken.xml')));
    await expect(broken).rejects.toThrow(MalformedJUnitError);
    await expect(broken).rejects.toThrow(/^artifacts\/junit_broken\.xml: line \d+ column \d+/);
  });
});
