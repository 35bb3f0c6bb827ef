import { describe, expect, it } from 'vitest';
import { KubeStatusError } from './kube-status.ts';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './patch.ts';

describe('patches', () => {
  it('applies every JSON patch operation without touching the target, and refuses a failed test with 422', () => {
    const target = { a: { b: [1, 2] }, 'x/y': 'slash', c: 'keep' };
    const patched = applyJsonPatch(target, [
      { op: 'add', path: '/a/b/-', value: 3 },
      { op: 'add', path: '/a/b/0', value: 0 },
      { op: 'replace', path: '/x~1y', value: 'replaced' },
      { op: 'copy', from: '/c', path: '/d' },
      { op: 'move', from: '/c', path: '/e' },
      { op: 'remove', path: '/a/b/1' },
      { op: 'test', path: '/e', value: 'keep' },
    ]);
    expect(patched).toEqual({ a: { b: [0, 2, 3] }, 'x/y': 'replaced', d: 'keep', e: 'keep' });
    expect(target).toEqual({ a: { b: [1, 2] }, 'x/y': 'slash', c: 'keep' });
    const failed = (() => {
      try {
        applyJsonPatch(target, [{ op: 'test', path: '/c', value: 'other' }]);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(failed).toBeInstanceOf(KubeStatusError);
    expect((failed as KubeStatusError).code).toBe(422);
    expect(() => applyJsonPatch(target, [{ op: 'remove', path: '/nope' }])).toThrow(KubeStatusError);
  });

  it('merge-patches by RFC 7386 and strategic-merges keyed lists', () => {
    const pod = { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] }, status: { conditions: [{ type: 'Ready', status: 'False' }] } };
    expect(applyMergePatch(pod, { spec: { containers: [{ name: 'c' }] }, status: null })).toEqual({ spec: { containers: [{ name: 'c' }] } });
    expect(
      applyStrategicMergePatch(pod, {
        spec: { containers: [{ name: 'b', image: 'z' }, { name: 'a', $patch: 'delete' }] },
        status: { conditions: [{ type: 'Scheduled', status: 'True' }] },
      }),
    ).toEqual({ spec: { containers: [{ name: 'b', image: 'z' }] }, status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'Scheduled', status: 'True' }] } });
  });
});
