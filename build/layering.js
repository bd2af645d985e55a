// @ts-check
/**
 * Which room may import what (shared/docs/architecture.md). Patterns are gitignore-style, matched by
 * the layering/imports rule (build/eslint-layering.js) against every import specifier.
 * @type {{ room: string, files: string[], forbidden: { group: string[], message: string }[] }[]}
 */
const node = { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'stream', 'http', 'https', 'net', 'tls'], message: 'Node built-ins are not allowed in this room.' };
// Anchored (leading /): unanchored 'electron/*' also matched relative paths such as '../../electron/contract/ipc.js'.
const electron = { group: ['/electron', '/electron/*'], message: 'Only electron/main and electron/preload may import electron.' };
const react = { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'React belongs to the renderer only.' };
const renderer = { group: ['**/renderer/**', '**/renderer'], message: 'Nothing imports the renderer.' };
const engine = { group: ['**/engine/**', '**/engine'], message: 'The engine is reached through the CLI or the utility process, not imported here.' };
const native = { group: ['**/native/**', '**/native', '**/native/src/**'], message: 'native/ is for the CLI and main process only.' };
const cli = { group: ['**/cli/**', '**/cli'], message: 'The CLI is a composition root; nothing imports it.' };
const main = { group: ['**/main/**', '**/preload/**'], message: 'Process entry points are not imported.' };
const nativeLibs = { group: ['better-sqlite3', 'keytar', 'imapflow', 'pst-extractor', 'ews-javascript-api', '@azure/msal-node', 'pino'], message: 'Protocol and native libraries stay out of this room.' };

export const layering = [
  { room: 'electron/contract', files: ['electron/contract/**/*.ts'], forbidden: [node, electron, react, renderer, engine, native, cli, main, nativeLibs] },
  { room: 'electron/engine', files: ['electron/engine/**/*.ts'], forbidden: [electron, react, renderer, native, cli, main] },
  { room: 'electron/cli', files: ['electron/cli/**/*.ts'], forbidden: [electron, react, renderer, main] },
  { room: 'native', files: ['native/**/*.ts'], forbidden: [electron, react, renderer, engine, cli, main] },
  { room: 'electron/main', files: ['electron/main/**/*.ts'], forbidden: [react, renderer, engine, cli] },
  { room: 'electron/preload', files: ['electron/preload/**/*.ts', 'electron/preload/**/*.cts'], forbidden: [react, renderer, engine, native, cli, nativeLibs, { group: ['node:*'], message: 'The sandboxed preload has no Node.' }] },
  { room: 'renderer', files: ['renderer/**/*.ts', 'renderer/**/*.tsx'], forbidden: [node, electron, engine, native, cli, main, nativeLibs] },
];
