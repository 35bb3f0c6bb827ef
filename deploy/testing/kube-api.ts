import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import type { CustomResourceDefinition } from '../../test/helpers/prowjob-crd.ts';
import { buildKubeApiApp } from '../../test/kube/api-app.ts';
import { testKubeConfig } from '../../test/kube/api-server.ts';
import { KubeStore } from '../../test/kube/kube-store.ts';

/** The in-process Kubernetes API (test/kube) serving ProwJobs by a CRD of our choosing rather than Prow's. */
export interface CrdKubeApi {
  kubeConfig(namespace: string): KubeConfig;
  close(): Promise<void>;
}

/**
 * Starts test/kube's API server with `crd` as the only custom resource, served as the CRD says, except that
 * `statusSubresource` (when given) serves `/status` or not whatever the CRD says.
 */
export async function startKubeApiWithCrd(crd: unknown, namespaces: readonly string[], options: { statusSubresource?: boolean } = {}): Promise<CrdKubeApi> {
  const store = new KubeStore();
  for (const name of namespaces) store.create(store.typeFor('', 'v1', 'namespaces'), undefined, { metadata: { name } });
  store.registerCrd(crd as CustomResourceDefinition, options);
  const token = randomBytes(16).toString('hex');
  const app = buildKubeApiApp({ store, token, bookmarkIntervalMs: 60_000, watchTimeoutSeconds: undefined });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${String((app.server.address() as AddressInfo).port)}`;
  return { kubeConfig: (namespace) => testKubeConfig(url, token, namespace), close: () => app.close() };
}
