import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The viewer and the playground, as static pages with relative asset paths (served by `qlab view`). */
export default defineConfig({
  root: here('.'),
  base: './',
  logLevel: 'error', // the file adapter's node: imports are externalized (it never loads in a browser)
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    rolldownOptions: { input: { viewer: here('index.html'), playground: here('playground.html') } },
  },
  worker: { format: 'es' },
});
