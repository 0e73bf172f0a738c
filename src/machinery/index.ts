export * from './patch/index.js';
