export {
  NodeLifecycleController,
  desiredNodeTaints,
  monitoredConditionTypes,
  nodeLeaseNamespace,
  reconcileNodeTaints,
  unknownNodeConditions,
  type NodeLifecycleControllerConfig,
} from './node-lifecycle-controller.js';
export {
  TaintEvictionController,
  getMatchingTolerations,
  getMinTolerationTimeMs,
  getNoExecuteTaints,
  taintEvictionControllerComponent,
  type TaintEvictionControllerConfig,
} from './taint-eviction.js';
