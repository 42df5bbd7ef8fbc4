/**
 * Loads a folder of stimulus photographs into the `stimuli` table (the input role `images` of `invert-latents`).
 * Reading a few thousand small files takes seconds, so a retried attempt starts over instead of checkpointing.
 * The folder's content is in the cache key (src/engine/stage-key-parts.ts); the run also records what it read:
 * table `stimulus-files` holds the sha256 of every file, and the summary's `filesSha256` fingerprints the whole set
 * for `pam lineage`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { prepareStimulus } from '../../images/stimuli/prepare-stimulus.js';
import { STIMULUS_FILES, writeStimuli } from '../../tables/stimuli.js';
import { listStimulusFiles } from '../../images/stimuli/stimulus-folder.js';
import type { StageRunner } from '../stage-definition.js';
import type { LoadStimuliParams } from './spec.js';

export const runner: StageRunner<LoadStimuliParams> = {
  async run(ctx) {
    const { size, splits, imageIds } = ctx.params;
    // Absolute once the config is loaded (src/config/external-paths.ts).
    const folder = ctx.params.folder;
    const listing = listStimulusFiles(folder, splits, imageIds);
    if (listing.ignored.length > 0) {
      ctx.log(`skipped ${listing.ignored.length} files without an image extension, e.g. ${listing.ignored.slice(0, 3).join(', ')}`);
    }
    const count = listing.files.length;
    const pixelsPerImage = size * size * 3;
    const pixels = new Float32Array(count * pixelsPerImage);
    const hashes: string[] = [];
    const byteCounts: number[] = [];
    listing.files.forEach((entry, index) => {
      ctx.signal.throwIfAborted();
      const bytes = readFileSync(entry.path);
      hashes.push(createHash('sha256').update(bytes).digest('hex'));
      byteCounts.push(bytes.length);
      pixels.set(prepareStimulus(bytes, entry.path, size), index * pixelsPerImage);
      ctx.progress({ fraction: (index + 1) / count, message: `loaded ${index + 1}/${count} stimuli (${entry.file})` });
    });

    const ids = listing.files.map((f) => f.imageId);
    const splitNames = listing.files.map((f) => f.split);
    const files = listing.files.map((f) => f.file);
    // One hash over (split, file, sha256) in table order: equal iff the same files with the same bytes were used.
    const filesSha256 = createHash('sha256')
      .update(files.map((file, i) => `${splitNames[i]}\t${file}\t${hashes[i]}\n`).join(''))
      .digest('hex');
    const source = `load-stimuli ${folder}: centre crop, area/bilinear resize to ${size}×${size}`;
    writeStimuli(ctx.output, { ids, splits: splitNames, pixels, height: size, width: size, source });
    STIMULUS_FILES.write(
      ctx.output,
      { image_id: ids, split: splitNames, file: files, bytes: byteCounts, sha256: hashes },
      { folder, filesSha256 },
    );
    return {
      summary: {
        train: splitNames.filter((s) => s === 'train').length,
        test: splitNames.filter((s) => s === 'test').length,
        size,
        folder,
        filesSha256,
        ignoredFiles: listing.ignored.length,
      },
    };
  },
};
