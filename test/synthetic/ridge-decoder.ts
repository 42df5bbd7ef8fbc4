/**
 * Closed-form ridge regression from responses to latents, the simplest decoder that can tell which area carries
 * the latent (the B2G notebooks decode with sklearn LinearRegression; docs/datasets.md §A.5). Columns are
 * z-scored with training statistics; weights solve (XᵀX + λI) W = Xᵀ(Z − z̄) via ml-matrix `solve`.
 */
import { Matrix, solve } from 'ml-matrix';

function toMatrix(values: Float32Array, width: number): Matrix {
  const rows = values.length / width;
  const m = new Matrix(rows, width);
  for (let i = 0; i < rows; i++) for (let j = 0; j < width; j++) m.set(i, j, values[i * width + j]!);
  return m;
}

/** Mean cosine similarity between the predicted and true test latents. */
export function ridgeLatentCosine(
  train: { x: Float32Array; z: Float32Array },
  test: { x: Float32Array; z: Float32Array },
  units: number,
  latentDim: number,
  lambda = 10,
): number {
  const xTrain = toMatrix(train.x, units);
  const xTest = toMatrix(test.x, units);
  const zTrain = toMatrix(train.z, latentDim);
  const mean = xTrain.mean('column');
  const std = xTrain.standardDeviation('column', { mean }).map((s) => s || 1);
  for (const x of [xTrain, xTest]) x.subRowVector(mean).divRowVector(std);
  const zMean = zTrain.mean('column');
  zTrain.subRowVector(zMean);
  const gram = xTrain.transpose().mmul(xTrain).add(Matrix.eye(units).mul(lambda));
  const weights = solve(gram, xTrain.transpose().mmul(zTrain));
  const predicted = xTest.mmul(weights).addRowVector(zMean);
  let total = 0;
  for (let i = 0; i < predicted.rows; i++) {
    let dot = 0;
    let pp = 0;
    let zz = 0;
    for (let j = 0; j < latentDim; j++) {
      const p = predicted.get(i, j);
      const z = test.z[i * latentDim + j]!;
      dot += p * z;
      pp += p * p;
      zz += z * z;
    }
    total += dot / Math.sqrt(pp * zz);
  }
  return total / predicted.rows;
}
