/**
 * Printers for the small core (`v1`) resources: namespaces, configmaps, secrets and serviceaccounts.
 * Pods, nodes and events have files of their own.
 *
 * Upstream: `printNamespace`, `printConfigMap`, `printSecret` and `printServiceAccount` in
 * pkg/printers/internalversion/printers.go.
 */

import type { KubeObject, Namespace } from '../../api/types.js';
import { ageColumn, ageOf, column, countKeys, nameColumn, nameOf, type TablePrinter } from './columns.js';

/** NAME STATUS AGE. */
export const namespacePrinter: TablePrinter = {
  columns: [nameColumn(), column('Status', 'Active, or Terminating while the namespace is deleted.'), ageColumn],
  cells(obj: KubeObject, now: number): unknown[] {
    return [nameOf(obj), (obj as Namespace).status?.phase ?? '', ageOf(obj, now)];
  },
};

/**
 * NAME DATA AGE. DATA counts `data` and `binaryData` keys together.
 * Upstream declares DATA a string column although the cell is a number; kubectl prints either.
 */
export const configMapPrinter: TablePrinter = {
  columns: [nameColumn(), column('Data', 'Number of keys in data and binaryData.'), ageColumn],
  cells(obj: KubeObject, now: number): unknown[] {
    return [nameOf(obj), countKeys(obj['data']) + countKeys(obj['binaryData']), ageOf(obj, now)];
  },
};

/** NAME TYPE DATA AGE. */
export const secretPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Type', 'The kind of secret, such as Opaque.'),
    column('Data', 'Number of keys in the secret.'),
    ageColumn,
  ],
  cells(obj: KubeObject, now: number): unknown[] {
    return [nameOf(obj), typeof obj['type'] === 'string' ? obj['type'] : '', secretKeyCount(obj), ageOf(obj, now)];
  },
};

/**
 * Keys of `data`, plus keys only in the write-only `stringData`: upstream merges `stringData` into `data`
 * when it decodes a secret, so a secret that still carries it counts each key once.
 */
function secretKeyCount(secret: KubeObject): number {
  const data = isMap(secret['data']) ? secret['data'] : {};
  const stringData = isMap(secret['stringData']) ? secret['stringData'] : {};
  const extra = Object.keys(stringData).filter((key) => !Object.hasOwn(data, key)).length;
  return Object.keys(data).length + extra;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** NAME SECRETS AGE. SECRETS counts the entries of `secrets`. */
export const serviceAccountPrinter: TablePrinter = {
  columns: [nameColumn(), column('Secrets', 'Number of secrets listed on the service account.'), ageColumn],
  cells(obj: KubeObject, now: number): unknown[] {
    const secrets = obj['secrets'];
    return [nameOf(obj), Array.isArray(secrets) ? secrets.length : 0, ageOf(obj, now)];
  },
};
