import type { ChangeOwners } from './change-owners.ts';

/** One approval of a PR: who, how (`Approved`, `LGTM`, `Author self-approved`) and where. */
export interface Approval {
  login: string;
  how: 'Approved' | 'LGTM' | 'Author self-approved';
  reference: string;
  noIssue: boolean;
}

function intersects(a: ReadonlySet<string> | undefined, b: ReadonlySet<string>): number {
  let n = 0;
  if (a) for (const v of a) if (b.has(v)) n++;
  return n;
}

/**
 * The approvals given on one change and what follows from them (Prow's approvers.Approvers): which OWNERS
 * files still need an approver, whether the PR is approved, and whom to suggest. Logins are compared in lower case.
 */
export class Approvers {
  readonly owners: ChangeOwners;
  readonly #approvals = new Map<string, Approval>();
  readonly assignees = new Set<string>();
  associatedIssue = 0;
  requireIssue = false;
  manuallyApproved = false;

  constructor(owners: ChangeOwners) {
    this.owners = owners;
  }

  #add(login: string, how: Approval['how'], reference: string, noIssue: boolean): void {
    const key = login.toLowerCase();
    // A later approval replaces an earlier one, except that a no-issue approval is not downgraded.
    if (this.#approvals.get(key)?.noIssue === true && !noIssue) return;
    this.#approvals.set(key, { login, how, reference, noIssue });
  }

  addApprover(login: string, reference: string, noIssue: boolean): void {
    this.#add(login, 'Approved', reference, noIssue);
  }

  addLgtmer(login: string, reference: string, noIssue: boolean): void {
    this.#add(login, 'LGTM', reference, noIssue);
  }

  addAuthorSelfApprover(login: string, reference: string, noIssue: boolean): void {
    this.#add(login, 'Author self-approved', reference, noIssue);
  }

  removeApprover(login: string): void {
    this.#approvals.delete(login.toLowerCase());
  }

  addAssignees(...logins: string[]): void {
    for (const l of logins) this.assignees.add(l.toLowerCase());
  }

  /** Who approved, in lower case. */
  currentApprovers(): Set<string> {
    return new Set(this.#approvals.keys());
  }

  /** Every approval, by login. */
  listApprovals(): Approval[] {
    return [...this.#approvals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  }

  /** Needed OWNERS files that no current approver can approve. */
  unapprovedFiles(): Set<string> {
    const needed = this.owners.ownersSet();
    const current = this.currentApprovers();
    const out = new Set<string>();
    for (const f of this.owners.filenames) {
      const owners = this.owners.repo.findApproverOwnersForFile(f);
      if (needed.has(owners) && intersects(this.owners.repo.approvers(f), current) === 0) out.add(owners);
    }
    return out;
  }

  /** Needed OWNERS file to the approvers (as they wrote their logins) who approved for it. */
  filesApprovers(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [file, potential] of this.owners.approversByOwners()) {
      out.set(file, this.listApprovals().map((a) => a.login).filter((l) => potential.has(l.toLowerCase())).sort());
    }
    return out;
  }

  /** The no-issue approvals from people who can approve at least one needed OWNERS file. */
  noIssueApprovals(): Approval[] {
    const reverse = this.owners.reverseMap(this.owners.approversByOwners());
    return this.listApprovals().filter((a) => a.noIssue && (reverse.get(a.login.toLowerCase())?.size ?? 0) > 0);
  }

  areFilesApproved(): boolean {
    return this.owners.allFilenames.length > 0 && this.unapprovedFiles().size === 0;
  }

  requirementsMet(): boolean {
    return this.areFilesApproved() && (!this.requireIssue || this.associatedIssue !== 0 || this.noIssueApprovals().length > 0);
  }

  isApproved(): boolean {
    return this.requirementsMet() || this.manuallyApproved;
  }

  #unapprovedWith(approvers: Iterable<string>): Set<string> {
    const trial = new Approvers(this.owners);
    for (const a of approvers) trial.addApprover(a, '', false);
    return trial.unapprovedFiles();
  }

  /** Greedy cover: adds the approver covering most unapproved files until all are covered or nobody helps. */
  #suggested(reverse: Map<string, Set<string>>, potential: readonly string[]): Set<string> {
    const trial = new Approvers(this.owners);
    while (!trial.requirementsMet()) {
      const unapproved = trial.unapprovedFiles();
      const current = trial.currentApprovers();
      let best = '';
      let most = 0;
      for (const a of potential) {
        const covered = intersects(reverse.get(a), unapproved);
        if (covered > most && !current.has(a)) {
          most = covered;
          best = a;
        }
      }
      if (best === '') break;
      trial.addApprover(best, '', false);
    }
    return trial.currentApprovers();
  }

  #keepCovering(reverse: Map<string, Set<string>>, known: Set<string>, potential: readonly string[]): Set<string> {
    const unapproved = this.#unapprovedWith(known);
    return new Set([...this.#suggested(reverse, potential)].sort().filter((s) => intersects(reverse.get(s), unapproved) > 0));
  }

  /** Prow's GetCCs: suggested leaf approvers not made useless by current approvers and assignees, plus the useful assignees. */
  ccs(): string[] {
    const current = this.currentApprovers();
    const approversAndAssignees = new Set([...current, ...this.assignees]);
    const leafReverse = this.owners.reverseMap(this.owners.approversByOwners(true));
    const suggested = this.#keepCovering(leafReverse, approversAndAssignees, this.owners.shuffledApprovers());
    const approversAndSuggested = new Set([...current, ...suggested]);
    const everyone = [...new Set([...approversAndSuggested, ...this.assignees])].sort();
    const fullReverse = this.owners.reverseMap(this.owners.approversByOwners());
    const keepAssignees = this.#keepCovering(fullReverse, approversAndSuggested, everyone);
    return [...new Set([...suggested, ...keepAssignees])].sort();
  }

  /** Suggested approvers already assigned. */
  assignedCcs(): string[] {
    return this.ccs().filter((c) => this.assignees.has(c));
  }

  /** Suggested approvers not yet assigned. */
  suggestedCcs(): string[] {
    return this.ccs().filter((c) => !this.assignees.has(c));
  }
}
