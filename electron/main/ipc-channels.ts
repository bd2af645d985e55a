/**
 * Channel names shared with the preload. The sandboxed preload cannot import at runtime, so it
 * repeats these literals; test/unit/main/preload-bridge.test.ts keeps both sides equal.
 */
export const requestChannel = 'cloudward:request';
export const eventChannel = 'cloudward:event';
export const savePdfChannel = 'cloudward:save-pdf';
