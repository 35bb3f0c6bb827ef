import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig, type RequestContext } from '@kubernetes/client-node';
import { prowJobCrd } from '../helpers/prowjob-crd.ts';
import { buildKubeApiApp } from './api-app.ts';
import { KubeStore } from './kube-store.ts';
import type { KubeObject, ResourceType } from './resource-type.ts';

/** How a test API server starts; every option has a default. */
export interface KubeApiServerOptions {
  /** Namespaces that exist from the start (default: `default`). */
  namespaces?: string[] | undefined;
  /**
   * Serve ProwJobs with the status subresource (default true). Prow's published CRD has `subresources: {}`:
   * pass false to get exactly what it says, where status is written through the main resource.
   */
  prowJobStatusSubresource?: boolean | undefined;
  /** Changes kept per resource for watches resuming from a resourceVersion (default 10,000). */
  historyLimit?: number | undefined;
  /** How often a watch with allowWatchBookmarks gets a BOOKMARK (default 60 s, as Kubernetes roughly does). */
  bookmarkIntervalMs?: number | undefined;
  /** The longest a watch stays open when the client names no timeoutSeconds (default: until closed). */
  watchTimeoutSeconds?: number | undefined;
  /**
   * Answer each POST this long after its write (default 0), so watchers hear of a new object before its
   * creator does, as happens under load.
   */
  createResponseDelayMs?: number | undefined;
}

/** A running in-process Kubernetes API server. */
export interface KubeApiServer {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** The bearer token the server requires. */
  token: string;
  /** The objects behind the API: writes through it are seen by watchers exactly as HTTP writes are. */
  store: KubeStore;
  /**
   * A KubeConfig for @kubernetes/client-node: this server, no TLS, the bearer token, `namespace` (default
   * `default`) as the context's. With `keepAlive`, API calls share one keep-alive agent (see KeepAliveKubeConfig).
   */
  kubeConfig(namespace?: string, options?: { keepAlive?: boolean }): KubeConfig;
  /** TCP connections accepted so far. */
  connections(): number;
  /** The resource type served at group/version/plural (`''`, `v1`, `pods`), for store calls. */
  type(group: string, version: string, plural: string): ResourceType;
  /** Shorthand for `store.get` on a Pod. */
  pod(namespace: string, name: string): KubeObject;
  /** Shorthand for `store.get` on a ProwJob. */
  prowJob(namespace: string, name: string): KubeObject;
  /** Ends every open watch, as an API server does when a watch times out or it restarts. */
  closeWatches(): void;
  /** Stops listening and ends every watch. */
  close(): Promise<void>;
}

/**
 * client-node 1.4 builds a new http.Agent for every API call, so every call opens a TCP connection; under
 * load that costs as much as the server's work. This one hands every call the same keep-alive agent, for
 * benchmarks that mean to measure the caller rather than connection setup. Watches keep their own.
 */
export class KeepAliveKubeConfig extends KubeConfig {
  readonly #agent = new Agent({ keepAlive: true });

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    context.setAgent(this.#agent);
  }

  destroy(): void {
    this.#agent.destroy();
  }
}

/**
 * A KubeConfig for the test API server at `url`: no TLS, the bearer token, `namespace` as the context's; with
 * `keepAlive` a KeepAliveKubeConfig (destroy it when done). For a server in another process (benchmarks);
 * tests use `KubeApiServer.kubeConfig`.
 */
export function testKubeConfig(url: string, token: string, namespace = 'default', options: { keepAlive?: boolean } = {}): KubeConfig {
  const kc = options.keepAlive === true ? new KeepAliveKubeConfig() : new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'prow-ts-test', server: url, skipTLSVerify: true }],
    users: [{ name: 'prow-ts-test', token }],
    contexts: [{ name: 'prow-ts-test', cluster: 'prow-ts-test', user: 'prow-ts-test', namespace }],
    currentContext: 'prow-ts-test',
  });
  return kc;
}

/**
 * Starts the Kubernetes REST API in process over real HTTP on 127.0.0.1, port 0: core/v1 namespaces, Pods
 * (with status, log and binding), Secrets, ConfigMaps and Events, CRDs, and ProwJobs from Prow's CRD.
 */
export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const store = new KubeStore({ historyLimit: options.historyLimit });
  const namespaces = store.typeFor('', 'v1', 'namespaces');
  for (const name of options.namespaces ?? ['default']) store.create(namespaces, undefined, { metadata: { name } });
  store.registerCrd(prowJobCrd(), { statusSubresource: options.prowJobStatusSubresource ?? true });

  const token = randomBytes(16).toString('hex');
  const app = buildKubeApiApp({ store, token, bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000, watchTimeoutSeconds: options.watchTimeoutSeconds, createResponseDelayMs: options.createResponseDelayMs });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  let connections = 0;
  app.server.on('connection', () => connections++);
  const keepAliveConfigs: KeepAliveKubeConfig[] = [];
  const pods = store.typeFor('', 'v1', 'pods');
  const prowJobs = store.typeFor('prow.k8s.io', 'v1', 'prowjobs');

  return {
    url,
    token,
    store,
    kubeConfig(namespace = 'default', kubeOptions = {}) {
      const kc = testKubeConfig(url, token, namespace, kubeOptions);
      if (kc instanceof KeepAliveKubeConfig) keepAliveConfigs.push(kc);
      return kc;
    },
    type: (group, version, plural) => store.typeFor(group, version, plural),
    pod: (namespace, name) => store.get(pods, namespace, name),
    prowJob: (namespace, name) => store.get(prowJobs, namespace, name),
    closeWatches: () => {
      store.closeWatches();
    },
    connections: () => connections,
    close: async () => {
      for (const kc of keepAliveConfigs) kc.destroy();
      await app.close();
    },
  };
}
