/** The `files` table of stage `download`: where each required file of the manifest lies in the data cache. */
import { z } from 'zod';
import { float64, json, text, utf8 } from './column-types.js';
import { defineTable } from './define-table.js';

/**
 * One row per resolved manifest requirement; `cache_path` is relative to the data cache's root; `loader`, `subject` and `split` tell the loader stages which file is
 * which (empty when the manifest leaves them out). Metadata: the manifest path and its figshare article.
 */
export const DOWNLOADED_FILES = defineTable({
  name: 'files',
  columns: {
    role: utf8(),
    name: utf8(),
    md5: utf8(),
    size: float64(),
    cache_path: utf8(),
    loader: utf8(),
    subject: utf8(),
    split: utf8(),
  },
  metadata: { manifest: text(), article: json(z.object({ id: z.number(), version: z.number().nullable() })) },
});
