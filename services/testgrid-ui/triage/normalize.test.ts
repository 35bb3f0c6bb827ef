import { describe, expect, it } from 'vitest';
import { MAX_CLUSTER_TEXT_LENGTH, TRUNCATION_MARKER, normalizeFailureText, truncateText } from './normalize.ts';

/** Two runs of one e2e failure: every time, name, address and duration differs, the cause does not. */
const e2eRun = (ns: string, pod: string, node: string, ip: string, at: string, took: string): string =>
  `/home/prow/go/src/k8s.io/kubernetes/test/e2e/apps/deployment.go:${at}\n` +
  `${ns === 'e2e-tests-deployment-x7k9p' ? 'Jun 12 10:31:44.512' : 'Jul  3 02:05:09.003'}: INFO: Waiting for pods in namespace ${ns}\n` +
  `pod ${pod} on node ${node} at ${ip}:8080 did not become ready: timed out after ${took}`;

describe('normalizeFailureText', () => {
  it('makes two runs of one Kubernetes e2e failure identical', () => {
    const a = e2eRun('e2e-tests-deployment-x7k9p', 'web-7d4b9c8f6d-x2k9p', 'gke-e2e-default-pool-1a2b3c4d-wx9z', '10.40.0.12', '123', '5m0.12s');
    const b = e2eRun('e2e-tests-deployment-q2w4z', 'web-5f6c7b9d8b-m8n7b', 'gke-e2e-default-pool-9f8e7d6c-ab12', '10.40.3.7', '131', '5m1.9s');
    expect(normalizeFailureText(a)).toBe(normalizeFailureText(b));
    expect(normalizeFailureText(a)).toBe(
      '/home/prow/go/src/k8s.io/kubernetes/test/e2e/apps/deployment.go:UNIQ1\n' +
        'TIME: INFO: Waiting for pods in namespace e2e-tests-deployment-UNIQ2\n' +
        'pod web-UNIQ3 on node UNIQ4 at UNIQ5 did not become ready: timed out after UNIQ6',
    );
  });

  it('renames klog headers, reflector line numbers and API server addresses in a client-go error', () => {
    const text =
      'I0612 10:31:44.512345   12345 reflector.go:424] pkg/mod/k8s.io/client-go@v0.30.1/tools/cache/reflector.go:229: ' +
      'failed to list *v1.Pod: Get "https://172.18.0.2:6443/api/v1/pods?limit=500": dial tcp 172.18.0.2:6443: connect: connection refused';
    expect(normalizeFailureText(text)).toBe(
      'ITIME   UNIQ1 reflector.go:UNIQ2] pkg/mod/k8s.io/client-go@v0.30.1/tools/cache/reflector.go:UNIQ3: ' +
        'failed to list *v1.Pod: Get "https://UNIQ4/api/v1/pods?limit=500": dial tcp UNIQ4: connect: connection refused',
    );
  });

  it('sorts Go map entries and renames pointers, goroutines and durations in a Go test panic', () => {
    const text =
      '--- FAIL: TestReconcile (1.23s)\n' +
      '    controller_test.go:88: expected map[b:2 a:1] got map[c:3 a:1]\n' +
      'panic: runtime error: invalid memory address or nil pointer dereference [signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x10f5a2c]\n' +
      'goroutine 42 [running]:\nmain.(*Reconciler).Do(0xc000123456)';
    expect(normalizeFailureText(text)).toBe(
      '--- FAIL: TestReconcile (UNIQ1)\n' +
        '    controller_test.go:UNIQ2: expected map[a:1 b:2] got map[a:1 c:3]\n' +
        'panic: runtime error: invalid memory address or nil pointer dereference [signal SIGSEGV: segmentation violation code=UNIQ3 addr=UNIQ4 pc=UNIQ5]\n' +
        'goroutine UNIQ6 [running]:\nmain.(*Reconciler).Do(UNIQ7)',
    );
  });

  it('renames line numbers, temp paths, UUIDs and durations in a pytest traceback', () => {
    const text =
      'Traceback (most recent call last):\n  File "/usr/lib/python3.11/site-packages/store/upload.py", line 112, in run\n' +
      '    raise TimeoutError(f"took {t}")\n' +
      'TimeoutError: deadline exceeded after 30.51 seconds, tmp=/tmp/pytest-of-root/pytest-3/test_upload0/data.bin, id=3f2c1a9e-5b7d-4c1e-9a2b-1234567890ab';
    expect(normalizeFailureText(text)).toBe(
      'Traceback (most recent call last):\n  File "/usr/lib/python3.11/site-packages/store/upload.py", line UNIQ1, in run\n' +
        '    raise TimeoutError(f"took {t}")\n' +
        'TimeoutError: deadline exceeded after UNIQ2, tmp=UNIQ3, id=UNIQ4',
    );
  });

  it('keeps the values a Jest assertion compared and renames its location and timing', () => {
    const text =
      '● Checkout › applies coupon\n\n    expect(received).toBe(expected) // Object.is equality\n\n' +
      '    Expected: 200\n    Received: 503\n\n      at Object.<anonymous> (src/checkout.test.ts:42:17)\n\n  ✕ applies coupon (123 ms)';
    const out = normalizeFailureText(text);
    expect(out).toContain('Expected: 200\n    Received: 503');
    expect(out).toContain('(src/checkout.test.ts:UNIQ1)');
    expect(out).toContain('✕ applies coupon (UNIQ2)');
  });

  it('renames one token to one name everywhere in the text, and each new token to the next name', () => {
    expect(normalizeFailureText('dial 10.0.0.1:443 then 10.0.0.2:443 then 10.0.0.1:443 again')).toBe(
      'dial UNIQ1 then UNIQ2 then UNIQ1 again',
    );
  });

  it('turns each date and time form into TIME', () => {
    const forms = [
      '2024-06-12T10:31:44.512Z',
      '2024-06-12T10:31:44+02:00',
      '2024-06-12 10:31:44.512345 +0000 UTC m=+12.345678',
      '2024/06/12 10:31:44',
      '06/12/26 10:31:44.123',
      'Mon, 02 Jan 2006 15:04:05 MST',
      'Mon Jan  2 15:04:05 UTC 2006',
      'Jan  2 15:04:05.000',
      '2024-06-12',
      '10:31:44',
    ];
    for (const form of forms) expect(normalizeFailureText(`at ${form}: boom`), form).toBe('at TIME: boom');
  });

  it('renames node names, IPv6 addresses, local ports and numbered names', () => {
    expect(
      normalizeFailureText('kind-worker2 ip-10-0-1-23.ec2.internal [fe80::1%eth0]:8443 localhost:34567 kubectl-4521 cluster_7 Server #3'),
    ).toBe('UNIQ1 UNIQ2 UNIQ3 UNIQ4 kubectl-UNIQ5 cluster_UNIQ6 Server #UNIQ7');
  });

  it('renames a UUID after a dash whole, even when its first group is all digits', () => {
    expect(normalizeFailureText('pod dns-test-12345678-582f-4c3d-9e2a-0123456789ab failed; dns-test-4521 too')).toBe('pod dns-test-UNIQ1 failed; dns-test-UNIQ2 too');
  });

  it('renames generated 5-character suffixes but not words', () => {
    expect(normalizeFailureText('e2e-tests-foo-abc12 e2e-tests-foo-xkdjq nginx-tests sig-apps')).toBe(
      'e2e-tests-foo-UNIQ1 e2e-tests-foo-UNIQ2 nginx-tests sig-apps',
    );
  });

  it('keeps what tells causes apart: messages, plain numbers, exit codes', () => {
    const text = 'command "make test" failed with exit status 2: expected 3 replicas, got 1';
    expect(normalizeFailureText(text)).toBe(text);
  });

  it('cuts a text past the maximum length to its head and tail around the marker', () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `step ${i} of the rollout`);
    const out = normalizeFailureText(lines.join('\n'));
    expect(out.length).toBe(MAX_CLUSTER_TEXT_LENGTH + TRUNCATION_MARKER.length);
    expect(out.startsWith('step 0 of the rollout\n')).toBe(true);
    expect(out.endsWith('step 1999 of the rollout')).toBe(true);
    expect(out).toContain(TRUNCATION_MARKER);
  });

  it('drops repeated lines of a long text before cutting it, so a short one stays whole', () => {
    const repeated = Array.from({ length: 800 }, () => 'W0612 retrying connection').join('\n');
    const text = `first line\n${repeated}\nlast line`;
    expect(truncateText(text, 1000)).toBe('first line\nW0612 retrying connection\nlast line');
    expect(truncateText('short', 1000)).toBe('short');
  });

  it('bounds the work on a huge text but keeps its head and its tail', () => {
    const dump = `panic: boom\n${'goroutine stack line\n'.repeat(100_000)}the end`;
    const out = normalizeFailureText(dump, 1000);
    expect(out.startsWith('panic: boom\n')).toBe(true);
    expect(out.endsWith('the end')).toBe(true);
  });
});
