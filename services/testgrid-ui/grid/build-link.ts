import { buildPagePath } from '../api/build.ts';

/**
 * The build page of one column: `/view/<provider>/<bucket>/<dir>`, from the test group's gcs_prefix (which
 * names the bucket: `bucket/path`, `gs://bucket/path` or `s3://bucket/path`) and the column's `dir` (a key
 * in that bucket). Grid cells, the test history and triage's examples all link through this.
 */
export function buildLinkFor(gcsPrefix: string, dir: string): string {
  const provider = gcsPrefix.startsWith('s3://') ? 's3' : 'gs';
  const rest = gcsPrefix.replace(/^(gs|s3):\/\//, '').replace(/^\/+/, '');
  const bucket = rest.split('/')[0] ?? '';
  return buildPagePath({ provider, bucket: bucket === '' ? 'local' : bucket, dir });
}
