// Entry of a compute thread. A worker thread does not always inherit the parent's `--import tsx` loader (e.g.
// under `node --test`), so register it explicitly before loading the TypeScript thread body.
import { register } from 'tsx/esm/api';

register();
await import('./compute-thread.ts');
