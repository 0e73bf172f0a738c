export { benchApi, type ApiBenchOptions, type ApiBenchResult } from './api.js';
export { benchConverge, type ConvergeBenchOptions, type ConvergeBenchResult } from './converge.js';
export { benchLimit, type LimitBenchOptions, type LimitBenchResult } from './limit.js';
export { benchRollout, type RolloutBenchOptions, type RolloutBenchResult } from './rollout.js';
export { runProbe, type ProbeResult } from './probe.js';
export { apiCommand, convergeCommand, limitCommand, rolloutCommand } from './commands.js';
