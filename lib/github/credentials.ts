import type { ProwEnv } from '../env.ts';
import { ProwError } from '../errors.ts';

/** How prow-ts authenticates to GitHub: a personal token, a GitHub App, or nothing (the emulator, reads only). */
export type GitHubCredentials =
  | { kind: 'token'; token: string }
  | { kind: 'app'; appId: string; privateKey: string; installationId: number | undefined }
  | { kind: 'none' };

/**
 * Picks the GitHub credentials out of the environment. A complete App (GITHUB_APP_ID and
 * GITHUB_APP_PRIVATE_KEY) wins over GITHUB_TOKEN, because a token left in a shell should not silently
 * replace the App a deployment was configured with. Half an App is an error that names the missing variable.
 */
export function githubCredentialsFromEnv(
  env: Pick<ProwEnv, 'githubToken' | 'githubAppId' | 'githubAppPrivateKey' | 'githubAppInstallationId'>,
): GitHubCredentials {
  const { githubAppId: appId, githubAppPrivateKey: privateKey, githubAppInstallationId: installationId } = env;
  if (appId !== undefined && privateKey !== undefined) {
    if (!/^\d+$/.test(appId)) {
      throw new ProwError('PROW_ERR_ENV_INVALID', 'GITHUB_APP_ID', `"${appId}" is not a numeric GitHub App id`);
    }
    return { kind: 'app', appId, privateKey, installationId };
  }
  if (appId !== undefined) {
    throw new ProwError(
      'PROW_ERR_GITHUB_AUTH',
      'GITHUB_APP_ID is set but GITHUB_APP_PRIVATE_KEY is not. ' +
        "Set GITHUB_APP_PRIVATE_KEY to the App's private key (PEM), or unset GITHUB_APP_ID to use GITHUB_TOKEN.",
    );
  }
  if (privateKey !== undefined) {
    throw new ProwError(
      'PROW_ERR_GITHUB_AUTH',
      "GITHUB_APP_PRIVATE_KEY is set but GITHUB_APP_ID is not. Set GITHUB_APP_ID to the App's numeric id.",
    );
  }
  if (installationId !== undefined) {
    throw new ProwError(
      'PROW_ERR_GITHUB_AUTH',
      'GITHUB_APP_INSTALLATION_ID is set but GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY are not. ' +
        'Set both, or unset GITHUB_APP_INSTALLATION_ID.',
    );
  }
  if (env.githubToken !== undefined) return { kind: 'token', token: env.githubToken };
  return { kind: 'none' };
}
