import { formatPeriod, type StalePeriods } from './stale-periods.ts';

/** One step of stale aging. */
export type StaleStep = 'stale' | 'rotten' | 'close';

function rules(kind: string, periods: StalePeriods): string {
  return [
    `This bot triages ${kind}s according to the following rules:`,
    `- After ${formatPeriod(periods.stale)} of inactivity, \`lifecycle/stale\` is applied`,
    `- After ${formatPeriod(periods.rotten)} of inactivity since \`lifecycle/stale\` was applied, \`lifecycle/rotten\` is applied`,
    `- After ${formatPeriod(periods.close)} of inactivity since \`lifecycle/rotten\` was applied, the ${kind} is closed`,
  ].join('\n');
}

/**
 * The comment stale aging leaves at each step, in the words of Kubernetes' triage robot, saying how to stop
 * it. No line starts with a slash command: the sweep acts itself, and the bot's hook must not act again.
 * `/lifecycle frozen` is offered on issues only, because the lifecycle plugin refuses it on PRs.
 */
export function staleComment(step: StaleStep, isPR: boolean, periods: StalePeriods): string {
  const kind = isPR ? 'PR' : 'issue';
  const freeze = isPR ? [] : [`- Exempt this ${kind} from aging with \`/lifecycle frozen\``];
  const head = {
    stale: `This ${kind} has had no activity for ${formatPeriod(periods.stale)}, so it is now marked \`lifecycle/stale\`.`,
    rotten: `This ${kind} has had no activity for ${formatPeriod(periods.rotten)} since it was marked stale, so it is now marked \`lifecycle/rotten\`.`,
    close: `This ${kind} has had no activity for ${formatPeriod(periods.close)} since it was marked rotten, so it is now closed.`,
  }[step];
  const options = {
    stale: [`- Mark this ${kind} as fresh with \`/remove-lifecycle stale\``, ...freeze, `- Close this ${kind} with \`/close\``],
    rotten: [`- Mark this ${kind} as fresh with \`/remove-lifecycle rotten\``, ...freeze, `- Close this ${kind} with \`/close\``],
    close: [`- Reopen this ${kind} with \`/reopen\``, `- Mark this ${kind} as fresh with \`/remove-lifecycle rotten\``],
  }[step];
  return [head, '', rules(kind, periods), '', 'You can:', ...options, '', `Any activity on this ${kind}, such as a comment, resets the clock.`].join('\n');
}
