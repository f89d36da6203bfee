// The live queue and agent engine (see engine.ts for the definitions it implements).
export {
  createQueueEngine,
  type QueueEngine,
  type QueueEngineOptions,
  type QueueEngineStats,
} from './engine.js';
export { intervalStart, nextIntervalStart, operatingDay, offsetMs, isoZ } from './time-buckets.js';
export * from './figures.js';
