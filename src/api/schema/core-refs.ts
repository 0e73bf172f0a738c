/**
 * Small core/v1 reference and selector types used across pods, volumes and events.
 */
import { bool, field, mapOf, obj, quantity, str, typedStr } from './dsl.js';

export const core = (type: string): string => `io.k8s.api.core.v1.${type}`;

/** `v1.ResourceList`: resource name → quantity. */
export const resourceList = mapOf(quantity, 'v1.ResourceList');

export const LocalObjectReference = obj(
  core('LocalObjectReference'),
  'Names another object in the same namespace.',
  { name: field(str, 'Name of the referenced object.') },
  { atomic: true },
);

export const ObjectReference = obj(
  core('ObjectReference'),
  'Points at any object, optionally at one field inside it.',
  {
    apiVersion: field(str, 'API version of the referenced object.'),
    fieldPath: field(str, 'A field inside the object, such as "spec.containers{name}", when the reference is to part of it.'),
    kind: field(str, 'Kind of the referenced object.'),
    name: field(str, 'Name of the referenced object.'),
    namespace: field(str, 'Namespace of the referenced object.'),
    resourceVersion: field(str, 'The resourceVersion the reference was made against, if it matters.'),
    uid: field(typedStr('types.UID'), 'UID of the referenced object.'),
  },
  { atomic: true },
);

export const TypedLocalObjectReference = obj(
  core('TypedLocalObjectReference'),
  'Names an object of a given kind in the same namespace.',
  {
    apiGroup: field(str, 'API group of the referenced kind; empty for the core group.'),
    kind: field(str, 'Kind of the referenced object.', { required: true }),
    name: field(str, 'Name of the referenced object.', { required: true }),
  },
  { atomic: true },
);

export const TypedObjectReference = obj(core('TypedObjectReference'), 'Names an object of a given kind, possibly in another namespace.', {
  apiGroup: field(str, 'API group of the referenced kind; empty for the core group.'),
  kind: field(str, 'Kind of the referenced object.', { required: true }),
  name: field(str, 'Name of the referenced object.', { required: true }),
  namespace: field(str, 'Namespace of the referenced object, when it differs from the referrer\'s.'),
});

export const ObjectFieldSelector = obj(
  core('ObjectFieldSelector'),
  'Selects one field of the pod, such as metadata.name or status.podIP.',
  {
    apiVersion: field(str, 'Version the field path is written against; defaults to "v1".'),
    fieldPath: field(str, 'Path of the field to read.', { required: true }),
  },
  { atomic: true },
);

export const ResourceFieldSelector = obj(
  core('ResourceFieldSelector'),
  'Selects a container\'s resource request or limit, such as limits.cpu.',
  {
    containerName: field(str, 'Container whose resources are read; required for volumes, optional for env vars.'),
    divisor: field(quantity, 'Unit the value is expressed in; defaults to "1".'),
    resource: field(str, 'Which resource to read, such as "requests.memory".', { required: true }),
  },
  { atomic: true },
);

export const ConfigMapKeySelector = obj(
  core('ConfigMapKeySelector'),
  'Selects one key of a ConfigMap.',
  {
    key: field(str, 'The key to read.', { required: true }),
    name: field(str, 'Name of the ConfigMap.'),
    optional: field(bool, 'When true, a missing ConfigMap or key is not an error.'),
  },
  { atomic: true },
);

export const SecretKeySelector = obj(
  core('SecretKeySelector'),
  'Selects one key of a Secret.',
  {
    key: field(str, 'The key to read.', { required: true }),
    name: field(str, 'Name of the Secret.'),
    optional: field(bool, 'When true, a missing Secret or key is not an error.'),
  },
  { atomic: true },
);
