/** Small deterministic hashes the simulated fleet derives IDs, addresses, jitter and log timing from. */

/** 32-bit FNV-1a of `s`, optionally continuing from `seed`. */
export function fnv1a(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A deterministic lowercase hex string of `length` characters derived from `s`. */
export function hexHash(s: string, length: number): string {
  let out = '';
  let seed = 0x811c9dc5;
  while (out.length < length) {
    seed = fnv1a(s, seed);
    out += seed.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}
