import { branchProtectionRoutes } from './branch-protection.ts';
import { branchRoutes } from './branches.ts';
import { checkRunRoutes } from './check-runs.ts';
import { commitRoutes } from './commits.ts';
import { contentRoutes } from './contents.ts';
import { gitRefRoutes } from './git-refs.ts';
import { pullFileRoutes } from './pull-files.ts';
import { pullMergeRoutes } from './pull-merge.ts';
import { pullRoutes } from './pulls.ts';
import { requestedReviewerRoutes } from './requested-reviewers.ts';
import { reviewCommentRoutes } from './review-comments.ts';
import { reviewRoutes } from './reviews.ts';
import { statusRoutes } from './statuses.ts';
import { appRoutes } from './apps.ts';
import { hookRoutes } from './hooks.ts';
import { issueCommentRoutes } from './issue-comments.ts';
import { issueEventRoutes } from './issue-events.ts';
import { issueLabelRoutes } from './issue-labels.ts';
import { issueRoutes } from './issues.ts';
import { labelRoutes } from './labels.ts';
import { milestoneRoutes } from './milestones.ts';
import { orgRoutes } from './orgs.ts';
import { rateLimitRoutes } from './rate-limit.ts';
import { repoRoutes } from './repos.ts';
import { graphqlRoutes } from '../graphql/graphql-routes.ts';
import type { RouteGroup } from './route-group.ts';
import { userRoutes } from './users.ts';

export type { RouteGroup } from './route-group.ts';

/**
 * Every group of REST routes the emulator serves: the one table. A route in GitHub's OpenAPI description
 * that no group serves answers 501 naming its operationId.
 */
export const routeGroups: readonly RouteGroup[] = [
  { name: 'users', register: userRoutes },
  { name: 'orgs', register: orgRoutes },
  { name: 'repos', register: repoRoutes },
  { name: 'labels', register: labelRoutes },
  { name: 'issue-labels', register: issueLabelRoutes },
  { name: 'milestones', register: milestoneRoutes },
  { name: 'issues', register: issueRoutes },
  { name: 'issue-comments', register: issueCommentRoutes },
  { name: 'issue-events', register: issueEventRoutes },
  { name: 'hooks', register: hookRoutes },
  { name: 'apps', register: appRoutes },
  { name: 'rate-limit', register: rateLimitRoutes },
  { name: 'pulls', register: pullRoutes },
  { name: 'pull-files', register: pullFileRoutes },
  { name: 'pull-merge', register: pullMergeRoutes },
  { name: 'reviews', register: reviewRoutes },
  { name: 'review-comments', register: reviewCommentRoutes },
  { name: 'requested-reviewers', register: requestedReviewerRoutes },
  { name: 'statuses', register: statusRoutes },
  { name: 'check-runs', register: checkRunRoutes },
  { name: 'branches', register: branchRoutes },
  { name: 'branch-protection', register: branchProtectionRoutes },
  { name: 'git-refs', register: gitRefRoutes },
  { name: 'commits', register: commitRoutes },
  { name: 'contents', register: contentRoutes },
  { name: 'graphql', register: graphqlRoutes },
];
