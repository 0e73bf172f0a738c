// Bundles the CLI (and everything it imports from src/ and bench/) into dist/everynode.js.
// Packages from node_modules stay external, so better-sqlite3's native addon loads as usual.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/everynode.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
