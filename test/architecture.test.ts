/**
 * The rooms of src/ import downwards only (see ARCHITECTURE.md), and a room is entered through its
 * index.ts. `api` is the exception to the second rule: it is a set of leaf modules (types, errors,
 * selectors, schema, kinds), each its own entry. Tests may import anything.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const src = join(import.meta.dirname, '../src');

/** Which rooms each room may import from (besides itself). */
const allowed: Record<string, string[]> = {
  api: [],
  machinery: ['api'],
  store: ['api'],
  client: ['api', 'machinery'],
  apiserver: ['api', 'machinery', 'store', 'client'],
  controllers: ['api', 'machinery', 'client'],
  scheduler: ['api', 'machinery', 'client'],
  nodes: ['api', 'machinery', 'client'],
  cli: ['api', 'machinery', 'store', 'client', 'apiserver', 'controllers', 'scheduler', 'nodes'],
  testing: ['api', 'machinery', 'store', 'client', 'apiserver', 'controllers', 'scheduler', 'nodes', 'cli'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

const roomOf = (file: string): string => relative(src, file).split('/')[0];

describe('architecture', () => {
  const files = sourceFiles(src).filter((f) => !relative(src, f).includes('/testdata/'));
  it('every room is known', () => {
    for (const file of files) assert.ok(roomOf(file) in allowed, `unknown room for ${relative(src, file)}`);
  });

  it('rooms import downwards only, through index.ts', () => {
    const problems: string[] = [];
    for (const file of files) {
      const room = roomOf(file);
      for (const match of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = resolve(dirname(file), match[1]);
        const rel = relative(src, target);
        if (rel.startsWith('..')) {
          if (room !== 'cli') problems.push(`${relative(src, file)} reaches outside src: ${match[1]}`);
          continue;
        }
        const targetRoom = rel.split('/')[0];
        if (targetRoom === room) continue;
        if (!allowed[room]?.includes(targetRoom)) problems.push(`${relative(src, file)} (${room}) may not import ${targetRoom}: ${match[1]}`);
        else if (targetRoom !== 'api' && rel !== `${targetRoom}/index.js`) problems.push(`${relative(src, file)} should import ${targetRoom}/index.js, not ${rel}`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
