let lastSecond = NaN;
let lastText = '';

/** How Kubernetes writes times (metav1.Time): RFC 3339 with whole seconds, in UTC. */
export function rfc3339Seconds(ms: number): string {
  // Every write stamps a time or two, and nearly all of them fall in the same second as the last one.
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    lastSecond = second;
  }
  return lastText;
}
