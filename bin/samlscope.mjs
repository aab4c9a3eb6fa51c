#!/usr/bin/env node
// samlscope's command-line entry. Runs the TypeScript sources directly through tsx, so a
// checkout works after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { run } = await import(new URL('../cli/main.ts', import.meta.url).href);
await run();
