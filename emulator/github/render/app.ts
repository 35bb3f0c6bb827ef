import type { App, Installation } from '../state/types.ts';
import { renderUser } from './account.ts';
import type { RenderContext } from './context.ts';

/** GET /app and friends: a GitHub App. */
export function renderApp(ctx: RenderContext, app: App): Record<string, unknown> {
  return {
    id: app.id,
    slug: app.slug,
    client_id: `Iv1.${app.id.toString(16).padStart(16, '0')}`,
    node_id: app.nodeId,
    owner: renderUser(ctx, ctx.state.account(app.ownerId)),
    name: app.name,
    description: null,
    external_url: ctx.urls.html(`/apps/${app.slug}`),
    html_url: ctx.urls.html(`/apps/${app.slug}`),
    created_at: app.createdAt,
    updated_at: app.updatedAt,
    permissions: app.permissions,
    events: app.events,
    installations_count: [...ctx.state.installations.values()].filter((i) => i.appId === app.id).length,
  };
}

/** An App installation in REST's `installation` shape. */
export function renderInstallation(ctx: RenderContext, inst: Installation): Record<string, unknown> {
  const account = ctx.state.account(inst.accountId);
  const app = ctx.state.apps.get(inst.appId);
  return {
    id: inst.id,
    account: renderUser(ctx, account),
    repository_selection: 'all',
    access_tokens_url: ctx.urls.api(`/app/installations/${inst.id}/access_tokens`),
    repositories_url: ctx.urls.api('/installation/repositories'),
    html_url: ctx.urls.html(`/${account.type === 'Organization' ? `organizations/${account.login}` : 'settings'}/installations/${inst.id}`),
    app_id: inst.appId,
    app_slug: app?.slug ?? '',
    target_id: account.id,
    target_type: account.type,
    permissions: inst.permissions,
    events: inst.events,
    created_at: inst.createdAt,
    updated_at: inst.updatedAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}
