import { TestStatus } from '../grid/status.ts';
import type { Cell } from './column.ts';

/** The synthetic row podinfo.json feeds (TestGrid's prowjob analysis). */
export const podRowName = 'Pod';

interface ContainerStatus {
  name?: string;
  state?: { terminated?: { exitCode?: number; reason?: string } };
}

interface PodInfo {
  pod?: {
    spec?: { containers?: { name?: string }[] };
    status?: {
      conditions?: { type?: string; status?: string; message?: string }[];
      initContainerStatuses?: ContainerStatus[];
      containerStatuses?: ContainerStatus[];
    };
  };
}

function exited(statuses: ContainerStatus[] | undefined, skip: string | undefined): string | undefined {
  for (const s of statuses ?? []) {
    const t = s.state?.terminated;
    if (t?.exitCode !== undefined && t.exitCode !== 0 && s.name !== skip) {
      return `container ${s.name ?? '?'} exited ${t.exitCode}${t.reason === undefined ? '' : ` (${t.reason})`}`;
    }
  }
  return undefined;
}

/**
 * The Pod row's cell from podinfo.json ({pod, events}, as crier's Pod reporter writes it): FAIL when the
 * pod never scheduled or a utility container failed; PASS_WITH_ERRORS (icon E) without a sidecar; else PASS.
 * The test container's own exit code is the Overall row's business, not this one's.
 */
export function podCell(text: string): Cell {
  const info = JSON.parse(text) as PodInfo;
  const pod = info.pod;
  if (pod === undefined) return { status: TestStatus.FAIL, icon: 'E', message: 'podinfo.json has no pod' };
  const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unscheduled !== undefined) return { status: TestStatus.FAIL, icon: 'F', message: `pod did not schedule${unscheduled.message ? `: ${unscheduled.message}` : ''}` };
  const initFailure = exited(pod.status?.initContainerStatuses, undefined);
  if (initFailure !== undefined) return { status: TestStatus.FAIL, icon: 'F', message: initFailure };
  const decorated = (pod.spec?.containers ?? []).some((c) => c.name === 'sidecar');
  if (!decorated) return { status: TestStatus.PASS_WITH_ERRORS, icon: 'E', message: 'Decoration is not enabled' };
  const sidecar = pod.status?.containerStatuses?.filter((s) => s.name === 'sidecar');
  const sidecarFailure = exited(sidecar, undefined);
  if (sidecarFailure !== undefined) return { status: TestStatus.FAIL, icon: 'F', message: sidecarFailure };
  return { status: TestStatus.PASS };
}
