#!/usr/bin/env node
// The qlab entry point. It runs the bundle `npm ci` builds (bin/build.js) when that bundle is fresh,
// and otherwise the TypeScript sources through tsx's loader (each command module is loaded on
// demand either way, so `qlab --help` starts quickly). See bin/compiled.js for "fresh".
import { freshBuild } from './compiled.js';

const built = freshBuild('main');
let main;
if (built !== undefined) ({ main } = await import(built));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../sim/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
