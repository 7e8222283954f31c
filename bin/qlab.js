#!/usr/bin/env node
// The qlab entry point. The lab is written in TypeScript and run through tsx's loader (no build
// step, so `npx qlab` works straight after `npm ci`); each command module is loaded on demand so
// `qlab --help` starts quickly.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../sim/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
