/** TestGrid's cell statuses with their proto numbers (`pb/test_status/test_status.proto`). */
export const TestStatus = {
  NO_RESULT: 0,
  PASS: 1,
  PASS_WITH_ERRORS: 2,
  PASS_WITH_SKIPS: 3,
  RUNNING: 4,
  CATEGORIZED_ABORT: 5,
  UNKNOWN: 6,
  CANCEL: 7,
  BLOCKED: 8,
  TIMED_OUT: 9,
  CATEGORIZED_FAIL: 10,
  BUILD_FAIL: 11,
  FAIL: 12,
  FLAKY: 13,
  TOOL_FAIL: 14,
  BUILD_PASSED: 15,
} as const;

/** One cell status, as its proto number. */
export type TestStatus = (typeof TestStatus)[keyof typeof TestStatus];

/** The status names by number, for JSON readers and messages. */
export const statusNames: Readonly<Record<TestStatus, keyof typeof TestStatus>> = Object.fromEntries(
  Object.entries(TestStatus).map(([name, n]) => [n, name]),
) as Record<TestStatus, keyof typeof TestStatus>;

// TestGrid's internal/result order, least severe first.
const bySeverity: readonly TestStatus[] = [
  TestStatus.NO_RESULT,
  TestStatus.BUILD_PASSED,
  TestStatus.PASS,
  TestStatus.PASS_WITH_SKIPS,
  TestStatus.PASS_WITH_ERRORS,
  TestStatus.RUNNING,
  TestStatus.CATEGORIZED_ABORT,
  TestStatus.UNKNOWN,
  TestStatus.CANCEL,
  TestStatus.BLOCKED,
  TestStatus.FLAKY,
  TestStatus.TOOL_FAIL,
  TestStatus.TIMED_OUT,
  TestStatus.CATEGORIZED_FAIL,
  TestStatus.BUILD_FAIL,
  TestStatus.FAIL,
];
const rank = new Map(bySeverity.map((s, i) => [s, i]));

/** How severe a status is: higher is worse, as TestGrid orders them. */
export function severity(status: TestStatus): number {
  return rank.get(status) ?? 0;
}

/** The more severe of two statuses. */
export function worse(a: TestStatus, b: TestStatus): TestStatus {
  return severity(b) > severity(a) ? b : a;
}

/** BUILD_PASSED up to PASS_WITH_ERRORS. */
export function isPassing(status: TestStatus): boolean {
  const r = severity(status);
  return r >= severity(TestStatus.BUILD_PASSED) && r <= severity(TestStatus.PASS_WITH_ERRORS);
}

/** TOOL_FAIL up to FAIL. */
export function isFailing(status: TestStatus): boolean {
  return severity(status) >= severity(TestStatus.TOOL_FAIL);
}

/** What `Coalesce` reduces a status to: PASS, FAIL, FLAKY, NO_RESULT or UNKNOWN. */
export type CoalescedStatus = typeof TestStatus.PASS | typeof TestStatus.FAIL | typeof TestStatus.FLAKY | typeof TestStatus.NO_RESULT | typeof TestStatus.UNKNOWN;

/** TestGrid's Coalesce: passing → PASS, failing → FAIL, FLAKY stays, RUNNING → NO_RESULT when `ignoreRunning`. */
export function coalesce(status: TestStatus, ignoreRunning: boolean): CoalescedStatus {
  if (status === TestStatus.NO_RESULT) return TestStatus.NO_RESULT;
  if (status === TestStatus.RUNNING && ignoreRunning) return TestStatus.NO_RESULT;
  if (status === TestStatus.FLAKY) return TestStatus.FLAKY;
  if (isPassing(status)) return TestStatus.PASS;
  if (isFailing(status)) return TestStatus.FAIL;
  return TestStatus.UNKNOWN;
}
