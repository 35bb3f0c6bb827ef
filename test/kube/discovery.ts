import { apiVersionOf, type ResourceType } from './resource-type.ts';

const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** `GET /api`: the core group's versions. */
export function coreVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupOf(name: string, types: readonly ResourceType[]): Record<string, unknown> {
  const versions = [...new Set(types.filter((t) => t.group === name).map((t) => t.version))].map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions, preferredVersion: versions[0] };
}

/** `GET /apis`: every named group. */
export function groupList(types: readonly ResourceType[]): Record<string, unknown> {
  const names = [...new Set(types.map((t) => t.group).filter((g) => g !== ''))];
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: names.map((n) => groupOf(n, types)) };
}

/** `GET /apis/GROUP`, or undefined when no type is in it. */
export function group(name: string, types: readonly ResourceType[]): Record<string, unknown> | undefined {
  if (!types.some((t) => t.group === name)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupOf(name, types) };
}

/** `GET /api/v1` or `/apis/GROUP/VERSION`: the resources and subresources, as KubernetesObjectApi reads them. */
export function resourceList(groupName: string, version: string, types: readonly ResourceType[]): Record<string, unknown> | undefined {
  const inVersion = types.filter((t) => t.group === groupName && t.version === version);
  const first = inVersion[0];
  if (first === undefined) return undefined;
  const resources = inVersion.flatMap((t) => [
    { name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs, ...(t.shortNames.length > 0 ? { shortNames: t.shortNames } : {}) },
    ...(t.statusSubresource ? [{ name: `${t.plural}/status`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get', 'patch', 'update'] }] : []),
    ...t.subresources.map((sub) => ({ name: `${t.plural}/${sub}`, singularName: '', namespaced: t.namespaced, kind: sub === 'binding' ? 'Binding' : t.kind, verbs: sub === 'binding' ? ['create'] : ['get'] })),
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(first), resources };
}
