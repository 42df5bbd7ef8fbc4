/**
 * The PublicFile record of the Figshare API v2 (swagger `PublicFile`: id, name, size, is_link_only, download_url,
 * supplied_md5, computed_md5; docs/datasets.md §C), validated on arrival. File names become local file names, so a name with a
 * path separator, `..`, or a control character is refused outright.
 */
import { z } from 'zod';
import { PermanentNetworkError } from '../../errors/pipeline-errors.js';

export const publicFileSchema = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  size: z.number().int().nonnegative(),
  is_link_only: z.boolean().default(false),
  download_url: z.string().optional(),
  supplied_md5: z.string().nullable().optional(),
  computed_md5: z.string().nullable().optional(),
  mimetype: z.string().optional(),
});

export type FigshareFile = z.infer<typeof publicFileSchema>;

/** Throws PermanentNetworkError when `name` could escape its folder or hide characters. */
export function assertSafeFileName(name: string, where: string): void {
  const bad =
    name === ''
      ? 'is empty'
      : /[/\\]/.test(name)
        ? 'contains a path separator'
        : name === '.' || name === '..' || name.includes('..')
          ? 'contains ".."'
          : hasControlCharacter(name)
            ? 'contains a control character'
            : null;
  if (bad) throw new PermanentNetworkError(`${where}: refusing file name ${JSON.stringify(name)}: it ${bad}`);
}

/** C0 controls (U+0000–U+001F) and DEL (U+007F), the characters a terminal or a file listing would not show. */
function hasControlCharacter(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code <= 0x1f || code === 0x7f) return true;
  }
  return false;
}

const MD5 = /^[0-9a-f]{32}$/;

/** The md5 to verify against: `computed_md5` (Figshare's own), else `supplied_md5` (the uploader's); null when neither. */
export function expectedMd5(file: FigshareFile): string | null {
  for (const candidate of [file.computed_md5, file.supplied_md5]) {
    const md5 = candidate?.trim().toLowerCase();
    if (md5 && MD5.test(md5)) return md5;
  }
  return null;
}
