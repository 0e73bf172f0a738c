export { benchApi, type ApiBenchOptions, type ApiBenchResult } from './api.js';
