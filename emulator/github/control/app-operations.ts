import { generateKeyPairSync } from 'node:crypto';
import type { EmulatorContext } from '../context.ts';
import { nodeId } from '../state/node-id.ts';
import { isoNow } from '../state/state.ts';
import type { Installation, Token } from '../state/types.ts';
import { accountOrThrow } from './account-operations.ts';
import { ControlError } from './control-error.ts';
import type { CreateAppInput, CreatedApp } from './control-types.ts';
import { addHook } from './repo-operations.ts';

/** Registers a GitHub App with a fresh RSA key and its `<slug>[bot]` account; the private key is returned once. */
export function createApp(emu: EmulatorContext, input: CreateAppInput): CreatedApp {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(input.slug)) throw new ControlError(400, `"${input.slug}" is not a valid App slug`);
  if ([...emu.state.apps.values()].some((a) => a.slug === input.slug)) throw new ControlError(409, `App "${input.slug}" already exists`);
  const bot = emu.state.addAccount(`${input.slug}[bot]`, 'Bot');
  const owner = input.owner === undefined ? bot : accountOrThrow(emu, input.owner);
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const id = emu.state.nextId();
  const now = isoNow();
  emu.state.apps.set(id, {
    id,
    nodeId: nodeId('Integration', id),
    slug: input.slug,
    name: input.name ?? input.slug,
    ownerId: owner.id,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    permissions: { metadata: 'read', ...input.permissions },
    events: input.events ?? ['*'],
    botId: bot.id,
    createdAt: now,
    updatedAt: now,
  });
  if (input.webhookUrl !== undefined) {
    addHook(emu, { repoId: null, orgId: null, appId: id, url: input.webhookUrl, secret: input.webhookSecret ?? '', events: input.events ?? ['*'] });
  }
  return { appId: id, slug: input.slug, botLogin: bot.login, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** Installs an App on a user or org account with all of the App's permissions. */
export function installApp(emu: EmulatorContext, appId: number, accountLogin: string): { installationId: number } {
  const app = emu.state.apps.get(appId);
  if (!app) throw new ControlError(404, `no App ${appId}`);
  const account = accountOrThrow(emu, accountLogin);
  if ([...emu.state.installations.values()].some((i) => i.appId === appId && i.accountId === account.id)) {
    throw new ControlError(409, `App ${app.slug} is already installed on ${account.login}`);
  }
  const now = isoNow();
  const inst: Installation = {
    id: emu.state.nextId(),
    appId,
    accountId: account.id,
    permissions: { ...app.permissions },
    events: [...app.events],
    createdAt: now,
    updatedAt: now,
  };
  emu.state.installations.set(inst.id, inst);
  return { installationId: inst.id };
}

/** An installation token valid for one hour, limited to `permissions` when given (never more than granted). */
export function issueInstallationToken(emu: EmulatorContext, inst: Installation, permissions?: Record<string, string>): Token {
  const app = emu.state.apps.get(inst.appId);
  if (!app) throw new Error(`installation ${inst.id} has no App`);
  const granted = permissions ?? inst.permissions;
  return emu.state.newToken(app.botId, {
    kind: 'installation',
    installationId: inst.id,
    expiresAt: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    permissions: granted,
  });
}
