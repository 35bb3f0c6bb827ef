import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { GrantNamespace } from '../services.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** One Kubernetes permission the code needs: a verb on a resource of a group, in one of Prow's namespaces. */
export interface KubeCall {
  namespace: GrantNamespace;
  apiGroup: string;
  resource: string;
  verb: string;
}

/**
 * The two places prow-ts talks to Kubernetes, the seam each implements, the namespace it is given
 * (services/job-store.ts opens the store in prowjob_namespace; the controller gives the runner pod_namespace),
 * and the variable that chooses it over the local backend (lib/env.ts).
 */
export const kubeBackends = [
  { file: 'lib/jobs/kube-job-store.ts', factory: 'createKubeJobStore', seam: { file: 'lib/jobs/job-store.ts', name: 'JobStore' }, namespace: 'prowjob_namespace', chosenBy: { JOB_STORE: 'kubernetes' } },
  { file: 'services/controller/runner/pod-runner.ts', factory: 'createPodRunner', seam: { file: 'services/controller/runner/runner.ts', name: 'Runner' }, namespace: 'pod_namespace', chosenBy: { JOB_RUNNER: 'pod' } },
] as const;

type Backend = (typeof kubeBackends)[number];

const verbs: Record<string, string> = { create: 'create', read: 'get', get: 'get', list: 'list', replace: 'update', patch: 'patch', delete: 'delete' };

/** `createNamespacedPod` → create pods; `replaceNamespacedCustomObject` → update on the file's `plural`. */
function callOf(method: string, consts: ReadonlyMap<string, string>, ns: GrantNamespace): KubeCall | undefined {
  const m = /^(create|read|get|list|replace|patch|delete)Namespaced([A-Za-z]+?)(Status)?$/.exec(method);
  if (m === null) return undefined;
  const [, verb = '', kind = '', status] = m;
  const custom = kind === 'CustomObject';
  const resource = custom ? (consts.get('plural') ?? '?') : `${kind.toLowerCase()}s`;
  return { namespace: ns, apiGroup: custom ? (consts.get('group') ?? '?') : '', resource: status === undefined ? resource : `${resource}/status`, verb: verbs[verb] ?? verb };
}

/**
 * The calls each seam method of a backend makes, read from its source: client-node calls on the API
 * clients, `makeInformer` (list and watch of the path it is given), and the local helpers they use. The
 * key `(construction)` holds what the factory does before any method is called.
 */
