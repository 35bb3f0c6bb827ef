import type { ProwConfig } from '../../../../lib/config/index.ts';
import { configFromYaml } from './config-from-yaml.ts';

/**
 * acme/widgets with one presubmit of each kind Tide tells apart, and context_options at every level. Each
 * job's name says what it is; `gate` is optional on GitHub and runs only on deploy/ changes, yet
 * `run_before_merge` makes Tide require it of every PR.
 */
export const widgetsConfigYaml = `
presubmits:
  acme/widgets:
  - name: unit
    always_run: true
    spec: {containers: [{image: alpine}]}
  - name: lint
    always_run: true
    optional: true
    spec: {containers: [{image: alpine}]}
  - name: docs
    run_if_changed: '^docs/'
    spec: {containers: [{image: alpine}]}
  - name: e2e
    skip_if_only_changed: '\\.md$'
    spec: {containers: [{image: alpine}]}
  - name: manual
    spec: {containers: [{image: alpine}]}
  - name: gate
    run_if_changed: '^deploy/'
    optional: true
    run_before_merge: true
    spec: {containers: [{image: alpine}]}
  - name: quiet
    always_run: true
    skip_report: true
    spec: {containers: [{image: alpine}]}
  - name: release-only
    always_run: true
    branches: [release-1.0]
    spec: {containers: [{image: alpine}]}
tide:
  queries:
  - repos: [acme/widgets]
    labels: [lgtm, approved]
    missingLabels: [do-not-merge/hold]
  - repos: [acme/widgets]
    author: release-bot
    labels: [skip-review]
    includedBranches: [release-1.0]
  squash_label: tide/merge-method-squash
  rebase_label: tide/merge-method-rebase
  merge_label: tide/merge-method-merge
  blocker_label: tide/merge-blocker
  context_options:
    optional-contexts: [deploy/netlify]
    orgs:
      acme:
        required-contexts: [external-ci]
        repos:
          widgets:
            branches:
              main:
                optional-regex-contexts: ['^coverage/']
                skip-unknown-contexts: true
`;

/** The widgets config, loaded. */
export function widgetsConfig(): Promise<ProwConfig> {
  return configFromYaml(widgetsConfigYaml);
}
