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
export {
  parseDuration,
  imageMatches,
  nodeTiming,
  nodeFaults,
  podJitter,
  startDelayAnnotation,
  readyDelayAnnotation,
  stopDelayAnnotation,
  jitterAnnotation,
  imagePullFailsAnnotation,
  crashLoopsAnnotation,
  type FaultRule,
  type FaultKind,
  type NodeFaults,
  type NodeTiming,
} from './behaviour.js';
export { simulatedPodLogs, simulatedContainerLog, containerInstance, heartbeatMs, maxLogLines, type ContainerInstance } from './logs.js';
export { shellProgram, type ShellProgram, type ShellRun, type ShellContext } from './shell.js';
