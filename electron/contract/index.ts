export * from './errors.js';
export * from './folders.js';
export * from './items.js';
export * from './ipc.js';
export * from './pim.js';
export * from './progress.js';
