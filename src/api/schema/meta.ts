/**
 * meta.k8s.io/v1 types shared by every kind (`io.k8s.apimachinery.pkg.apis.meta.v1.*`), and the
 * helpers that give each top-level kind its `apiVersion`/`kind`/`metadata` and its List type.
 */
import {
  arrayOf,
  atomic,
  bool,
  field,
  fieldsV1,
  int32,
  int64,
  keyedBy,
  mapOf,
  mergedSet,
  obj,
  str,
  time,
  typedStr,
  type Field,
  type GroupVersionKind,
  type ObjectNode,
} from './dsl.js';

const meta = (type: string): string => `io.k8s.apimachinery.pkg.apis.meta.v1.${type}`;
const uid = typedStr('types.UID');

export const OwnerReference = obj(
  meta('OwnerReference'),
  'Points at the object that owns this one; when every owner is gone the garbage collector deletes the dependent.',
  {
    apiVersion: field(str, 'API version of the owner.', { required: true }),
    blockOwnerDeletion: field(bool, 'When true, foreground deletion of the owner waits until this dependent is deleted.'),
    controller: field(bool, 'True when the owner is the managing controller; at most one owner may say so.'),
    kind: field(str, 'Kind of the owner.', { required: true }),
    name: field(str, 'Name of the owner.', { required: true }),
    uid: field(uid, 'UID of the owner; guards against a new object that reuses the name.', { required: true }),
  },
  { atomic: true },
);

export const ManagedFieldsEntry = obj(
  meta('ManagedFieldsEntry'),
  'Records which fields one manager set, through which operation, and when.',
  {
    apiVersion: field(str, 'Version of the resource the field set refers to.'),
    fieldsType: field(str, 'Format of the field set; only "FieldsV1" exists.'),
    fieldsV1: field(fieldsV1, 'The fields this manager owns.'),
    manager: field(str, 'Name of the writer, usually the client\'s field manager.'),
    operation: field(typedStr('v1.ManagedFieldsOperationType'), 'How the fields were written: "Apply" or "Update".'),
    subresource: field(str, 'Subresource the write went through, such as "status"; empty for the main resource.'),
    time: field(time, 'When the entry last changed.'),
  },
);

export const ObjectMeta = obj(meta('ObjectMeta'), 'Metadata every persisted object carries: identity, labels, ownership and bookkeeping.', {
  annotations: field(mapOf(str), 'Free-form key/value data for tools; not used for selection.'),
  creationTimestamp: field(time, 'When the server created the object. Set by the server; read-only.'),
  deletionGracePeriodSeconds: field(int64, 'Seconds the object is given to terminate once deletion starts. Read-only.'),
  deletionTimestamp: field(time, 'When deletion was requested; the object goes once its finalizers are done. Set by the server.'),
  finalizers: field(arrayOf(str), 'Names of pending cleanup steps that must finish before the object is removed.', mergedSet),
  generateName: field(str, 'Prefix from which the server builds a unique name when name is empty.'),
  generation: field(int64, 'Sequence number of the desired state; bumped by the server on spec changes. Read-only.'),
  labels: field(mapOf(str), 'Key/value pairs used to organise and select objects.'),
  managedFields: field(arrayOf(ManagedFieldsEntry), 'Which manager owns which fields; maintained by the server.', atomic),
  name: field(str, 'Name, unique within its namespace (or cluster for cluster-scoped kinds).'),
  namespace: field(str, 'Namespace the object lives in; empty for cluster-scoped kinds.'),
  ownerReferences: field(arrayOf(OwnerReference), 'Objects this one depends on; used for garbage collection.', keyedBy('uid')),
  resourceVersion: field(str, 'Opaque version of this object, changed on every write; used for concurrency checks and watches.'),
  selfLink: field(str, 'Deprecated and never set.'),
  uid: field(uid, 'Identifier unique in time and space, assigned by the server. Read-only.'),
});

export const ListMeta = obj(meta('ListMeta'), 'Metadata of a list response.', {
  continue: field(str, 'Token for fetching the next page, when the list was cut short by a limit.'),
  remainingItemCount: field(int64, 'Number of items left after this page, when known.'),
  resourceVersion: field(str, 'Version of the collection at the time it was read; start a watch from here.'),
  selfLink: field(str, 'Deprecated and never set.'),
});

export const LabelSelectorRequirement = obj(meta('LabelSelectorRequirement'), 'One condition on a label: a key, an operator and values.', {
  key: field(str, 'Label key the condition applies to.', { required: true }),
  operator: field(typedStr('v1.LabelSelectorOperator'), 'How the key relates to the values: In, NotIn, Exists or DoesNotExist.', { required: true }),
  values: field(arrayOf(str), 'Values for In and NotIn; must be empty for Exists and DoesNotExist.', atomic),
});

export const LabelSelector = obj(
  meta('LabelSelector'),
  'A label query. All conditions must hold; an empty selector matches everything, a missing one nothing.',
  {
    matchExpressions: field(arrayOf(LabelSelectorRequirement), 'Conditions on labels, all of which must hold.', atomic),
    matchLabels: field(mapOf(str), 'Exact key/value pairs; each one is an "In" condition with a single value.'),
  },
  { atomic: true },
);

