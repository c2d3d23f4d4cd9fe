/** The local runner of `npm start`: real Node and a real shell on this machine, for the page this server serves. */
export { createLocalRunner, injectToken, LocalRunnerManager, type LocalRunnerOptions } from './manager.ts';
export { DEFAULT_LIMITS, type LocalLimits } from './limits.ts';
