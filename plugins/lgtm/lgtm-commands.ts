/** Prow's `/lgtm` (with optional `no-issue`), alone on its line. */
export const lgtmRe = /^\/lgtm(?: no-issue)?\s*$/im;

/** Prow's `/lgtm cancel` and `/remove-lgtm`, alone on their line. */
export const lgtmCancelRe = /^\/(remove-lgtm|lgtm cancel)\s*$/im;

/** The label the plugin manages. */
export const lgtmLabel = 'lgtm';

/** The refusals: Prow's words, the collaborator one widened because OWNERS reviewers may LGTM too. */
export const ownPrRefusal = 'you cannot LGTM your own PR.';
export const collaboratorRefusal = 'changing LGTM is restricted to collaborators and to reviewers and approvers in OWNERS files.';
export const ownersRefusal = 'adding LGTM is restricted to approvers and reviewers in OWNERS files.';

/** Posted when a push changed the code and the label went. */
export const lgtmRemovedNotice = 'New changes are detected. LGTM label has been removed.';

/** Prow's tree-hash notice (`store_tree_hash`); its exact text is what Prow and its tools look for. */
export function treeHashNotice(tree: string): string {
  return `LGTM label has been added.  <details>Git tree hash: ${tree}</details>`;
}

/** Matches a tree-hash notice and captures the hash. */
export const treeHashNoticeRe = /LGTM label has been added\. {2}<details>Git tree hash: (.*)<\/details>/;
