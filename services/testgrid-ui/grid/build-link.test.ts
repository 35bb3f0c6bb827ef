import { describe, expect, it } from 'vitest';
import { buildLinkFor } from './build-link.ts';

describe('buildLinkFor', () => {
  it('names the bucket from the gcs_prefix and the build by its directory', () => {
    expect(buildLinkFor('prow-artifacts/logs/ci-unit', 'logs/ci-unit/17')).toBe('/view/gs/prow-artifacts/logs/ci-unit/17');
    expect(buildLinkFor('gs://kubernetes-ci-logs/logs/ci-e2e', 'logs/ci-e2e/9')).toBe('/view/gs/kubernetes-ci-logs/logs/ci-e2e/9');
    expect(buildLinkFor('s3://acme-logs/pr-logs/directory/pull-unit', 'pr-logs/pull/acme_w/1/pull-unit/3')).toBe('/view/s3/acme-logs/pr-logs/pull/acme_w/1/pull-unit/3');
  });
});
