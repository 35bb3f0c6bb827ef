/** One failed test in one build: what triage clusters (Kettle's failed-test row, with its build's job and start). */
export interface FailureRecord {
  /** The job's name, e.g. `ci-kubernetes-e2e-gci-gce`. */
  job: string;
  /** The build's id within the job (Prow's build number). */
  build: string;
  /** The test's name as TestGrid shows it. */
  test: string;
  /** The failure text as the JUnit report gave it (message and body). */
  text: string;
  /** When the build started, epoch milliseconds. */
  started: number;
  /** Where the build can be seen (Spyglass, Gubernator). */
  url?: string | undefined;
}
