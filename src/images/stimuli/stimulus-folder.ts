/**
 * Which files of a stimulus folder become stimuli. The layout is the one researchers get for GOD/Shen-19 (the
 * images are not public; see docs/datasets.md §B.4): one subfolder per split, files named `<image_id>.<ext>` with the
 * ImageNet id as stem (e.g. `n01518878_5958.JPEG`, matching the `stimulus_id` labels of the fMRI files, docs/datasets.md §B.3).
 * Every ambiguity is an error naming the folder and the files, never a silent choice.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { DataValidationError } from '../../errors/pipeline-errors.js';

export const STIMULUS_SPLITS = ['train', 'test'] as const;
export type StimulusSplit = (typeof STIMULUS_SPLITS)[number];

/** Extensions read as images (any letter case); everything else, and hidden files, is skipped. */
const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png']);

export interface StimulusFile {
  imageId: string;
  split: StimulusSplit;
  /** Path relative to the stimulus folder, `/`-separated (recorded in lineage). */
  file: string;
  /** Absolute path. */
  path: string;
}

export interface StimulusListing {
  /** Ordered by split (train, then test), then image id in code-unit order. */
  files: StimulusFile[];
  /** Relative paths of the files skipped for not having an image extension. */
  ignored: string[];
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function listSplit(folder: string, split: StimulusSplit, subfolder: string, ignored: string[]): StimulusFile[] {
  const dir = join(folder, subfolder);
  if (!isDirectory(dir)) {
    throw new DataValidationError(`${dir}: the "${split}" subfolder "${subfolder}" does not exist (params.splits.${split})`);
  }
  const byId = new Map<string, StimulusFile>();
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const file = relative(folder, path).split(sep).join('/');
    if (name.startsWith('.') || !statSync(path).isFile()) continue;
    const extension = extname(name);
    if (!IMAGE_EXTENSIONS.has(extension.toLowerCase())) {
      ignored.push(file);
      continue;
    }
    const imageId = name.slice(0, -extension.length);
    const twin = byId.get(imageId);
    if (twin) {
      throw new DataValidationError(`${dir}: image id "${imageId}" has two files, ${twin.file} and ${file}: keep one`);
    }
    byId.set(imageId, { imageId, split, file, path });
  }
  return [...byId.values()];
}

/**
 * List the image files of `folder` for each configured split. When `imageIds` is given, only those ids are kept
 * and every one of them must have a file.
 */
export function listStimulusFiles(
  folder: string,
  splits: Partial<Record<StimulusSplit, string>>,
  imageIds?: readonly string[],
): StimulusListing {
  if (!isDirectory(folder)) throw new DataValidationError(`${folder}: stimulus folder does not exist (params.folder)`);
  const ignored: string[] = [];
  const wanted = imageIds ? new Set(imageIds) : null;
  const bySplit: { split: StimulusSplit; subfolder: string; found: StimulusFile[] }[] = [];
  const seen = new Map<string, StimulusFile>();
  for (const split of STIMULUS_SPLITS) {
    const subfolder = splits[split];
    if (subfolder === undefined) continue;
    const found = listSplit(folder, split, subfolder, ignored).filter((f) => wanted === null || wanted.has(f.imageId));
    for (const entry of found) {
      const other = seen.get(entry.imageId);
      if (other) {
        throw new DataValidationError(`${folder}: image id "${entry.imageId}" is in two splits: ${other.file} and ${entry.file}`);
      }
      seen.set(entry.imageId, entry);
    }
    bySplit.push({ split, subfolder, found });
  }
  if (wanted) {
    const missing = [...wanted].filter((id) => !seen.has(id));
    if (missing.length > 0) {
      const shown = missing
        .slice(0, 10)
        .map((id) => `"${id}"`)
        .join(', ');
      throw new DataValidationError(
        `${folder}: ${missing.length} of params.imageIds have no image file in the configured splits: ${shown}${missing.length > 10 ? ', …' : ''}`,
      );
    }
  }
  const files: StimulusFile[] = [];
  for (const { split, subfolder, found } of bySplit) {
    if (found.length === 0) {
      const why = wanted
        ? 'none of params.imageIds is there (to load one split only, list just that split in params.splits)'
        : 'no .jpg, .jpeg or .png files';
      throw new DataValidationError(`${join(folder, subfolder)}: the "${split}" split is empty: ${why}`);
    }
    files.push(...found.sort((a, b) => (a.imageId < b.imageId ? -1 : a.imageId > b.imageId ? 1 : 0)));
  }
  return { files, ignored };
}
