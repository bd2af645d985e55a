// The catalogue and CloudwardError live in a zod-free module (error-catalogue.ts) so the ledger and the quick
// commands can import them without loading zod; the wire schema is separate (error-info-schema.ts).
export * from './error-catalogue.js';
export * from './error-info-schema.js';
