import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Relative base: the same build is served from app://cloudward/ in Electron and from http:// in browser mode.
export default defineConfig({
  // import.meta.dirname rather than node:path: this file sits in the browser room, where lint bans Node built-ins.
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    // Relative to root.
    outDir: '../build/out/renderer',
    emptyOutDir: true,
    // One bundle for a local app (no network download): the contract's zod schemas make it ~450 KB.
    chunkSizeWarningLimit: 1024,
  },
});
