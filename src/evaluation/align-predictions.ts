/**
 * Put every decoder's predicted latents into test-table order, so per-item scores pair up across decoders
 * (the paired t-tests need the same item at the same index).
 */
import { DataValidationError } from '../errors/pipeline-errors.js';
import type { MatrixView } from '../tables/arrow-tables.js';

export interface DecoderLatents {
  name: string;
  /** itemIds.length × width, row i = item itemIds[i]. */
  latents: Float32Array;
}

export function alignPredictions(
  itemIds: readonly string[],
  decoders: readonly string[],
  predictedIds: readonly string[],
  predicted: MatrixView<Float32Array>,
  source: string,
): DecoderLatents[] {
  const rowOfItem = new Map(itemIds.map((id, i) => [id, i]));
  const width = predicted.width;
  return [...new Set(decoders)].map((decoder) => {
    const aligned = new Float32Array(itemIds.length * width);
    const seen = new Uint8Array(itemIds.length);
    decoders.forEach((name, row) => {
      if (name !== decoder) return;
      const target = rowOfItem.get(predictedIds[row]!);
      if (target === undefined) throw new DataValidationError(`${source}: row ${row} predicts unknown test item "${predictedIds[row]}"`);
      if (seen[target])
        throw new DataValidationError(
          `${source}: row ${row} predicts test item "${predictedIds[row]}" a second time for decoder "${decoder}"`,
        );
      aligned.set(predicted.values.subarray(row * width, (row + 1) * width), target * width);
      seen[target] = 1;
    });
    const missing = itemIds.filter((_, i) => !seen[i]);
    if (missing.length > 0) {
      throw new DataValidationError(
        `${source}: decoder "${decoder}" has no prediction for ${missing.length} test items (first: ${missing[0]})`,
      );
    }
    return { name: decoder, latents: aligned };
  });
}
