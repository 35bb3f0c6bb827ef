import type { IStatefulSet } from 'kubernetes-models/apps/v1';
import type { IService } from 'kubernetes-models/v1';
import { containerSecurity, podSecurity } from './security.ts';

/** Where every service finds Redis: the StatefulSet's Service. */
export const redisUrl = 'redis://redis:6379';

/** The official image's `redis` user. */
const redisUser = 999;

/**
 * Redis as one StatefulSet replica on a PersistentVolumeClaim, with the append-only file on (fsync every
 * second) so a restart keeps queues, leases and pools; `noeviction`, as BullMQ requires.
 */
export function redisObjects(namespace: string): [IStatefulSet, IService] {
  const labels = { app: 'redis' };
  const ping = { exec: { command: ['redis-cli', 'ping'] }, periodSeconds: 10, timeoutSeconds: 5 };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'redis', namespace, labels },
      spec: {
        serviceName: 'redis',
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: podSecurity(redisUser),
            containers: [
              {
                name: 'redis',
                image: 'redis:7.4-alpine',
                args: ['--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', '/data', '--maxmemory-policy', 'noeviction'],
                ports: [{ name: 'redis', containerPort: 6379 }],
                readinessProbe: { ...ping, initialDelaySeconds: 5 },
                livenessProbe: { ...ping, initialDelaySeconds: 30, failureThreshold: 6 },
                resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
                securityContext: containerSecurity(),
                volumeMounts: [{ name: 'data', mountPath: '/data' }],
              },
            ],
          },
        },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } }],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'redis', namespace, labels },
      // Headless: the StatefulSet's governing Service; `redis` resolves to its one Pod.
      spec: { clusterIP: 'None', selector: labels, ports: [{ name: 'redis', port: 6379, targetPort: 'redis' }] },
    },
  ];
}
