export { startLab, kubeconfigText, type RunningLab, type UpOptions } from './up.js';
