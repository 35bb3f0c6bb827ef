import { randomBytes } from 'node:crypto';
import type { Logger } from '../../../lib/log.ts';
import { startEmulator, type EmulatorControl } from '../../../emulator/github/index.ts';
import { seedDemo, type DemoSeed } from '../emulator.ts';

/** Local mode's GitHub: the emulator with the demo world in it. */
export interface LocalGitHub {
  url: string;
  gitUrl: string;
  /** The emulator's control client, to point its webhooks at hook once hook listens. */
  control: EmulatorControl;
  /** The secret the emulator signs webhooks with; hook verifies with it. */
  webhookSecret: string;
  demo: DemoSeed;
  /** The bot's login and token in the emulator: a member of the demo org with write access. */
  bot: { login: string; token: string };
  /** A command a person can paste to act on the demo pull request. */
  tryCommand: string;
  close(): Promise<void>;
}

/** Starts the GitHub emulator on `port` (0 = any) and seeds the demo org, repo, pull request and the bot. */
export async function startLocalGitHub(opts: { port: number; logger: Logger }): Promise<LocalGitHub> {
  const emu = await startEmulator({ port: opts.port, logger: opts.logger.child({ component: 'github-emulator' }) });
  try {
    const demo = await seedDemo(emu.control);
    const [owner = '', repo = ''] = demo.repo.split('/');
    const bot = await emu.control.createUser({ login: 'prow-bot', name: 'prow-ts bot' });
    await emu.control.addOrgMembers(owner, [bot.login]);
    // Like a Prow bot account: an org member with write access to the repos it works on, not an admin.
    await emu.control.createTeam({ org: owner, name: 'bots', members: [bot.login], repos: { [demo.repo]: 'write' } });
    return {
      url: emu.url,
      gitUrl: emu.gitUrl(owner, repo),
      control: emu.control,
      webhookSecret: randomBytes(20).toString('hex'),
      demo,
      bot: { login: bot.login, token: bot.token },
      tryCommand: `npm run prow -- emulator comment --url ${emu.url} --as demo-contributor --repo ${demo.repo} --number ${demo.pullNumber} --body "/assign"`,
      close: () => emu.close(),
    };
  } catch (err) {
    await emu.close();
    throw err;
  }
}
