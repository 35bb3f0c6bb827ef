import { writeSync } from 'node:fs';
import { isProwError } from '../../lib/errors.ts';
import { createLogger, type Logger } from '../../lib/log.ts';
import { runClonerefs } from '../../pod-utils/clonerefs.ts';
import { runEntrypoint } from '../../pod-utils/entrypoint.ts';
import { runInitupload } from '../../pod-utils/initupload.ts';
import {
  optionsEnv,
  readCloneRefsOptions,
  readEntrypointOptions,
  readInitUploadOptions,
  readJobSpec,
  readLogLevel,
  readSidecarOptions,
} from '../../pod-utils/options.ts';
import { runSidecar } from '../../pod-utils/sidecar.ts';
import type { Command } from './types.ts';

/** A JSON logger on stderr, written synchronously so the last lines survive the exit; `keep` also sees every line. */
function utilityLogger(name: string, keep?: (line: string) => void): Logger {
  return createLogger({
    name,
    level: readLogLevel(),
    destination: {
      write(line: string) {
        writeSync(2, line);
        keep?.(line);
      },
    },
  });
}

/**
 * Runs one utility the way Prow's binaries do: options from the environment, JSON logs on stderr, and on
 * any error one log line and exit 1 (logrus.Fatal).
 */
async function utility(name: string, run: (log: Logger, interrupt: AbortSignal) => Promise<number>, keep?: (line: string) => void): Promise<number> {
  const log = utilityLogger(name, keep);
  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupt.abort(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    return await run(log, interrupt.signal);
  } catch (err) {
    log.error({ err: (err as Error).message, ...(isProwError(err) ? { code: err.code } : {}) }, `${name} failed`);
    return 1;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

const common = 'Logs are JSON lines on stderr (LOG_LEVEL, info by default).';

/** `prow clonerefs`: Prow's clonerefs. */
export const clonerefs: Command = {
  name: 'clonerefs',
  summary: 'pod utility: clone a job\'s refs and merge its pulls ($CLONEREFS_OPTIONS)',
  usage: `usage: prow clonerefs

Clones every ref in $${optionsEnv.clonerefs} (Prow's clonerefs options as JSON: src_root, log, refs, ...)
under src_root, merging each pull request onto its base, and writes the clone records to log. Exits 0
even when a clone fails (the records say so), unless "fail" is set. ${common}`,
  run: () =>
    utility('clonerefs', async (log) => {
      const result = await runClonerefs(readCloneRefsOptions(), { log });
      if (result.failed > 0) log.warn({ failed: result.failed }, 'clone records failed');
      return result.exitCode;
    }),
};

/** `prow initupload`: Prow's initupload. */
export const initupload: Command = {
  name: 'initupload',
  summary: 'pod utility: upload started.json and the clone log ($INITUPLOAD_OPTIONS, $JOB_SPEC)',
  usage: `usage: prow initupload

Uploads started.json, clone-log.txt and clone-records.json for the job in $${optionsEnv.jobSpec}, and the
latest-build.txt pointers, to the bucket in $${optionsEnv.initupload} (gs://, s3://, or a directory). When a
clone failed it also uploads build-log.txt and a failed finished.json, and exits 1. ${common}`,
  run: () =>
    utility('initupload', async (log) => {
      const result = await runInitupload(readInitUploadOptions(), readJobSpec(), { log });
      return result.exitCode;
    }),
};

/** `prow entrypoint`: Prow's entrypoint. */
export const entrypoint: Command = {
  name: 'entrypoint',
  summary: 'pod utility: run the test command with a timeout, writing its exit code ($ENTRYPOINT_OPTIONS)',
  usage: `usage: prow entrypoint

Runs args from $${optionsEnv.entrypoint} with stdout and stderr copied to process_log and to stdout,
interrupts it at timeout (SIGINT, then SIGKILL after grace_period), and writes its exit code to
marker_file: the command's own, 127 when it could not start or timed out, 130 when entrypoint was
interrupted (SIGTERM or SIGINT). Exits with that code (0 with always_zero). ${common}`,
  run: () =>
    utility('entrypoint', async (_log, interrupt) => {
      const result = await runEntrypoint(readEntrypointOptions(), { interrupt });
      return result.exitCode;
    }),
};

/** `prow sidecar`: Prow's sidecar. */
export const sidecar: Command = {
  name: 'sidecar',
  summary: 'pod utility: wait for the test, upload its logs, artifacts and finished.json ($SIDECAR_OPTIONS)',
  usage: `usage: prow sidecar

Waits for every entry's marker file in $${optionsEnv.sidecar}, then uploads build-log.txt,
finished.json and the artifacts of the job in $${optionsEnv.jobSpec} to the bucket in gcs_options,
censoring secrets when censoring_options names secret directories. On SIGTERM it uploads what there
is at once and goes on waiting (unless ignore_interrupts). Exits 0 when every entry passed. ${common}`,
  run: () => {
    const lines: string[] = [];
    return utility(
      'sidecar',
      async (log, interrupt) => {
        const result = await runSidecar(readSidecarOptions(), readJobSpec(), { log, interrupt, ownLog: () => lines.join('') });
        return result.exitCode;
      },
      (line) => lines.push(line),
    );
  },
};

/** The four pod utilities, in the order a decorated Pod runs them. */
export const podUtilities: readonly Command[] = [clonerefs, initupload, entrypoint, sidecar];
