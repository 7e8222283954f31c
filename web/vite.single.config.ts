import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The viewer as one script and one stylesheet, for `qlab report --html`, which inlines both with the data. */
export default defineConfig({
  root: here('.'),
  logLevel: 'error', // the file adapter's node: imports are externalized (it never loads in a browser)
  build: {
    outDir: here('dist-single'),
    emptyOutDir: true,
    lib: { entry: here('src/viewer.ts'), formats: ['iife'], name: 'QlabViewer', fileName: () => 'viewer.js', cssFileName: 'viewer' },
  },
});
