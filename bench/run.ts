import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const dir = fileURLToPath(new URL('.', import.meta.url));
const available = (await readdir(dir))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !['run.ts', 'report.ts', 'child-server.ts'].includes(f))
  .map((f) => f.slice(0, -3))
  .sort();

const name = process.argv[2];
if (name === undefined || !available.includes(name)) {
  console.error(`${name === undefined ? 'name a benchmark' : `no benchmark "${name}"`}: npm run bench -- <name>`);
  console.error(`benchmarks: ${available.join(', ')}`);
  process.exit(2);
}
await import(pathToFileURL(join(dir, `${name}.ts`)).href);
