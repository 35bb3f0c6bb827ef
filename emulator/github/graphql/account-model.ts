import type { EmulatorContext } from '../context.ts';
import type { Account } from '../state/types.ts';
import { field, notFoundError, stringArg, type Model } from './model.ts';
import { readableRepo } from './repository-model.ts';

/**
 * A user, bot or organization as GraphQL's `User`, `Bot` or `Organization`. A bot's GraphQL login has no
 * `[bot]` suffix (REST's `tide[bot]` is `tide` here), as on GitHub.
 */
export function accountModel(emu: EmulatorContext, a: Account): Model {
  const typename = a.type === 'Organization' ? 'Organization' : a.type === 'Bot' ? 'Bot' : 'User';
  const login = a.type === 'Bot' ? a.login.replace(/\[bot\]$/, '') : a.login;
  return {
    __typename: typename,
    id: a.nodeId,
    databaseId: a.id,
    login,
    name: a.name,
    // User.email is non-null (empty when private); Organization.email is nullable.
    email: typename === 'Organization' ? a.email : (a.email ?? ''),
    avatarUrl: emu.urls.html(`/avatars/u/${a.id}`),
    url: emu.urls.html(`/${a.login}`),
    resourcePath: `/${a.login}`,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    isSiteAdmin: a.siteAdmin,
    repository: field((args, ctx) => {
      const name = stringArg(args, 'name') ?? '';
      const repo = readableRepo(ctx, a.login, name);
      if (!repo) throw notFoundError(`Could not resolve to a Repository with the name '${a.login}/${name}'.`);
      return repo;
    }),
  };
}
