import { gitAttributesPattern } from './git-pattern.ts';

interface Rule {
  matches: (path: string) => boolean;
  generated: boolean;
}

/** What one attribute token says about linguist-generated: set, unset, or nothing. */
function generatedSetting(attr: string): boolean | undefined {
  if (attr === 'linguist-generated' || attr === 'linguist-generated=true') return true;
  if (attr === '-linguist-generated' || attr === '!linguist-generated' || attr === 'linguist-generated=false') return false;
  return undefined;
}

/**
 * The files a `.gitattributes` marks `linguist-generated`, GitHub's "generated" files that diffs hide. As in
 * git, the last line that matches a path and speaks of the attribute decides, so `linguist-generated=false`
 * (which Prow does not read) can carve an exception out of a wider pattern.
 */
export function linguistGenerated(gitattributes: string): (path: string) => boolean {
  const rules: Rule[] = [];
  for (const raw of gitattributes.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [pattern, ...attrs] = line.split(/\s+/);
    if (pattern === undefined || pattern.startsWith('"')) continue;
    let generated: boolean | undefined;
    for (const attr of attrs) generated = generatedSetting(attr) ?? generated;
    if (generated !== undefined) rules.push({ matches: gitAttributesPattern(pattern), generated });
  }
  return (path) => rules.findLast((r) => r.matches(path))?.generated ?? false;
}
