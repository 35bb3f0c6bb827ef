import type { Approval, Approvers } from './approvers.ts';

/** Prow's marker for the notifier comment; the bot's comments starting with it are the notifier. */
export const notificationRe = /^\[APPROVALNOTIFIER\] *?([^\n]*)(?:\n\n(.*))?/is;

/** Where the notifier's links point. */
export interface NotificationLinks {
  /** The web root (`https://github.com`), for user links. */
  webRoot: string;
  /** The repository's web page (`https://github.com/org/repo`), for OWNERS file links. */
  repoUrl: string;
  /** The base branch the OWNERS files are read from. */
  branch: string;
  org: string;
  repo: string;
  commandHelpLink: string;
  prProcessLink: string;
}

function approvalLink(a: Approval): string {
  return `*<a href="${a.reference}" title="${a.how}">${a.login}</a>*`;
}

function people(logins: string[], webRoot: string): string {
  return logins.map((l) => `[${l}](${webRoot}/${l})`).join(', ');
}

function ownersFileLine(dir: string, approvedBy: string[], unapproved: boolean, links: NotificationLinks): string {
  const path = dir === '' ? 'OWNERS' : `${dir}/OWNERS`;
  const link = `${links.repoUrl}/blob/${links.branch}/${path}`;
  if (!unapproved) return `- ~~[${path}](${link})~~ [${approvedBy.join(',')}]\n`;
  if (approvedBy.length > 0) return `- **[${path}](${link})** [${approvedBy.join(',')}]\n  > Need more approvers for rest parts.\n`;
  return `- **[${path}](${link})**\n`;
}

function nextStep(ap: Approvers, links: NotificationLinks): string {
  const suggested = ap.suggestedCcs();
  const assigned = ap.assignedCcs();
  const lead = '**Once this PR has been reviewed and has the lgtm label**, please';
  const more = `For more information see [the Code Review Process](${links.prProcessLink}).`;
  if (suggested.length > 0 && assigned.length > 0) {
    return `${lead} ask for approval from ${people(assigned, links.webRoot)} and additionally assign ${people(suggested, links.webRoot)} for approval. ${more}`;
  }
  if (suggested.length > 0) return `${lead} assign ${people(suggested, links.webRoot)} for approval. ${more}`;
  if (assigned.length > 0) return `${lead} ask for approval from ${people(assigned, links.webRoot)}. ${more}`;
  return '';
}

function issueLine(ap: Approvers): string {
  if (!ap.requireIssue) return '';
  if (ap.associatedIssue !== 0) return `Associated issue: *#${ap.associatedIssue}*\n\n`;
  const noIssue = ap.noIssueApprovals();
  if (noIssue.length > 0) return `Associated issue requirement bypassed by: ${noIssue.map(approvalLink).join(', ')}\n\n`;
  if (ap.manuallyApproved) return '*No associated issue*. Requirement bypassed by manually added approval.\n\n';
  return '*No associated issue*. Update pull-request body to add a reference to an issue, or get approval with `/approve no-issue`\n\n';
}

/**
 * The notifier comment in Prow's words and layout (approvers.GetMessage): title, who approved, whom to ask,
 * the OWNERS files still needing approval (struck through once approved), and Prow's machine-readable META line.
 */
export function approvalNotification(ap: Approvers, links: NotificationLinks): string {
  const filesApproved = ap.areFilesApproved();
  const pending = !filesApproved && !ap.manuallyApproved;
  let body = '';
  if (!ap.requirementsMet() && ap.manuallyApproved) body += 'Approval requirements bypassed by manually added approval.\n\n';
  body += `This pull-request has been approved by:${ap.listApprovals().map((a, i) => (i === 0 ? ' ' : ', ') + approvalLink(a)).join('')}`;
  if (pending) {
    const step = nextStep(ap, links);
    if (step !== '') body += `\n${step}`;
  }
  body += '\n\n';
  body += issueLine(ap);
  body += `The full list of commands accepted by this bot can be found [here](${links.commandHelpLink}?repo=${links.org}%2F${links.repo}).\n\n`;
  if (filesApproved || ap.manuallyApproved) body += `The pull request process is described [here](${links.prProcessLink})\n\n`;
  const unapproved = ap.unapprovedFiles();
  const approvedBy = ap.filesApprovers();
  const files = [...ap.owners.ownersSet()]
    .sort()
    .map((dir) => ownersFileLine(dir, approvedBy.get(dir) ?? [], unapproved.has(dir), links))
    .join('');
  body +=
    `<details ${pending ? 'open' : ''}>\nNeeds approval from an approver in each of these files:\n\n${files}\n` +
    'Approvers can indicate their approval by writing `/approve` in a comment\n' +
    'Approvers can cancel approval by writing `/approve cancel` in a comment\n</details>';
  body += `\n<!-- META=${JSON.stringify({ approvers: ap.ccs() })} -->`;
  const title = `This PR is **${ap.isApproved() ? '' : 'NOT '}APPROVED**`;
  return `[APPROVALNOTIFIER] ${title}\n\n${body.trim()}`;
}
