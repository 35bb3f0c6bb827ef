/** One workload of the merge-queue simulation (reference section 3.3). Times in minutes. */
export interface Scenario {
  name: string;
  description: string;
  /** Ready PRs per hour (Poisson). */
  arrivalsPerHour: number;
  /** Hours [from, to) in which arrivals are multiplied by `factor` (a code-freeze rush). */
  burst?: { from: number; to: number; factor: number };
  /** Median duration of one job (lognormal, σ 0.3); a run's jobs run in parallel. */
  testMinutes: number;
  /** Chance a PR is truly bad: it fails one job of every run it is in. */
  bad: number;
  /** Chance a whole run (all its jobs) has at least one flaky failure. */
  flake: number;
  /** Concurrent runs the CI can hold. */
  capacity: number;
  /** Required jobs per run. */
  jobs: number;
  hours: number;
}

export const scenarios: Scenario[] = [
  { name: 'A', description: 'λ=4/h, T=30m, p=5%, f=5%, C=10', arrivalsPerHour: 4, testMinutes: 30, bad: 0.05, flake: 0.05, capacity: 10, jobs: 10, hours: 168 },
  {
    name: 'B',
    description: 'Kubernetes-like: λ=2/h, T=90m, p=10%, f=15%, C=10, code-freeze ×5 for 12 h',
    arrivalsPerHour: 2,
    burst: { from: 72, to: 84, factor: 5 },
    testMinutes: 90,
    bad: 0.1,
    flake: 0.15,
    capacity: 10,
    jobs: 10,
    hours: 168,
  },
  { name: 'C', description: 'monorepo: λ=40/h, T=20m, p=3%, f=2%, C=50', arrivalsPerHour: 40, testMinutes: 20, bad: 0.03, flake: 0.02, capacity: 50, jobs: 10, hours: 72 },
  { name: 'D', description: 'kube-agents-like: λ=0.5/h, T=150m, p=5%, f=40%, C=10', arrivalsPerHour: 0.5, testMinutes: 150, bad: 0.05, flake: 0.4, capacity: 10, jobs: 10, hours: 336 },
];

/** How long an author takes to fix a bad PR, and a human (or retest bot) to retest a flaked one. */
export const fixMinutes = 240;
export const retestMinutes = 60;
