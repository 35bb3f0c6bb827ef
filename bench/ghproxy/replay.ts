import { Octokit } from '@octokit/core';
import type { EmulatorControl } from '../../emulator/github/index.ts';
import { seededRandom } from '../../lib/seeded-random.ts';
import { changeFor, contexts, contributors, type BenchWorld } from './world.ts';

/** One human or CI action of the replay; each makes GitHub send hook one or more webhooks. */
export type Action =
  | { kind: 'comment'; pull: number; user: string; body: string }
  | { kind: 'push'; pull: number }
  | { kind: 'open'; pull: number; repo: string; user: string }
  | { kind: 'status'; pull: number; context: string; state: 'success' | 'failure' | 'pending' }
  | { kind: 'label'; pull: number; user: string; label: string; remove: boolean };

/** What contributors type, weighted as in a busy Kubernetes repo: mostly review commands and plain talk. */
const comments: [number, (r: () => number) => string][] = [
  [14, () => '/lgtm'],
  [10, () => '/approve'],
  [5, (r) => `/assign @${pick(contributors, r)}`],
  [4, (r) => `/cc @${pick(contributors, r)}`],
  [6, (r) => `/kind ${pick(['bug', 'feature', 'cleanup'], r)}`],
  [4, () => '/priority important-soon'],
  [3, () => '/hold'],
  [3, () => '/hold cancel'],
  [5, () => '/retest'],
  [3, () => '/test all'],
  [2, () => '/lgtm cancel'],
  [2, (r) => `/area ${pick(['api', 'cli', 'docs'], r)}`],
  [1, () => '/help'],
  [24, (r) => pick(['Thanks, looks good to me.', 'One nit inline, otherwise fine.', 'Could you add a test for this?', 'Rebased on main.', 'CI flaked, retrying.'], r)],
];

function pick<T>(items: readonly T[], r: () => number): T {
  return items[Math.floor(r() * items.length)] as T;
}

function weighted(r: () => number): (r: () => number) => string {
  const total = comments.reduce((n, [w]) => n + w, 0);
  let at = r() * total;
  for (const [w, make] of comments) {
    at -= w;
    if (at < 0) return make;
  }
  return comments[0]?.[1] ?? (() => '/lgtm');
}

/**
 * The replay's script: `events` actions spread over `minutes`, the same for every run of a seed. Most are PR
 * comments; the rest are pushes, new PRs, CI statuses and label changes by people, in the proportions a busy
 * repo shows. PRs are referred to by their index in the world, new ones by the index they will get.
 */
export function script(world: BenchWorld, events: number, minutes: number, seed = 7): Action[][] {
  const r = seededRandom(seed);
  const perMinute: Action[][] = Array.from({ length: minutes }, () => []);
  let pulls = world.pulls.length;
  for (let i = 0; i < events; i++) {
    const minute = perMinute[Math.floor((i * minutes) / events)] ?? [];
    const pull = Math.floor(r() * pulls);
    const roll = r();
    if (roll < 0.6) minute.push({ kind: 'comment', pull, user: pick(contributors, r), body: weighted(r)(r) });
    else if (roll < 0.72) minute.push({ kind: 'push', pull });
    else if (roll < 0.77) minute.push({ kind: 'open', pull: pulls++, repo: pick(world.repos, r), user: pick(contributors, r) });
    else if (roll < 0.92) minute.push({ kind: 'status', pull, context: pick(contexts, r), state: r() < 0.85 ? 'success' : 'failure' });
    else minute.push({ kind: 'label', pull, user: pick(contributors, r), label: pick(['kind/bug', 'priority/backlog', 'help wanted', 'lifecycle/frozen'], r), remove: r() < 0.3 });
  }
  return perMinute;
}

/** Carries out one action as the person (or CI) would, straight on the emulator. */
export async function perform(action: Action, world: BenchWorld, control: EmulatorControl, as: (login: string) => Octokit): Promise<void> {
  const { org } = world;
  if (action.kind === 'open') {
    const head = `pr-new-${String(action.pull)}`;
    const made = await control.createPullRequest({ owner: org, repo: action.repo, author: action.user, head, title: `New change ${String(action.pull)}`, body: 'What this PR does.', files: changeFor(action.pull, 0) });
    world.pulls[action.pull] = { repo: action.repo, number: made.number, head, headSha: made.headSha, author: action.user, pushes: 1 };
    return;
  }
  const pull = world.pulls[action.pull];
  if (pull === undefined) return;
  const where = { owner: org, repo: pull.repo };
  if (action.kind === 'comment') {
    await as(action.user).request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...where, issue_number: pull.number, body: action.body });
  } else if (action.kind === 'push') {
    const { sha } = await control.commitFiles({ ...where, branch: pull.head, files: changeFor(action.pull, pull.pushes), message: `Address review ${String(pull.pushes)}`, pusher: pull.author });
    pull.headSha = sha;
    pull.pushes += 1;
  } else if (action.kind === 'status') {
    await as('ci-robot').request('POST /repos/{owner}/{repo}/statuses/{sha}', { ...where, sha: pull.headSha, state: action.state, context: action.context });
  } else if (action.remove) {
    await as(action.user)
      .request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', { ...where, issue_number: pull.number, name: action.label })
      .catch(() => undefined);
  } else {
    await as(action.user).request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', { ...where, issue_number: pull.number, labels: [action.label] });
  }
}

/** Plain Octokits straight to the emulator, one per person. */
export function people(emulatorUrl: string, tokens: Record<string, string>): (login: string) => Octokit {
  const made = new Map<string, Octokit>();
  return (login) => {
    let o = made.get(login);
    if (o === undefined) {
      o = new Octokit({ baseUrl: emulatorUrl, auth: tokens[login] });
      made.set(login, o);
    }
    return o;
  };
}
