// One Vite config for the wallboard build/dev server and for vitest.
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const api = process.env['FLOORWATCH_API'] ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: path.join(here, 'wallboard'),
  plugins: [svelte()],
  resolve: { alias: { $core: path.join(here, 'ingest/src/core') } },
  build: {
    outDir: path.join(here, 'wallboard/dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: {
      '/api': api,
      '/healthz': api,
      '/ws': { target: api.replace(/^http/, 'ws'), ws: true },
    },
  },
  test: {
    dir: here,
    root: here,
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Two cores: integration tests start real servers; more workers only add contention.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
