export { PodGCController, missingNodeNames, type PodGCControllerConfig } from './pod-gc-controller.js';
