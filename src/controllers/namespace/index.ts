export { NamespaceController, type NamespaceControllerConfig } from './namespace-controller.js';
export { kubernetesFinalizer } from './deleter.js';
