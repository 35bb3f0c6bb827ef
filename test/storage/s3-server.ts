import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A real S3 server (s3rver) on a free port, keeping its objects in a temporary directory. */
export interface TestS3Server {
  endpoint: string;
  bucket: string;
  close(): Promise<void>;
}

/** Credentials s3rver accepts (it checks signatures against these fixed ones). */
export const s3rverCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

// s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only has in its legacy
// provider: in this process every second page would be a 500. So it runs in a child with that provider.
const script = `
const S3rver = require('s3rver');
const [directory, bucket] = process.argv.slice(1);
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
server.run().then(({ port }) => { process.stdout.write(port + '\\n'); });
process.on('SIGTERM', () => { server.close().finally(() => process.exit(0)); });
`;

/** Starts s3rver with one empty bucket; `close` stops it and removes its files. */
export async function startS3Server(bucket = 'prow-test'): Promise<TestS3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'prow-s3rver-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', script, directory, bucket], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
  const port = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => { reject(new Error(`s3rver exited with ${String(code)} before listening`)); });
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    close: async () => {
      child.kill('SIGTERM');
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
