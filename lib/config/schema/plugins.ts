import { z } from 'zod';
import { goRegexp, stringList } from './common.ts';

const repos = stringList.optional();

/** Which plugins run for an org or repo; Prow takes a bare list or `{plugins, excluded_repos}`. */
const enabledPluginsSchema = z.preprocess(
  (v) => (Array.isArray(v) ? { plugins: v } : v),
  z.strictObject({ plugins: stringList.optional(), excluded_repos: stringList.optional() }),
);

const externalPluginSchema = z.strictObject({
  name: z.string(),
  endpoint: z.string().optional(),
  events: stringList.optional(),
});

const ownersFileNames = z.strictObject({ owners: z.string().optional(), owners_aliases: z.string().optional() });

/** plugins.yaml as written. */
export const pluginConfigFileSchema = z.strictObject({
  plugins: z.record(z.string(), enabledPluginsSchema).optional(),
  external_plugins: z.record(z.string(), z.array(externalPluginSchema)).optional(),
  triggers: z
    .array(
      z.strictObject({
        repos,
        trusted_org: z.string().optional(),
        trusted_apps: stringList.optional(),
        join_org_url: z.string().optional(),
        only_org_members: z.boolean().optional(),
        ignore_ok_to_test: z.boolean().optional(),
        trigger_github_workflows: z.boolean().optional(),
      }),
    )
    .optional(),
  approve: z
    .array(
      z.strictObject({
        repos,
        issue_required: z.boolean().optional(),
        require_self_approval: z.boolean().optional(),
        lgtm_acts_as_approve: z.boolean().optional(),
        ignore_review_state: z.boolean().optional(),
        commandHelpLink: z.string().optional(),
        pr_process_link: z.string().optional(),
      }),
    )
    .optional(),
  lgtm: z
    .array(
      z.strictObject({
        repos,
        review_acts_as_lgtm: z.boolean().optional(),
        store_tree_hash: z.boolean().optional(),
        trusted_team_for_sticky_lgtm: z.string().optional(),
      }),
    )
    .optional(),
  label: z
    .strictObject({
      additional_labels: stringList.optional(),
      restricted_labels: z
        .record(
          z.string(),
          z.array(
            z.strictObject({
              label: z.string(),
              allowed_teams: stringList.optional(),
              allowed_users: stringList.optional(),
              assign_on: z.array(z.record(z.string(), z.unknown())).optional(),
            }),
          ),
        )
        .optional(),
    })
    .optional(),
  size: z
    .strictObject({ s: z.number().int(), m: z.number().int(), l: z.number().int(), xl: z.number().int(), xxl: z.number().int() })
    .partial()
    .optional(),
  blunderbuss: z
    .strictObject({
      request_count: z.number().int().optional(),
      max_request_count: z.number().int().optional(),
      exclude_approvers: z.boolean().optional(),
      use_status_availability: z.boolean().optional(),
      ignore_drafts: z.boolean().optional(),
      ignore_authors: stringList.optional(),
      wait_for_status: z
        .strictObject({ context: z.string(), description: goRegexp, state: z.string() })
        .partial()
        .optional(),
    })
    .optional(),
  welcome: z
    .array(z.strictObject({ repos, message_template: z.string().optional(), always_post: z.boolean().optional() }))
    .optional(),
  help: z.strictObject({ help_guidelines_url: z.string().optional(), help_guidelines_summary: z.string().optional() }).optional(),
  owners: z
    .strictObject({
      mdyamlrepos: stringList.optional(),
      skip_collaborators: stringList.optional(),
      labels_denylist: stringList.optional(),
      filenames: z.record(z.string(), ownersFileNames).optional(),
    })
    .optional(),
  /** Accepted as written and kept for later use; nothing in prow-ts applies it yet. */
  config_updater: z.record(z.string(), z.unknown()).optional(),
});

/** Sections kept as written though prow-ts does not act on them: warned about, their keys still checked. */
export const pluginPassthroughSections = ['config_updater'] as const;

export type PluginConfigFile = z.output<typeof pluginConfigFileSchema>;
