export { benchApi, type ApiBenchOptions, type ApiBenchResult } from './api.js';
export { benchConverge, type ConvergeBenchOptions, type ConvergeBenchResult } from './converge.js';
export { benchLimit, type LimitBenchOptions, type LimitBenchResult } from './limit.js';
export { benchRollout, type RolloutBenchOptions, type RolloutBenchResult } from './rollout.js';
export { runProbe, type ProbeResult } from './probe.js';
export { benchCompaction, type CompactionBenchOptions, type CompactionBenchResult } from './compaction.js';
export { apiCommand, compactionCommand, convergeCommand, limitCommand, rolloutCommand } from './commands.js';
