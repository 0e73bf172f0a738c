// Bundles the CLI (and everything it imports from src/ and bench/) into dist/everynode.js, and the lab's
// cluster thread into dist/cluster-worker.js.
// Packages from node_modules stay external, so better-sqlite3's native addon loads as usual.
import { build } from 'esbuild';

await build({
  // The lab's cluster thread loads its own bundle, beside the CLI's (see clusterWorkerEntry in src/cli/up.ts).
  entryPoints: { everynode: 'src/cli/main.ts', 'cluster-worker': 'src/cli/cluster-worker.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
