import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { commands } from '../bin/commands/index.ts';
import { plugins } from '../plugins/index.ts';
import { services } from '../services/index.ts';

const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');

/** The first cells of a README table's rows, between the heading that names it and the next heading. */
function firstCells(heading: string): string[] {
  const start = readme.indexOf(heading);
  if (start < 0) throw new Error(`README has no "${heading}"`);
  const section = readme.slice(start + heading.length).split(/\n#{2,3} /)[0] ?? '';
  return [...section.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1] ?? '');
}

describe('README', () => {
  it('has a row for every plugin prow-ts runs, and none for a plugin it does not', () => {
    expect(firstCells('### The plugins and their commands').sort()).toEqual(plugins.map((p) => p.name).sort());
  });

  it('lists every prow command', () => {
    expect(firstCells('## The `prow` command').map((c) => c.split(' ')[1]).sort()).toEqual(commands.map((c) => c.name).sort());
  });

  it('has a section for every service', () => {
    for (const s of services) expect(readme).toMatch(new RegExp(`^## ${s.name}\\b`, 'm'));
  });
});
