import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { IConfigMap, IVolume } from 'kubernetes-models/v1';
import type { ConfigInput } from './services.ts';

/** One file of config/ as it travels: the ConfigMap and key holding it, and its path under the mount. */
export interface ConfigFile {
  configMap: ConfigInput;
  key: string;
  /** Where the file sits under its ConfigMap's mount (job configs keep their folders). */
  path: string;
  /** The file in config/. */
  source: string;
}

/** Where each ConfigMap is mounted in a service's container. */
export const mountPaths: Readonly<Record<ConfigInput, string>> = {
  config: '/etc/config',
  plugins: '/etc/plugins',
  'job-config': '/etc/job-config',
  'boskos-resources': '/etc/boskos',
  testgrid: '/etc/testgrid',
};

/** Kubernetes refuses a ConfigMap over 1 MiB. */
const configMapLimit = 1024 * 1024;

/** Every file below `dir`, in name order. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

/**
 * The files of `configDir` that starter.yaml carries: config.yaml, plugins.yaml, every job config under jobs/,
 * and boskos.yaml and testgrid.yaml when they exist. A job config's key is its path with `/` written `__`
 * (ConfigMap keys have no folders); the volume's items put it back in its folder.
 */
export function configFiles(configDir: string): ConfigFile[] {
  const top = (configMap: ConfigInput, name: string): ConfigFile[] => {
    const source = join(configDir, name);
    return existsSync(source) ? [{ configMap, key: name, path: name, source }] : [];
  };
  const jobsDir = join(configDir, 'jobs');
  const jobs = existsSync(jobsDir)
    ? filesUnder(jobsDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((source): ConfigFile => {
          const path = relative(jobsDir, source).split('\\').join('/');
          return { configMap: 'job-config', key: path.split('/').join('__'), path, source };
        })
    : [];
  const files = [...top('config', 'config.yaml'), ...top('plugins', 'plugins.yaml'), ...jobs, ...top('boskos-resources', 'boskos.yaml'), ...top('testgrid', 'testgrid.yaml')];
  const keys = new Set<string>();
  for (const f of files) {
    const id = `${f.configMap}/${f.key}`;
    if (keys.has(id)) throw new Error(`${f.source}: another job config already has the ConfigMap key ${f.key}; rename one of them`);
    keys.add(id);
  }
  return files;
}

/** The ConfigMaps holding `files`, one per input, each file byte for byte. */
export function configMaps(files: readonly ConfigFile[], namespace: string): IConfigMap[] {
  const names = [...new Set(files.map((f) => f.configMap))];
  return names.map((name) => {
    const data: Record<string, string> = {};
    for (const f of files.filter((file) => file.configMap === name)) data[f.key] = readFileSync(f.source, 'utf8');
    const size = Object.values(data).reduce((n, text) => n + Buffer.byteLength(text), 0);
    if (size > configMapLimit) throw new Error(`ConfigMap ${name} would hold ${String(size)} bytes, over Kubernetes' 1 MiB; split its files or load them another way`);
    return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels: { app: 'prow' } }, data };
  });
}

/** The volume of one ConfigMap, its files at their paths. */
export function configVolume(name: ConfigInput, files: readonly ConfigFile[]): IVolume {
  const items = files.filter((f) => f.configMap === name).map((f) => ({ key: f.key, path: f.path }));
  return { name, configMap: { name, items } };
}
