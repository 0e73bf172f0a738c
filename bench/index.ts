export { benchApi, type ApiBenchOptions, type ApiBenchResult } from './api.js';
export { benchConverge, type ConvergeBenchOptions, type ConvergeBenchResult } from './converge.js';
export { benchRollout, type RolloutBenchOptions, type RolloutBenchResult } from './rollout.js';
export { runProbe, type ProbeResult } from './probe.js';
