import type { PluginContext, PluginContextBase } from '../plugin.ts';
import { presubmitsFor } from '../../lib/config/index.ts';
import { postCommentOnce } from '../shared/reply-once.ts';
import { removeIssueLabel } from '../shared/issue-label-edits.ts';
import { abortPresubmits } from './abort-presubmits.ts';
import { filterPresubmits, testAllFilter } from './presubmit-filter.ts';
import { changedFilesOf, startPresubmits, type TriggeredPull } from './start-presubmits.ts';
import { isBotLogin, isTrustedForTests, needsOkToTestLabel, okToTestLabel, pullRequestTrust } from './trust.ts';
import { welcomeUntrusted } from './untrusted-welcome.ts';

/** Prow's reply to a trusted author's new draft PR. */
export const draftNotice =
  'Skipping CI for Draft Pull Request.\nIf you want CI signal for your change, please convert it to an actual PR.\nYou can still manually trigger a test run with `/test all`';

type PullEvent = PluginContext<'pull_request'>;

/** The PR of a pull_request event with the labels it had when the event was sent. */
interface EventPull extends TriggeredPull {
  labels: string[];
}

function eventPull(pr: PullEvent['payload']['pull_request']): EventPull {
  const { base, head } = pr;
  return {
    number: pr.number,
    title: pr.title,
    html_url: pr.html_url,
    user: { login: pr.user?.login ?? '', html_url: pr.user?.html_url ?? '' },
    head: { sha: head.sha, ref: head.ref },
    base: { ref: base.ref, repo: { name: base.repo.name, html_url: base.repo.html_url, owner: { login: base.repo.owner?.login ?? '' } } },
    draft: pr.draft,
    mergeable: pr.mergeable,
    labels: pr.labels.map((l) => l.name),
  };
}

/** Starts every presubmit that runs on its own for this change (Prow's buildAll); a draft starts none. */
async function startAll(ctx: PluginContextBase, pr: TriggeredPull): Promise<void> {
  if (pr.draft === true) {
    ctx.log.info({ pull: pr.number }, 'draft PR: no jobs started');
    return;
  }
  const jobs = await filterPresubmits(testAllFilter, presubmitsFor(ctx.config.prow, `${ctx.org}/${ctx.repo}`), pr.base.ref, changedFilesOf(ctx, pr.number));
  await startPresubmits(ctx, pr, jobs);
}

/**
 * Starts every presubmit if the PR is trusted (its author is, or it has `ok-to-test`), taking away
 * `needs-ok-to-test` it may still carry (Prow's buildAllIfTrusted).
 */
async function startAllIfTrusted(ctx: PluginContextBase, pr: EventPull): Promise<void> {
  const trust = await pullRequestTrust(ctx, pr.user.login, pr.number);
  if (!trust.trusted) {
    ctx.log.debug({ pull: pr.number }, 'untrusted PR without ok-to-test: no jobs started');
    return;
  }
  if ((trust.labels ?? pr.labels).includes(needsOkToTestLabel)) await removeIssueLabel(ctx, pr.number, needsOkToTestLabel);
  await startAll(ctx, pr);
}

/** A new PR: a trusted author's runs (a draft gets a notice instead); an untrusted author is welcomed and asked to wait. */
async function onOpened(ctx: PluginContextBase, pr: EventPull): Promise<void> {
  const author = pr.user.login;
  if (!(await isTrustedForTests(ctx, author))) {
    await welcomeUntrusted(ctx, pr.number, author, pr.labels);
    return;
  }
  if (pr.draft === true) {
    await postCommentOnce(ctx, pr.number, draftNotice);
    return;
  }
  await startAll(ctx, pr);
}

/**
 * Trigger on pull request events, as Prow's handlePR: new, reopened, ready and re-based PRs run when trusted;
 * a push aborts the jobs on the old head and runs again; `ok-to-test` added by a person and `lgtm` on an
 * untrusted PR run once; closing or going back to draft aborts what is running.
 */
export async function onPullRequest(ctx: PullEvent): Promise<void> {
  const { payload } = ctx;
  const pr = eventPull(payload.pull_request);
  const hasPresubmits = presubmitsFor(ctx.config.prow, `${ctx.org}/${ctx.repo}`).length > 0;
  switch (payload.action) {
    case 'opened':
      if (hasPresubmits) await onOpened(ctx, pr);
      return;
    case 'reopened':
    case 'ready_for_review':
      if (hasPresubmits) await startAllIfTrusted(ctx, pr);
      return;
    case 'edited':
      // Only a new base calls for new runs; a new title or body does not.
      if (hasPresubmits && (payload.changes.base?.ref.from !== undefined || payload.changes.base?.sha.from !== undefined)) await startAllIfTrusted(ctx, pr);
      return;
    case 'synchronize':
      await abortPresubmits(ctx, pr.number, pr.head.sha);
      if (hasPresubmits) await startAllIfTrusted(ctx, pr);
      return;
    case 'labeled': {
      if (!hasPresubmits) return;
      const label = payload.label?.name;
      if (label === 'lgtm') {
        // An lgtm'd PR by an untrusted author is run once: a reviewer has looked at it.
        if (!(await pullRequestTrust(ctx, pr.user.login, pr.number)).trusted) await startAll(ctx, pr);
        return;
      }
      // The bot adds ok-to-test for /ok-to-test, which starts the jobs itself.
      if (label === okToTestLabel && !isBotLogin(ctx, payload.sender.login)) await startAll(ctx, pr);
      return;
    }
    case 'closed':
    case 'converted_to_draft':
      await abortPresubmits(ctx, pr.number);
      return;
    default:
      return;
  }
}
