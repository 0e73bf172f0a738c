export {
  DisruptionController,
  calculateExpectedPodCountFailedReason,
  disruptionControllerComponent,
  multiplePodDisruptionBudgetsReason,
  noPodsReason,
  notDeletedReason,
  unmanagedPodsReason,
  type DisruptionControllerConfig,
} from './controller.js';
export {
  buildDisruptedPodMap,
  countHealthyPods,
  deletionTimeoutMs,
  disruptionsAllowed,
  failSafeStatus,
  getExpectedPodCount,
  getExpectedScale,
  getScaledValueFromIntOrPercent,
  nextBudgetStatus,
  staleDisruptionCondition,
  stalePodDisruptionTimeoutMs,
  type BudgetCounts,
  type ControllerScale,
  type DisruptedPodMap,
  type ExpectedPodCount,
  type ScaleFinder,
} from './budget.js';
export { findServedControllerScale } from './scale.js';
