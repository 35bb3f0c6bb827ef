import { randomBytes } from 'node:crypto';
import type { KubeApiServer } from './api-server.ts';
import { KubeStatusError } from './kube-status.ts';
import type { KubeStore, WatchHandle } from './kube-store.ts';
import { kubeTime } from './kube-time.ts';
import type { KubeObject } from './resource-type.ts';

/** What happens to one Pod. Every field has a default: the Pod runs and every container exits 0. */
export interface PodScript {
  /**
   * `complete` (default): scheduled, init containers then containers run, then Succeeded or Failed by exit
   * codes. `unschedulable`: left Pending with PodScheduled False, reason Unschedulable. `image-pull-backoff`:
   * scheduled and left Pending with containers waiting in ImagePullBackOff. `run-forever`: Running until deleted.
   */
  outcome?: 'complete' | 'unschedulable' | 'image-pull-backoff' | 'run-forever' | undefined;
  /** The exit code of every container the `exitCodes` map does not name (default 0). */
  exitCode?: number | undefined;
  /** Exit codes by container name, init containers included. */
  exitCodes?: Record<string, number> | undefined;
  /** Log text by container name, set when the container starts. */
  logs?: Record<string, string> | undefined;
  /** Milliseconds between one status change and the next (default 0: each on its own timer turn). */
  stepMs?: number | undefined;
  /** Milliseconds the containers run before they terminate (default: stepMs). */
  runMs?: number | undefined;
}

/** Where a fake kubelet works and how it decides each Pod's fate. */
export interface FakeKubeletOptions {
  namespace: string;
  /** The script of a Pod, asked once when the kubelet first sees it (default: `{}`, run and succeed). */
  behaviour?: ((pod: KubeObject) => PodScript) | undefined;
  /** The node Pods are bound to (default `fake-node`). */
  nodeName?: string | undefined;
}

/** A running fake kubelet. */
export interface FakeKubelet {
  /**
   * Resolves with the Pod once its script has nothing more to do: Succeeded or Failed, or left in the
   * state its outcome names (Running for run-forever). Rejects if the Pod is deleted first.
   */
  settled(name: string): Promise<KubeObject>;
  /** Stops watching and cancels every pending step. */
  stop(): void;
}

interface PodRun {
  timer: NodeJS.Timeout | undefined;
  resolve(pod: KubeObject): void;
  reject(err: Error): void;
  promise: Promise<KubeObject>;
  done: boolean;
}

interface Container {
  name: string;
  image?: string;
}


function containersOf(pod: KubeObject, key: 'containers' | 'initContainers'): Container[] {
  return ((pod.spec as Record<string, Container[] | undefined> | undefined)?.[key] ?? []);
}

type State = { waiting: { reason: string; message?: string } } | { running: { startedAt: string } } | { terminated: { exitCode: number; reason: string; startedAt: string; finishedAt: string; containerID: string } };

function containerStatus(c: Container, state: State, containerID?: string): Record<string, unknown> {
  const running = 'running' in state;
  return { name: c.name, image: c.image ?? '', imageID: '', ready: running, started: running, restartCount: 0, state, ...(containerID === undefined ? {} : { containerID }) };
}

function condition(type: string, status: boolean, reason?: string, message?: string): Record<string, unknown> {
  return { type, status: status ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: kubeTime(), ...(reason === undefined ? {} : { reason }), ...(message === undefined ? {} : { message }) };
}

/**
 * A kubelet and scheduler in one, for tests: it watches the namespace's Pods through the store's watch (the
 * path HTTP watchers use) and moves each one through its script with status writes through the status
 * subresource's code path, so every watcher sees every step.
 */
