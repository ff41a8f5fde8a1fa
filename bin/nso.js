#!/usr/bin/env node
// nso runs from its TypeScript sources: tsx compiles them on load, so a checkout needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
