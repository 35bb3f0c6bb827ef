let second = -1;
let text = '';

/** Now as Kubernetes writes timestamps (RFC 3339, whole seconds), formatted once per second. */
export function kubeTime(): string {
  const s = Math.floor(Date.now() / 1000);
  if (s !== second) {
    second = s;
    text = new Date(s * 1000).toISOString().replace('.000Z', 'Z');
  }
  return text;
}
