/** Workflow definitions registered by the worker (bundled by Temporal's webpack bundler). */
export { experiment, retryStageUpdate, stagesQuery } from './experiment.js';
