#!/usr/bin/env node
// nso runs from its TypeScript sources: tsx compiles them on load, so a checkout needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
// Exit explicitly: a command that failed half-way (a storage client still connecting, say) must not linger.
// stdout and stderr are synchronous for files, pipes and terminals on Linux, so nothing printed is lost.
process.exit(await main(process.argv));
