// Prow's command regexes (pkg/pjutil/filter.go, help.go): each on a line of its own, case-sensitive as Prow's.

/** `/retest`: failed jobs and those that never reported. */
export const retestRe = /^\/retest\s*$/m;
/** `/retest-required`: as `/retest`, optional jobs left out. */
export const retestRequiredRe = /^\/retest-required\s*$/m;
/** `/test-manual-required`: the required jobs that run only when named. */
export const testManualRequiredRe = /^\/test-manual-required\s*$/m;
/** `/ok-to-test`: marks an untrusted author's PR as trusted and runs what `/test all` runs. */
export const okToTestRe = /^\/ok-to-test\s*$/m;
/** `/ok-to-test cancel`: takes the trust back. */
export const okToTestCancelRe = /^\/ok-to-test\s+cancel\s*$/m;
/** `/test ?`: list the jobs. */
export const testHelpRe = /^\/test[ \t]*\?\s*$/m;
/** A bare `/test`. */
export const testWithoutTargetRe = /^\/test\s*$/m;
/** `/retest` with words after it, which it does not take. */
export const retestWithTargetRe = /^\/retest[ \t]+\S+/m;
/** `/test` with any target. */
export const testWithAnyTargetRe = /^\/test[ \t]+\S+/m;

/** True when the comment may call for a help reply (Prow's MayNeedHelpComment). */
export function mayNeedHelp(body: string): boolean {
  return testHelpRe.test(body) || testWithoutTargetRe.test(body) || retestWithTargetRe.test(body) || testWithAnyTargetRe.test(body);
}

/** The comment without its fenced code blocks, so a command quoted in ``` does not run. */
export function withoutCodeBlocks(body: string): string {
  let fenced = false;
  const kept: string[] = [];
  for (const line of body.split('\n')) {
    if (line.trimStart().startsWith('```')) fenced = !fenced;
    else if (!fenced) kept.push(line);
  }
  return kept.join('\n');
}
