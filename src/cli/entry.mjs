// Entry of the `pam` command (bin/pam). tsx is imported here rather than by `node --import tsx`, which resolves
// tsx from the caller's working directory: a bare specifier in this file resolves from this repo's node_modules,
// so `pam` runs from any folder. Importing tsx registers its loader hooks before the TypeScript CLI loads.
import 'tsx';

await import('./main.ts');
