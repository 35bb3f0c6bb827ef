import type { EmulatorContext } from '../context.ts';
import type { GitService } from '../git/smart-http.ts';
import { actorPermission, atLeast } from '../state/permissions.ts';
import { authenticate } from './authenticate.ts';

/**
 * Who may fetch or push over smart HTTP, by GitHub's rules: anyone fetches a public repo, collaborators
 * fetch private ones, pushing needs write (Apps: `contents: write`). Answers the pusher's login, undefined
 * for an anonymous fetch, false to refuse.
 */
export function gitAccess(emu: EmulatorContext, owner: string, repoName: string, service: GitService, authorization: string | undefined): string | false | undefined {
  let actor;
  try {
    actor = authenticate(emu.state, authorization).actor;
  } catch {
    return false;
  }
  const repo = emu.state.repoByName(owner, repoName.replace(/\.git$/, ''));
  if (!repo) return false;
  const need = service === 'git-receive-pack' ? 'write' : 'read';
  if (!atLeast(actorPermission(emu.state, actor, repo, 'contents'), need)) return false;
  return actor?.account.login;
}
