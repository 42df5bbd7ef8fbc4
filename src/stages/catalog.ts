/**
 * Every stage kind the pipeline knows, by the name used in `uses:`. Only specs (zod schemas and metadata) are
 * imported here; runners load lazily in the compute thread.
 */
import type { StageSpec } from './stage-spec.js';
import { spec as evaluate } from './evaluate/spec.js';

export type StageCatalog = ReadonlyMap<string, StageSpec>;

const specs: StageSpec[] = [evaluate];

export const stageCatalog: StageCatalog = new Map(specs.map((spec) => [spec.kind, spec]));
