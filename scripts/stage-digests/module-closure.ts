/**
 * The modules under a `src/` folder that a set of root files loads at run time, transitively: what runs when a
 * stage runs. Specifiers follow TypeScript's NodeNext resolution (a `.js` specifier names the `.ts` file beside it);
 * a literal resolved against `import.meta.url` may omit the extension (src/threads/spawn-thread.ts `moduleBeside`
 * adds the caller's). Packages and `node:` built-ins are not followed: package.json pins their versions. An
 * `import()` of a computed specifier cannot be followed either; in src/ those load npm packages
 * (src/tensor/tf-backend.ts) or a thread module that its spawner names by literal (src/threads/thread-entry.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { readSourceFacts, type SourceFacts } from './source-file.js';

const isFile = (path: string): boolean => existsSync(path) && statSync(path).isFile();
const isRelative = (specifier: string): boolean => specifier.startsWith('./') || specifier.startsWith('../');

/** Candidate files for a specifier, most specific first. */
function candidates(path: string): string[] {
  const typescriptTwin = path.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts');
  return [...new Set([typescriptTwin, path, `${path}.ts`])];
}

export class ModuleClosure {
  private readonly facts = new Map<string, SourceFacts>();
  private readonly srcDir: string;

  /** `srcDir`: the `src/` folder; paths are reported relative to the folder that holds it, e.g. `src/stages/x.ts`. */
  constructor(srcDir: string) {
    this.srcDir = resolve(srcDir);
  }

  /** Every file `roots` (absolute paths) load, each with its digest, by path relative to the repository root. */
  closure(roots: readonly string[]): Map<string, string> {
    const seen = new Set<string>();
    const pending = roots.map((root) => resolve(root));
    for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
      if (seen.has(path) || !this.holds(path)) continue;
      seen.add(path);
      const facts = this.factsOf(path);
      for (const specifier of facts.imports.filter(isRelative)) pending.push(this.resolveFrom(path, specifier));
      for (const specifier of facts.moduleUrls) {
        const target = resolve(dirname(path), specifier);
        // A literal naming a folder (src/stages/download/manifest-path.ts: the repository root) is no module.
        if (!(existsSync(target) && statSync(target).isDirectory())) pending.push(this.resolveFrom(path, specifier));
      }
    }
    const root = dirname(this.srcDir);
    return new Map([...seen].sort().map((path) => [relative(root, path).split(sep).join('/'), this.factsOf(path).digest]));
  }

  private holds(path: string): boolean {
    return path.startsWith(`${this.srcDir}${sep}`);
  }

  private factsOf(path: string): SourceFacts {
    let facts = this.facts.get(path);
    if (facts === undefined) {
      facts = readSourceFacts(path);
      this.facts.set(path, facts);
    }
    return facts;
  }

  /** A specifier that resolves to no file would fail at run time too: say where, rather than digest less code. */
  private resolveFrom(importer: string, specifier: string): string {
    const found = candidates(resolve(dirname(importer), specifier)).find(isFile);
    if (found === undefined) throw new Error(`${relative(dirname(this.srcDir), importer)}: '${specifier}' resolves to no file`);
    return found;
  }
}
