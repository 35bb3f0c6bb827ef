import * as clientNode from '@kubernetes/client-node';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1';
import { ConfigMap, Namespace, PersistentVolumeClaim, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';

interface Validatable {
  validate(): void;
}

/**
 * kubernetes-models' validators, compiled from Kubernetes' published OpenAPI schemas, by apiVersion and kind;
 * with the client-node model each kind is, whose attribute map (from the same OpenAPI) names every field.
 */
const kinds: Record<string, { model: (o: unknown) => Validatable; clientModel: string }> = {
  'v1/Namespace': { model: (o) => new Namespace(o as never), clientModel: 'V1Namespace' },
  'v1/ServiceAccount': { model: (o) => new ServiceAccount(o as never), clientModel: 'V1ServiceAccount' },
  'v1/ConfigMap': { model: (o) => new ConfigMap(o as never), clientModel: 'V1ConfigMap' },
  'v1/Service': { model: (o) => new Service(o as never), clientModel: 'V1Service' },
  'v1/PersistentVolumeClaim': { model: (o) => new PersistentVolumeClaim(o as never), clientModel: 'V1PersistentVolumeClaim' },
  'apps/v1/Deployment': { model: (o) => new Deployment(o as never), clientModel: 'V1Deployment' },
  'apps/v1/StatefulSet': { model: (o) => new StatefulSet(o as never), clientModel: 'V1StatefulSet' },
  'rbac.authorization.k8s.io/v1/Role': { model: (o) => new Role(o as never), clientModel: 'V1Role' },
  'rbac.authorization.k8s.io/v1/RoleBinding': { model: (o) => new RoleBinding(o as never), clientModel: 'V1RoleBinding' },
  'networking.k8s.io/v1/Ingress': { model: (o) => new Ingress(o as never), clientModel: 'V1Ingress' },
  'apiextensions.k8s.io/v1/CustomResourceDefinition': { model: (o) => new CustomResourceDefinition(o as never), clientModel: 'V1CustomResourceDefinition' },
};

interface Attribute {
  baseName: string;
  type: string;
}

function attributesOf(model: string): Attribute[] | undefined {
  const cls = (clientNode as unknown as Record<string, { getAttributeTypeMap?: () => Attribute[] } | undefined>)[model];
  return cls?.getAttributeTypeMap?.();
}

const scalars = new Set(['string', 'number', 'boolean', 'Date', 'any', 'object', 'IntOrString']);

/** Fields the OpenAPI does not name, which kubectl's strict field validation refuses (the models accept them). */
function unknownFields(value: unknown, type: string, path: string, out: string[]): void {
  if (value === null || value === undefined || scalars.has(type)) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array?.[1] !== undefined) {
    if (Array.isArray(value)) value.forEach((v, i) => { unknownFields(v, array[1] ?? '', `${path}[${String(i)}]`, out); });
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map?.[1] !== undefined) {
    if (typeof value === 'object') for (const [k, v] of Object.entries(value)) unknownFields(v, map[1], `${path}.${k}`, out);
    return;
  }
  const attributes = attributesOf(type);
  if (attributes === undefined) throw new Error(`${path}: no client-node model ${type} to check fields against`);
  if (typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    const attribute = attributes.find((a) => a.baseName === k);
    if (attribute === undefined) out.push(`${path}.${k}: unknown field`);
    else unknownFields(v, attribute.type, `${path}.${k}`, out);
  }
}

/**
 * What is wrong with `object` by Kubernetes' OpenAPI schema for its apiVersion and kind: wrong types,
 * missing required fields, bad enums and formats (kubernetes-models), and fields the schema does not know.
 */
export function kubeSchemaErrors(object: { apiVersion: string; kind: string }): string[] {
  const kind = kinds[`${object.apiVersion}/${object.kind}`];
  if (kind === undefined) return [`${object.apiVersion} ${object.kind}: no schema known here; add the kind to deploy/testing/kube-validate.ts`];
  const errors: string[] = [];
  try {
    kind.model(object).validate();
  } catch (err) {
    errors.push(err instanceof Error ? err.message : String(err));
  }
  unknownFields(object, kind.clientModel, object.kind, errors);
  return errors;
}
