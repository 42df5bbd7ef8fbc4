/**
 * Data manifests (`data-manifests/*.yaml`): which Figshare article (and version) an experiment needs, which of its
 * files (by exact name or `*`/`?` glob, tried in order — names in docs/datasets.md §A.2/§B.2 are partly inferred), their expected
 * size/md5 when known, and which loader reads each. Validated with zod; errors name the file and the key path.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../errors/pipeline-errors.js';

export const LOADERS = ['b2g-mua', 'b2g-latents', 'god-bdata'] as const;
export type LoaderName = (typeof LOADERS)[number];

const requirementSchema = z
  .object({
    /** Unique id of this requirement within the manifest (e.g. `mua`, `sub-01-train`). */
    role: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and "-"'),
    /** Candidate names or globs, in order of preference; the first that matches exactly one file wins. */
    match: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((m) => (Array.isArray(m) ? m : [m])),
    loader: z.enum(LOADERS),
    size: z.number().int().nonnegative().optional(),
    md5: z
      .string()
      .regex(/^[0-9a-f]{32}$/, '32 lower-case hex digits')
      .optional(),
    subject: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/)
      .optional(),
    split: z.enum(['train', 'test']).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.loader === 'god-bdata' && (!r.subject || !r.split)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'a god-bdata file needs `subject` and `split`' });
    }
  });

export const manifestSchema = z
  .object({
    dataset: z.string().min(1),
    description: z.string().optional(),
    article: z.object({ id: z.number().int().positive(), version: z.number().int().positive().nullable().default(null) }).strict(),
    files: z.array(requirementSchema).min(1),
  })
  .strict()
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.files.forEach((f, i) => {
      if (seen.has(f.role))
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['files', i, 'role'], message: `duplicate role "${f.role}"` });
      seen.add(f.role);
    });
  });

export type DataManifest = z.infer<typeof manifestSchema>;
export type FileRequirement = DataManifest['files'][number];

/** Parse and validate the manifest at `path`; throws ConfigError naming the file and the first bad key path. */
export function loadManifest(path: string): DataManifest {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new ConfigError(`${path}: cannot read data manifest: ${(cause as Error).message}`, { cause });
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`${path}: invalid data manifest: ${lines.join('; ')}`);
  }
  return parsed.data;
}
