import { z } from 'zod';
import { formatIssue } from '../../lib/config/config-issue.ts';
import { prowConfigKeys } from '../../lib/config/keys/known-keys.ts';
import { goRegexp, stringList } from '../../lib/config/schema/common.ts';
import { validateDocument } from '../../lib/config/validate-document.ts';
import { readYaml } from '../../lib/config/yaml-file.ts';
import { ProwError } from '../../lib/errors.ts';

const people = z.strictObject({ users: stringList.optional(), teams: stringList.optional() });

/** The settings every level of `branch-protection` (top, org, repo, branch) may hold; unset means "inherit". */
const policyShape = {
  unmanaged: z.boolean().optional(),
  protect: z.boolean().optional(),
  required_status_checks: z.strictObject({ contexts: stringList.optional(), strict: z.boolean().optional() }).optional(),
  enforce_admins: z.boolean().optional(),
  restrictions: z.strictObject({ apps: stringList.optional(), users: stringList.optional(), teams: stringList.optional() }).optional(),
  required_pull_request_reviews: z
    .strictObject({
      dismiss_stale_reviews: z.boolean().optional(),
      require_code_owner_reviews: z.boolean().optional(),
      // GitHub accepts 0 to 6.
      required_approving_review_count: z.number().int().min(0).max(6).optional(),
      dismissal_restrictions: people.optional(),
      bypass_pull_request_allowances: people.optional(),
    })
    .optional(),
  required_linear_history: z.boolean().optional(),
  allow_force_pushes: z.boolean().optional(),
  allow_deletions: z.boolean().optional(),
  require_manually_triggered_jobs: z.boolean().optional(),
  exclude: z.array(goRegexp).optional(),
  include: z.array(goRegexp).optional(),
};

const policySchema = z.strictObject(policyShape);
const repoSchema = z.strictObject({ ...policyShape, branches: z.record(z.string(), policySchema).optional() });
const orgSchema = z.strictObject({ ...policyShape, repos: z.record(z.string(), repoSchema).optional() });

const branchProtectionSchema = z.strictObject({
  ...policyShape,
  'protect-tested-repos': z.boolean().optional(),
  allow_disabled_policies: z.boolean().optional(),
  allow_disabled_job_policies: z.boolean().optional(),
  protect_repos_with_optional_jobs: z.boolean().optional(),
  orgs: z.record(z.string(), orgSchema).optional(),
});

/** One level's settings: Prow's branch protection `Policy`. */
export type Policy = z.output<typeof policySchema>;
export type RepoProtection = z.output<typeof repoSchema>;
export type OrgProtection = z.output<typeof orgSchema>;
/** config.yaml's `branch-protection`, as written. */
export type BranchProtectionConfig = z.output<typeof branchProtectionSchema>;

// Only this section is checked here; lib/config checks the rest of config.yaml.
const configFileSchema = z.looseObject({ 'branch-protection': branchProtectionSchema.optional() });

/**
 * Reads config.yaml's `branch-protection` with positions: a mistake is named by file:line in one
 * PROW_ERR_CONFIG_INVALID; Prow keys prow-ts does not apply (require_signed_commits) come back as warnings.
 */
export async function loadBranchProtection(configPath: string): Promise<{ config: BranchProtectionConfig; warnings: string[] }> {
  let read;
  try {
    read = await readYaml(configPath);
  } catch (err) {
    throw new ProwError('PROW_ERR_CONFIG_READ', configPath, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message);
  }
  const validated = read.issues.length > 0 ? { value: undefined, issues: read.issues } : validateDocument(read.yaml, configFileSchema, prowConfigKeys);
  const errors = validated.issues.filter((i) => i.severity === 'error');
  if (!validated.value || errors.length > 0) throw new ProwError('PROW_ERR_CONFIG_INVALID', errors.map(formatIssue).join('\n'));
  return {
    config: validated.value['branch-protection'] ?? {},
    warnings: validated.issues.filter((i) => i.severity === 'warning').map(formatIssue),
  };
}