export const Condition = obj(meta('Condition'), 'One aspect of an object\'s current state, in the standard condition shape.', {
  lastTransitionTime: field(time, 'When status last changed.', { required: true }),
  message: field(str, 'Human-readable detail about the transition.', { required: true }),
  observedGeneration: field(int64, 'The metadata.generation the condition was computed from.'),
  reason: field(str, 'Machine-readable CamelCase cause of the last transition.', { required: true }),
  status: field(typedStr('v1.ConditionStatus'), 'True, False or Unknown.', { required: true }),
  type: field(str, 'Which aspect this condition describes, in CamelCase.', { required: true }),
});

export const Preconditions = obj(meta('Preconditions'), 'Requirements the object must still meet for the operation to go ahead.', {
  resourceVersion: field(str, 'The object must have this resourceVersion.'),
  uid: field(uid, 'The object must have this UID.'),
});

/** apiVersion and kind, present on every serialized object. */
export function typeMetaFields(): Record<string, Field> {
  return {
    apiVersion: field(str, 'Versioned schema of this object, "group/version" (just "v1" for the core group).'),
    kind: field(str, 'Kind of this object, in CamelCase.'),
  };
}

/** The GVKs DeleteOptions is accepted as: core, and every group everynode serves. */
const deleteOptionsGroups = ['', 'apps', 'coordination.k8s.io', 'policy', 'scheduling.k8s.io'];

export const DeleteOptions: ObjectNode = {
  ...obj(meta('DeleteOptions'), 'Options for a delete request.', {
    ...typeMetaFields(),
    dryRun: field(arrayOf(str), 'When ["All"], run every step but persist nothing.', atomic),
    gracePeriodSeconds: field(int64, 'Seconds to allow before the object is removed; 0 means immediately.'),
    ignoreStoreReadErrorWithClusterBreakingPotential: field(bool, 'Deletes an object that cannot be read from storage. Dangerous; needs extra permission.'),
    orphanDependents: field(bool, 'Deprecated: use propagationPolicy. When true, dependents are orphaned.'),
    preconditions: field(Preconditions, 'Must hold for the delete to proceed.'),
    propagationPolicy: field(typedStr('v1.DeletionPropagation'), 'What happens to dependents: Orphan, Background or Foreground.'),
  }),
  gvk: deleteOptionsGroups.map((group) => ({ group, version: 'v1', kind: 'DeleteOptions' })),
};

export const StatusCause = obj(meta('StatusCause'), 'One reason a request failed, often tied to a field.', {
  field: field(str, 'Path of the field at fault, such as "spec.containers[0].name".'),
  message: field(str, 'Human-readable description of the cause.'),
  reason: field(typedStr('v1.CauseType'), 'Machine-readable kind of cause, such as "FieldValueRequired".'),
});

export const StatusDetails = obj(meta('StatusDetails'), 'Extra data about a failed request.', {
  causes: field(arrayOf(StatusCause), 'Individual causes of the failure.', atomic),
  group: field(str, 'Group of the resource concerned.'),
  kind: field(str, 'Kind (or plural resource) concerned.'),
  name: field(str, 'Name of the object concerned.'),
  retryAfterSeconds: field(int32, 'Seconds the client should wait before retrying.'),
  uid: field(uid, 'UID of the object concerned.'),
});

export const Status = obj(
  meta('Status'),
  'Result of an operation that does not return an object, and the body of every error.',
  {
    ...typeMetaFields(),
    code: field(int32, 'HTTP status code.'),
    details: field(StatusDetails, 'Extra data about the failure, depending on reason.'),
    message: field(str, 'Human-readable description of the result.'),
    metadata: field(ListMeta, 'Standard list metadata.'),
    reason: field(typedStr('v1.StatusReason'), 'Machine-readable CamelCase reason for a failure, such as "NotFound".'),
    status: field(str, '"Success" or "Failure".'),
  },
  { gvk: { group: '', version: 'v1', kind: 'Status' } },
);

/**
 * A top-level kind: `apiVersion`, `kind` and `metadata` followed by its own fields, carrying its GVK.
 */
export function kindOf(gvk: GroupVersionKind, name: string, description: string, fields: Record<string, Field>): ObjectNode {
  return obj(name, description, { ...typeMetaFields(), metadata: field(ObjectMeta, 'Standard object metadata.'), ...fields }, { gvk });
}

/** The `<Kind>List` type of a kind: list metadata and the items. */
export function listOf(item: ObjectNode): ObjectNode {
  const gvk = item.gvk![0]!;
  return obj(
    `${item.name}List`,
    `A list of ${gvk.kind} objects.`,
    {
      ...typeMetaFields(),
      items: field(arrayOf(item), `The ${gvk.kind} objects.`, { required: true }),
      metadata: field(ListMeta, 'Standard list metadata.'),
    },
    { gvk: { ...gvk, kind: `${gvk.kind}List` } },
  );
}
