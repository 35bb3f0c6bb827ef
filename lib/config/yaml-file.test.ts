import { describe, expect, it } from 'vitest';
import { issueAt, parseYaml } from './yaml-file.ts';

describe('parseYaml', () => {
  it('reads scalars the way go-yaml (and so Prow) does', () => {
    const { yaml, issues } = parseYaml('x.yaml', 'mode: 0400\non: yes\ntime: 1:30\nday: 2024-01-01\n');
    expect(issues).toEqual([]);
    expect(yaml.data).toEqual({ mode: 256, true: true, time: '1:30', day: '2024-01-01' });
  });

  it('keeps `.` a string, as go-yaml does, while numbers with a dot stay numbers', () => {
    const { yaml } = parseYaml('x.yaml', 'args: [build, ., -., +., 1., .5, -1.5, 1_000.5, .inf, 1e3]\n');
    expect(yaml.data).toEqual({ args: ['build', '.', '-.', '+.', 1, 0.5, -1.5, 1000.5, Infinity, 1000] });
  });

  it('follows merge keys, and finds positions through them', () => {
    const { yaml } = parseYaml('x.yaml', 'base: &b\n  cluster: c1\njob:\n  <<: *b\n  name: j\n');
    expect(yaml.data).toEqual({ base: { cluster: 'c1' }, job: { cluster: 'c1', name: 'j' } });
    expect(issueAt(yaml, ['job', 'cluster'], 'm', 'error', 'key')).toMatchObject({ line: 2, col: 3, path: 'job.cluster' });
  });

  it('points at the value, the key, or the nearest parent that exists', () => {
    const { yaml } = parseYaml('x.yaml', 'a:\n  list:\n  - one\n  - two\n');
    expect(issueAt(yaml, ['a', 'list', 1], 'm')).toMatchObject({ line: 4, col: 5, path: 'a.list[1]' });
    expect(issueAt(yaml, ['a', 'list'], 'm', 'error', 'key')).toMatchObject({ line: 2, col: 3 });
    expect(issueAt(yaml, ['a', 'missing'], 'm')).toMatchObject({ line: 2, col: 3, path: 'a.missing' });
  });

  it('reports a second document as an error, since Prow reads one per file', () => {
    const { issues } = parseYaml('x.yaml', 'a: 1\n---\nb: 2\n');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'x.yaml', line: 2, severity: 'error' });
  });
});