export function startFakeKubelet(server: KubeApiServer, options: FakeKubeletOptions): FakeKubelet {
  const store: KubeStore = server.store;
  const pods = server.type('', 'v1', 'pods');
  const { namespace } = options;
  const nodeName = options.nodeName ?? 'fake-node';
  const behaviour = options.behaviour ?? (() => ({}));
  const runs = new Map<string, PodRun>();
  let stopped = false;

  const runOf = (name: string): PodRun => {
    let run = runs.get(name);
    if (run === undefined) {
      let resolve!: (pod: KubeObject) => void;
      let reject!: (err: Error) => void;
      const promise = new Promise<KubeObject>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // A settled() nobody awaits must not become an unhandled rejection when the Pod is deleted.
      promise.catch(() => undefined);
      run = { timer: undefined, resolve, reject, promise, done: false };
      runs.set(name, run);
    }
    return run;
  };

  /** Writes the Pod's status as PUT .../pods/NAME/status would; false when the Pod is gone. */
  const writeStatus = (name: string, change: (status: Record<string, unknown>, pod: KubeObject) => void): KubeObject | undefined => {
    try {
      const pod = store.get(pods, namespace, name);
      // Steps replace whole top-level fields of status, so a shallow copy keeps the stored Pod untouched.
      const status = { ...((pod.status ?? {}) as Record<string, unknown>) };
      change(status, pod);
      return store.replace(pods, namespace, name, { ...pod, status }, 'status', { owned: true });
    } catch (err) {
      if (err instanceof KubeStatusError && err.code === 404) return undefined;
      throw err;
    }
  };

  const play = (pod: KubeObject, script: PodScript): void => {
    const name = pod.metadata.name ?? '';
    const run = runOf(name);
    const step = script.stepMs ?? 0;
    const initContainers = containersOf(pod, 'initContainers');
    const containers = containersOf(pod, 'containers');
    const exitOf = (c: Container): number => script.exitCodes?.[c.name] ?? script.exitCode ?? 0;
    const ids = new Map([...initContainers, ...containers].map((c) => [c.name, `containerd://${randomBytes(16).toString('hex')}`]));
    const startedAt = new Map<string, string>();
    const steps: { after: number; act: () => KubeObject | undefined; last?: boolean }[] = [];

    const settle = (final: KubeObject | undefined): void => {
      run.done = true;
      if (final !== undefined) run.resolve(final);
    };
    const queue = (index: number): void => {
      const next = steps[index];
      if (next === undefined || stopped) return;
      run.timer = setTimeout(() => {
        run.timer = undefined;
        const result = next.act();
        if (result === undefined) return; // deleted meanwhile; the watch has rejected settled()
        if (next.last === true) settle(result);
        else queue(index + 1);
      }, next.after);
    };
    const setLogs = (cs: Container[]): void => {
      for (const c of cs) {
        const text = script.logs?.[c.name];
        if (text !== undefined) store.setPodLog(namespace, name, c.name, text);
      }
    };
    const terminated = (c: Container): State => {
      const code = exitOf(c);
      const started = startedAt.get(c.name) ?? kubeTime();
      return { terminated: { exitCode: code, reason: code === 0 ? 'Completed' : 'Error', startedAt: started, finishedAt: kubeTime(), containerID: ids.get(c.name) ?? '' } };
    };
    const bind = (): KubeObject | undefined => {
      try {
        store.mutate(pods, namespace, name, (p) => {
          p.spec = { ...(p.spec as Record<string, unknown>), nodeName };
        });
      } catch (err) {
        if (err instanceof KubeStatusError && err.code === 404) return undefined;
        throw err;
      }
      return writeStatus(name, (s) => {
        s.phase = 'Pending';
        s.conditions = [condition('PodScheduled', true)];
      });
    };
    const accepted = (waitingReason: string): KubeObject | undefined =>
      writeStatus(name, (s) => {
        Object.assign(s, { phase: 'Pending', hostIP: '10.0.0.1', podIP: '10.1.0.2', podIPs: [{ ip: '10.1.0.2' }], startTime: kubeTime() });
        s.conditions = [condition('PodScheduled', true), condition('Initialized', initContainers.length === 0, initContainers.length === 0 ? undefined : 'ContainersNotInitialized'), condition('ContainersReady', false, 'ContainersNotReady'), condition('Ready', false, 'ContainersNotReady')];
        if (initContainers.length > 0) s.initContainerStatuses = initContainers.map((c) => containerStatus(c, { waiting: { reason: 'PodInitializing' } }));
        s.containerStatuses = containers.map((c) => containerStatus(c, { waiting: { reason: initContainers.length > 0 ? 'PodInitializing' : waitingReason } }));
      });

    const outcome = script.outcome ?? 'complete';
    if (outcome === 'unschedulable') {
      steps.push({
        after: step,
        last: true,
        act: () =>
          writeStatus(name, (s) => {
            s.phase = 'Pending';
            s.conditions = [condition('PodScheduled', false, 'Unschedulable', '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.')];
          }),
      });
      queue(0);
      return;
    }
    steps.push({ after: step, act: bind });
    if (outcome === 'image-pull-backoff') {
      steps.push({ after: step, act: () => accepted('ContainerCreating') });
      const waiting = (reason: string, message: string) => () =>
        writeStatus(name, (s) => {
          s.containerStatuses = containers.map((c) => containerStatus(c, { waiting: { reason, message: message.replace('IMAGE', c.image ?? '') } }));
        });
      steps.push({ after: step, act: waiting('ErrImagePull', 'failed to pull and unpack image "IMAGE": not found') });
      steps.push({ after: step, act: waiting('ImagePullBackOff', 'Back-off pulling image "IMAGE"'), last: true });
      queue(0);
      return;
    }
    steps.push({ after: step, act: () => accepted('ContainerCreating') });
    for (const [i, init] of initContainers.entries()) {
      steps.push({
        after: step,
        act: () => {
          startedAt.set(init.name, kubeTime());
          setLogs([init]);
          return writeStatus(name, (s) => {
            s.initContainerStatuses = initContainers.map((c, j) => containerStatus(c, j < i ? terminated(c) : j === i ? { running: { startedAt: startedAt.get(c.name) ?? kubeTime() } } : { waiting: { reason: 'PodInitializing' } }, j <= i ? ids.get(c.name) : undefined));
          });
        },
      });
      const failed = exitOf(init) !== 0;
      steps.push({
        after: script.runMs ?? step,
        last: failed,
        act: () =>
          writeStatus(name, (s) => {
            s.initContainerStatuses = initContainers.map((c, j) => containerStatus(c, j <= i ? terminated(c) : { waiting: { reason: 'PodInitializing' } }, j <= i ? ids.get(c.name) : undefined));
            if (failed) {
              s.phase = 'Failed';
              s.conditions = [condition('PodScheduled', true), condition('Initialized', false, 'ContainersNotInitialized', `containers with incomplete status: [${init.name}]`), condition('ContainersReady', false, 'PodFailed'), condition('Ready', false, 'PodFailed')];
            }
          }),
      });
      if (failed) {
        queue(0);
        return;
      }
    }
    steps.push({
      after: step,
      last: outcome === 'run-forever',
      act: () => {
        for (const c of containers) startedAt.set(c.name, kubeTime());
        setLogs(containers);
        return writeStatus(name, (s) => {
          s.phase = 'Running';
          s.conditions = [condition('PodScheduled', true), condition('Initialized', true), condition('ContainersReady', true), condition('Ready', true)];
          s.containerStatuses = containers.map((c) => containerStatus(c, { running: { startedAt: startedAt.get(c.name) ?? kubeTime() } }, ids.get(c.name)));
        });
      },
    });
    if (outcome === 'complete') {
      steps.push({
        after: script.runMs ?? step,
        last: true,
        act: () =>
          writeStatus(name, (s) => {
            const ok = containers.every((c) => exitOf(c) === 0);
            s.phase = ok ? 'Succeeded' : 'Failed';
            const reason = ok ? 'PodCompleted' : 'PodFailed';
            s.conditions = [condition('PodScheduled', true), condition('Initialized', true), condition('ContainersReady', false, reason), condition('Ready', false, reason)];
            s.containerStatuses = containers.map((c) => containerStatus(c, terminated(c), ids.get(c.name)));
          }),
      });
    }
    queue(0);
  };

  const seen = new Set<string>();
  let lastRv = '';
  let watch: WatchHandle | undefined;
  const subscribe = (): void => {
    watch = store.watch(pods, namespace, {
      resourceVersion: lastRv,
      onEvent: (event) => {
        lastRv = event.object.metadata.resourceVersion ?? lastRv;
        const name = event.object.metadata.name ?? '';
        if (event.type === 'DELETED') {
          const run = runs.get(name);
          seen.delete(event.object.metadata.uid ?? '');
          if (run !== undefined) {
            clearTimeout(run.timer);
            runs.delete(name);
            if (!run.done) run.reject(new Error(`pod ${namespace}/${name} was deleted`));
          }
          return;
        }
        const uid = event.object.metadata.uid ?? '';
        if (seen.has(uid) || event.object.metadata.deletionTimestamp !== undefined) return;
        seen.add(uid);
        const pod = event.object;
        // Status writes made from inside a watch callback would reach later watchers before this event does.
        setImmediate(() => {
          if (!stopped) play(pod, behaviour(pod));
        });
      },
      // The server ended the watch (closeWatches): resume where it stopped, or from scratch when expired.
      onEnd: (error) => {
        if (stopped) return;
        if (error !== undefined) lastRv = '';
        setImmediate(() => {
          if (!stopped) subscribe();
        });
      },
    });
  };
  subscribe();

  return {
    settled: (name) => runOf(name).promise,
    stop() {
      stopped = true;
      watch?.stop();
      for (const run of runs.values()) clearTimeout(run.timer);
    },
  };
}
