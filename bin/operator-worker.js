// The entry of nso up's operator thread: a worker does not inherit the main thread's module hooks, so it
// registers tsx itself before loading the TypeScript sources.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/operator-thread.ts');
