export { benchApi, type ApiBenchOptions, type ApiBenchResult } from './api.js';
export { benchConverge, type ConvergeBenchOptions, type ConvergeBenchResult } from './converge.js';
