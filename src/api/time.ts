/** How Kubernetes writes times (metav1.Time): RFC 3339 with whole seconds, in UTC. */
export function rfc3339Seconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
