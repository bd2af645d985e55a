/**
 * Channel names shared with the preload. The sandboxed preload cannot import at runtime, so it
 * repeats these two literals; test/unit/main/preload-bridge.test.ts keeps both sides equal.
 */
export const invokeChannel = 'cloudward:invoke';
export const jobEventChannel = 'job:event';
