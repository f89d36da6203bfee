// Worker bootstrap: a worker thread does not inherit the parent's TypeScript loader, so it
// registers tsx itself before loading the worker (the server runs its sources through tsx).
import { register } from 'tsx/esm/api';

register();
await import('./whatif-worker.ts');
