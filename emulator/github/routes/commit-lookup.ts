import type { EmulatorContext } from '../context.ts';
import { GitHubError } from '../http/github-error.ts';
import type { Repo } from '../state/types.ts';
import { gitName } from './pull-actions.ts';

/** The full sha a branch, tag, ref or (short) sha names, or GitHub's 422 `No commit found for SHA: <ref>`. */
export async function resolveCommitRef(emu: EmulatorContext, repo: Repo, ref: string): Promise<string> {
  const [owner, name] = gitName(emu, repo);
  const candidates = ref.startsWith('refs/') ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`, ref];
  for (const c of candidates) {
    const sha = await emu.git.resolve(owner, name, c).catch(() => undefined);
    if (sha !== undefined) return sha;
  }
  throw new GitHubError(422, `No commit found for SHA: ${ref}`);
}
