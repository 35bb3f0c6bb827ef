import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildStarter, defaultConfigDir, defaultImage, renderStarter } from './starter.ts';

/** Where the generator writes: starter.yaml at the repository's root. */
export const starterPath = fileURLToPath(new URL('../starter.yaml', import.meta.url));

/** starter.yaml as the generator would write it now. */
export async function generatedStarter(): Promise<string> {
  return renderStarter(await buildStarter({ configDir: defaultConfigDir, image: defaultImage }));
}

// `npm run starter` (npx tsx deploy/generate.ts) writes starter.yaml; `--check` only says whether it is up to date.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const text = await generatedStarter();
  if (values.check) {
    const current = existsSync(starterPath) ? readFileSync(starterPath, 'utf8') : '';
    if (current !== text) {
      console.error('starter.yaml is out of date: run `npm run starter` and commit it');
      process.exitCode = 1;
    }
  } else {
    writeFileSync(starterPath, text);
    console.log(`wrote ${starterPath}`);
  }
}