export function backendCalls(backend: Backend): Map<string, KubeCall[]> {
  const file = join(root, backend.file);
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const consts = new Map<string, string>();
  const locals = new Map<string, ts.Node>();
  let factory: ts.FunctionDeclaration | undefined;
  source.forEachChild((node) => {
    if (ts.isVariableStatement(node)) {
      for (const d of node.declarationList.declarations) if (ts.isIdentifier(d.name) && d.initializer !== undefined && ts.isStringLiteral(d.initializer)) consts.set(d.name.text, d.initializer.text);
    }
    if (ts.isFunctionDeclaration(node) && node.name?.text === backend.factory) factory = node;
  });
  if (factory?.body === undefined) throw new Error(`${backend.file}: no function ${backend.factory}`);
  let methods: ts.ObjectLiteralExpression | undefined;
  const construction: ts.Node[] = [];
  for (const statement of factory.body.statements) {
    const literal = ts.isReturnStatement(statement) && statement.expression !== undefined && ts.isObjectLiteralExpression(statement.expression) ? statement.expression : undefined;
    if (literal !== undefined) {
      methods = literal;
      continue;
    }
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        const init = d.initializer;
        if (init !== undefined && ts.isObjectLiteralExpression(init)) methods = init;
        else if (init !== undefined && ts.isIdentifier(d.name) && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) locals.set(d.name.text, init);
        else construction.push(d);
      }
      continue;
    }
    construction.push(statement);
  }
  if (methods === undefined) throw new Error(`${backend.file}: ${backend.factory} returns no object of methods`);

  const callsIn = (node: ts.Node, seen: Set<string>): KubeCall[] => {
    const out: KubeCall[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n)) {
        const callee = n.expression;
        if (ts.isPropertyAccessExpression(callee)) {
          const call = callOf(callee.name.text, consts, backend.namespace);
          if (call !== undefined) out.push(call);
        }
        if (ts.isIdentifier(callee) && callee.text === 'makeInformer') {
          const path = n.arguments[1];
          const text = path === undefined ? '' : path.getText(source).replace(/\$\{(\w+)\}/g, (_, name: string) => consts.get(name) ?? name);
          const resource = text.replace(/[`'"]/g, '').split('/').pop() ?? '?';
          const apiGroup = text.includes('/apis/') ? (consts.get('group') ?? '?') : '';
          for (const verb of ['list', 'watch']) out.push({ namespace: backend.namespace, apiGroup, resource, verb });
        }
      }
      if (ts.isIdentifier(n) && locals.has(n.text) && !seen.has(n.text)) {
        seen.add(n.text);
        const local = locals.get(n.text);
        if (local !== undefined) out.push(...callsIn(local, seen));
      }
      ts.forEachChild(n, visit);
    };
    visit(node);
    return out;
  };

  const result = new Map<string, KubeCall[]>([['(construction)', construction.flatMap((n) => callsIn(n, new Set()))]]);
  for (const p of methods.properties) {
    if (p.name !== undefined && ts.isIdentifier(p.name)) result.set(p.name.text, callsIn(p, new Set()));
  }
  return result;
}

/** What one service's code reaches: the factories it calls and the seam methods it calls, by seam. */
export interface ServiceReach {
  factories: Set<string>;
  methods: Map<string, Set<string>>;
  /** client-node API clients or informers made outside the known backends (each one a call unaccounted for). */
  strayClients: string[];
}

function closureOf(program: ts.Program, entry: string): ts.SourceFile[] {
  const seen = new Map<string, ts.SourceFile>();
  const queue = [resolve(entry)];
  while (queue.length > 0) {
    const file = queue.pop() ?? '';
    const sf = program.getSourceFile(file);
    if (sf === undefined || seen.has(file)) continue;
    seen.set(file, sf);
    for (const statement of sf.statements) {
      const spec = (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier !== undefined && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
      if (spec?.startsWith('.') === true && !(ts.isImportDeclaration(statement) && statement.importClause?.phaseModifier === ts.SyntaxKind.TypeKeyword)) queue.push(resolve(dirname(file), spec));
    }
  }
  return [...seen.values()];
}

/**
 * For each Deployment's entry (a service's `services/<name>/index.ts`, or the file of the role it runs),
 * what its runtime code reaches, by the type checker:
 * every call whose method is declared on a seam interface (JobStore, Runner), whatever the variable is
 * called, and every call of a backend's factory.
 */
export function serviceReach(entries: Readonly<Record<string, string>>): Map<string, ServiceReach> {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (config === undefined) throw new Error('cannot read tsconfig.json');
  const program = ts.createProgram(Object.values(entries).map((e) => join(root, e)), config.options);
  const checker = program.getTypeChecker();
  const seams = new Map(kubeBackends.map((b) => [`${join(root, b.seam.file)}#${b.seam.name}`, b.seam.name]));
  const factories = new Set<string>(kubeBackends.map((b) => b.factory));
  const backendFiles = new Set(kubeBackends.map((b) => join(root, b.file)));
  const out = new Map<string, ServiceReach>();
  for (const [name, entry] of Object.entries(entries)) {
    const reach: ServiceReach = { factories: new Set(), methods: new Map(), strayClients: [] };
    for (const sf of closureOf(program, join(root, entry))) {
      const visit = (n: ts.Node): void => {
        if (ts.isCallExpression(n)) {
          const callee = n.expression;
          const nameNode = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
          if (nameNode !== undefined) {
            const text = nameNode.text;
            if (factories.has(text)) reach.factories.add(text);
            if ((text === 'makeApiClient' || text === 'makeInformer') && !backendFiles.has(sf.fileName)) reach.strayClients.push(`${sf.fileName}: ${text}`);
            const symbol = checker.getSymbolAtLocation(nameNode);
            for (const decl of symbol?.declarations ?? []) {
              const owner = decl.parent;
              if (!ts.isInterfaceDeclaration(owner)) continue;
              const seam = seams.get(`${owner.getSourceFile().fileName}#${owner.name.text}`);
              if (seam === undefined) continue;
              const set = reach.methods.get(seam) ?? new Set<string>();
              set.add(text);
              reach.methods.set(seam, set);
            }
          }
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    out.set(name, reach);
  }
  return out;
}
