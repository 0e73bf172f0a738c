/**
 * The schema room: one description of every kind everynode serves, used for
 *
 * 1. lookups (`schemaForKind`, `schemaForName`),
 * 2. strategic merge patch metadata (`patchMetaForKind`),
 * 3. the decoding checks the API server makes on request bodies (`decodeBody`, and its parts
 *    `findTypeErrors`, `findUnknownFields`, `pruneUnknownFields`, `strictDecodingError`),
 * 4. OpenAPI v3 for kubectl (`openapiV3Root`, `openapiV3Document`).
 */
export type {
  ArrayNode,
  Field,
  GroupVersionKind,
  ListType,
  MapNode,
  NamedScalarNode,
  ObjectNode,
  ScalarNode,
  SchemaNode,
} from './dsl.js';
export { goTypeOf } from './dsl.js';
export type { PatchMeta } from './patch-meta.js';
export { allKinds, listKinds, resourceKinds, schemaForKind, schemaForName } from './kinds.js';
export { patchMetaForKind, patchMetaForNode } from './schema-patch-meta.js';
export {
  cannotBeHandledMessage,
  decodeBody,
  findConversionError,
  findTypeErrors,
  goValueString,
  findUnknownFields,
  maxStrictErrors,
  pruneUnknownFields,
  strictDecodingError,
  unknownFieldWarning,
  type FieldValidation,
} from './decode.js';
export { openapiV3Document, openapiV3Root, servedGroupVersions, type ServedGroupVersion, type ServedResource } from './openapi.js';
export { checkTime, goQuote, rfc3339 } from './go-codecs.js';
