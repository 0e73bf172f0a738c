import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { fieldErrorMessage } from '../errors.js';
import type { KubeObject } from '../types.js';
import { hasRulesFor, rulesFor } from './index.js';

const seedDir = join(import.meta.dirname, '../../../test/seeds/manifests');

/** Every manifest in the shared seeds, parsed as kubectl would (YAML 1.1). */
function seedManifests(): { file: string; obj: KubeObject }[] {
  return readdirSync(seedDir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => ({ file, obj: YAML.parse(readFileSync(join(seedDir, file), 'utf8'), { version: '1.1' }) as KubeObject }));
}

function groupOf(apiVersion: string | undefined): string {
  return apiVersion?.includes('/') ? apiVersion.split('/')[0] : '';
}

/** What the API server does before validating: kubectl fills in the namespace from its context. */
function asSubmitted(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj);
  copy.metadata.namespace ??= 'default';
  return copy;
}

describe('seed manifests', () => {
  for (const { file, obj } of seedManifests()) {
    const group = groupOf(obj.apiVersion);
    const kind = obj.kind ?? '';
    it(`${file} has rules`, () => assert.ok(hasRulesFor(group, kind), `${group}/${kind}`));

    it(`${file} validates after defaulting`, () => {
      const rules = rulesFor(group, kind);
      const submitted = asSubmitted(obj);
      rules.applyDefaults(submitted);
      assert.deepEqual(rules.validateCreate(submitted).map(fieldErrorMessage), []);
      assert.deepEqual(rules.validateUpdate(structuredClone(submitted), submitted).map(fieldErrorMessage), []);
    });

    it(`${file} defaults idempotently`, () => {
      const rules = rulesFor(group, kind);
      const once = asSubmitted(obj);
      rules.applyDefaults(once);
      const twice = structuredClone(once);
      rules.applyDefaults(twice);
      assert.deepEqual(twice, once);
    });
  }
});
