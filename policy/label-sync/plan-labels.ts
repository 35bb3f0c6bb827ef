import type { LabelSpec, LabelsConfig } from './labels-file.ts';

/** A label as GitHub holds it. */
export interface RepoLabel {
  name: string;
  color: string;
  description: string;
}

/** One change label-sync makes to a repo, with Prow's reason for it. */
export type LabelAction =
  | { kind: 'create'; label: RepoLabel; why: 'missing' }
  /** PATCH the label `from` (GitHub keeps every issue labelled through a rename). */
  | { kind: 'update'; from: string; label: RepoLabel; why: 'rename' | 'capitalization' | 'color' | 'description' }
  /** Both names exist: label everything `from` has with `to`, then delete `from`. */
  | { kind: 'migrate'; from: string; to: string; why: 'migrate' }
  | { kind: 'delete'; name: string; why: 'dead label' };

/** The labels of one repo sorted as Prow's classifyLabels does, keyed by lower-case name. */
interface Classified {
  /** Live labels: created when missing, kept in colour and description. */
  required: Map<string, LabelSpec>;
  /** Previous names, each with the live label it migrates to. */
  archaic: Map<string, LabelSpec>;
  /** Labels whose deleteAfter has passed: deleted where they exist. */
  dead: Set<string>;
}

function classify(labels: readonly LabelSpec[], into: Classified, now: Date, parent?: LabelSpec): void {
  for (const label of labels) {
    const lower = label.name.toLowerCase();
    if (label.deleteAfter !== undefined && Date.parse(label.deleteAfter) < now.getTime()) into.dead.add(lower);
    else if (parent) into.archaic.set(lower, parent);
    // A live label with a deleteAfter still ahead is neither created nor deleted, as in Prow.
    else if (label.deleteAfter === undefined) into.required.set(lower, label);
    classify(label.previously ?? [], into, now, parent ?? label);
  }
}

/** The labels `org/repo` should have: default, then the org's, then the repo's own. */
function labelsFor(config: LabelsConfig, org: string, repo: string, now: Date): Classified {
  const into: Classified = { required: new Map(), archaic: new Map(), dead: new Set() };
  for (const list of [config.default, config.orgs[org], config.repos[`${org}/${repo}`]]) classify(list?.labels ?? [], into, now);
  return into;
}

const wanted = (label: LabelSpec): RepoLabel => ({ name: label.name, color: (label.color ?? '').toLowerCase(), description: label.description ?? '' });

/**
 * What label-sync does to one repo, in Prow's order: delete dead labels, rename a previous name to its live
 * label when the live one is missing, create missing labels and fix names' case, colours and descriptions,
 * and last migrate previous names whose live label exists. Labels the file does not name are left alone.
 */
export function planLabels(config: LabelsConfig, org: string, repo: string, current: readonly RepoLabel[], now = new Date()): LabelAction[] {
  const { required, archaic, dead } = labelsFor(config, org, repo, now);
  const actions: LabelAction[] = [];
  const have = new Map<string, RepoLabel>();
  for (const label of current) {
    const lower = label.name.toLowerCase();
    if (dead.has(lower)) actions.push({ kind: 'delete', name: label.name, why: 'dead label' });
    else have.set(lower, { ...label, color: label.color.toLowerCase() });
  }

  const migrations: LabelAction[] = [];
  for (const [lower, parent] of archaic) {
    const old = have.get(lower);
    if (!old) continue;
    const target = parent.name.toLowerCase();
    if (have.has(target)) {
      migrations.push({ kind: 'migrate', from: old.name, to: parent.name, why: 'migrate' });
    } else {
      const label = wanted(parent);
      actions.push({ kind: 'update', from: old.name, label, why: 'rename' });
      have.set(target, label);
    }
    have.delete(lower);
  }

  for (const [lower, spec] of required) {
    const label = wanted(spec);
    const cur = have.get(lower);
    if (!cur) actions.push({ kind: 'create', label, why: 'missing' });
    else if (cur.name !== label.name) actions.push({ kind: 'update', from: cur.name, label, why: 'capitalization' });
    else if (cur.color !== label.color) actions.push({ kind: 'update', from: cur.name, label, why: 'color' });
    else if (cur.description !== label.description) actions.push({ kind: 'update', from: cur.name, label, why: 'description' });
  }
  return [...actions, ...migrations];
}

/** One action as a line of the dry run's output. */
export function describeLabelAction(action: LabelAction): string {
  switch (action.kind) {
    case 'create':
      return `create "${action.label.name}" (color ${action.label.color}): ${action.why}`;
    case 'update':
      return action.from === action.label.name
        ? `update "${action.from}" to color ${action.label.color}, description ${JSON.stringify(action.label.description)}: ${action.why}`
        : `rename "${action.from}" to "${action.label.name}" (color ${action.label.color}): ${action.why}`;
    case 'migrate':
      return `migrate "${action.from}" to "${action.to}" (relabel its issues and PRs, then delete it): ${action.why}`;
    case 'delete':
      return `delete "${action.name}": ${action.why}`;
  }
}
