/**
 * The three patch formats the API server applies: JSON patch (RFC 6902), JSON merge patch (RFC 7386)
 * and Kubernetes strategic merge patch. Each takes a parsed document and a parsed patch body, returns
 * a new document, and fails with a `StatusError` shaped as the upstream API server's answer.
 */
export { applyJsonPatch, maxJsonPatchOperations } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch } from './strategic.js';
