export {
  SimulatedFleet,
  isSimulated,
  isStopped,
  pullFailsImage,
  crashLoopsImage,
  crashLoopBackOffMs,
  probeDelayMs,
  microTime,
  kubeletVersion,
  nodeLeaseNamespace,
  simulatedAnnotation,
  stoppedAnnotation,
  cpuAnnotation,
  memoryAnnotation,
  podsAnnotation,
  type SimulatedFleetConfig,
} from './fleet.js';
export { TaskHeap } from './task-heap.js';
