/** Match a manifest's requirements against an article's file listing; any miss fails loudly with the real names. */
import { DataValidationError } from '../../errors/pipeline-errors.js';
import type { DataManifest, FileRequirement } from './manifest-schema.js';

export interface NamedFile {
  name: string;
  size: number;
}

export interface ResolvedFile<F extends NamedFile> {
  requirement: FileRequirement;
  file: F;
  /** The `match` entry that selected it. */
  matchedBy: string;
}

/** `*` = any run of characters, `?` = one character; everything else literal. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** The file one requirement selects, or a reason why none is selected. */
export function matchRequirement<F extends NamedFile>(requirement: FileRequirement, listing: readonly F[]): ResolvedFile<F> | string {
  for (const candidate of requirement.match) {
    const pattern = globToRegExp(candidate);
    const hits = listing.filter((f) => pattern.test(f.name));
    if (hits.length > 1) return `"${candidate}" matches ${hits.length} files (${hits.map((f) => f.name).join(', ')})`;
    if (hits.length === 1) return { requirement, file: hits[0]!, matchedBy: candidate };
  }
  return `none of ${requirement.match.map((m) => `"${m}"`).join(', ')} matches`;
}

/** Resolve every requirement of `manifest` (read from `source`) against `listing`; throws listing what exists. */
export function resolveManifest<F extends NamedFile>(manifest: DataManifest, listing: readonly F[], source: string): ResolvedFile<F>[] {
  const problems: string[] = [];
  const resolved: ResolvedFile<F>[] = [];
  for (const requirement of manifest.files) {
    const result = matchRequirement(requirement, listing);
    if (typeof result === 'string') {
      problems.push(`role "${requirement.role}": ${result}`);
      continue;
    }
    if (requirement.size !== undefined && requirement.size !== result.file.size) {
      problems.push(
        `role "${requirement.role}": "${result.file.name}" has ${result.file.size} bytes, the manifest expects ${requirement.size}`,
      );
    }
    resolved.push(result);
  }
  if (problems.length > 0) {
    const article = `article ${manifest.article.id}${manifest.article.version ? ` version ${manifest.article.version}` : ''}`;
    const have = listing.map((f) => f.name).join(', ') || '(no files)';
    throw new DataValidationError(`${source}: ${problems.join('; ')}. ${article} has: ${have}`);
  }
  return resolved;
}
