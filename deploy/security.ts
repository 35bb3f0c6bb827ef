import type { IPodSecurityContext, ISecurityContext } from 'kubernetes-models/v1';

/** The image's `node` user (Dockerfile `USER 1000:1000`). */
export const appUser = 1000;

/** Non-root, no privilege escalation, no capabilities, a read-only root: what every container here runs with. */
export function containerSecurity(): ISecurityContext {
  return { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
}

/** The Pod side: a non-root user by number (so the kubelet can check it), files group-owned, the runtime's seccomp profile. */
export function podSecurity(user: number): IPodSecurityContext {
  return { runAsNonRoot: true, runAsUser: user, runAsGroup: user, fsGroup: user, seccompProfile: { type: 'RuntimeDefault' } };
}

