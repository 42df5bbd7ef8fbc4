/**
 * Latent similarity (paper §2.3): cosine similarity between the stimulus's true latent and the decoded one,
 * per test item — the "Lat sim" row of the paper's Table 2 (Dado et al.'s posters: "latent cosine similarity
 * between w-latents of stimuli and reconstructions").
 */
export function cosineSimilarity(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, width: number): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let j = 0; j < width; j++) {
    const x = a[aOffset + j]!;
    const y = b[bOffset + j]!;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  // A decoder whose final ReLU outputs all zeros has no direction: similarity 0, not NaN.
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/** Row-wise cosine similarity of two row-major matrices of the same shape. */
export function rowCosineSimilarities(truth: Float32Array, predicted: Float32Array, width: number): Float64Array {
  const rows = truth.length / width;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) out[i] = cosineSimilarity(truth, i * width, predicted, i * width, width);
  return out;
}
