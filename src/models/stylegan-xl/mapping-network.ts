/**
 * StyleGAN-XL's `MappingNetwork` (autonomousvision/stylegan_xl training/networks_stylegan3_resetting.py; not the
 * StyleGAN2 one, whose class conditioning differs): z is normalised to unit RMS; a conditional network looks up the
 * class (argmax of the one-hot c) in its embedding, projects it to z_dim (FullyConnectedLayer, lrelu), normalises it
 * and concatenates it to z; then `numLayers` lrelu layers (lr_multiplier 0.01) give w, repeated num_ws times.
 * Truncation moves the first `cutoff` ws towards `w_avg` — the class's own row of w_avg when conditional:
 * w_avg + ψ·(w − w_avg), as `w_avg.lerp(w, ψ)`.
 *
 * Weights: `mapping.w_avg` ([cDim, wDim], or [wDim]), `mapping.embed.weight` [classes, dim] and
 * `mapping.embed_proj.*` (conditional only), `mapping.fc<i>.*`.
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorMap } from '../../images/codecs/safetensors.js';
import { numWs, type StyleGanXlArchitecture } from './architecture.js';
import { FullyConnected, type FullyConnectedConfig } from './fully-connected.js';

export interface Truncation {
  psi: number;
  /** How many of the first ws are truncated; all when absent. */
  cutoff?: number;
}

const PREFIX = 'mapping';

type MappingArchitecture = Pick<StyleGanXlArchitecture, 'zDim' | 'cDim' | 'wDim' | 'mapping' | 'layers'>;

function layerConfigs(a: MappingArchitecture): { embedProj: FullyConnectedConfig | null; fcs: FullyConnectedConfig[] } {
  const embedding = a.mapping.embedding;
  const embedProj: FullyConnectedConfig | null =
    a.cDim > 0 && embedding ? { inFeatures: embedding.dim, outFeatures: a.zDim, activation: 'lrelu', lrMultiplier: 1 } : null;
  const fcs = Array.from({ length: a.mapping.numLayers }, (_, i) => ({
    inFeatures: i === 0 ? a.zDim * (embedProj ? 2 : 1) : a.wDim,
    outFeatures: a.wDim,
    activation: 'lrelu' as const,
    lrMultiplier: a.mapping.lrMultiplier,
  }));
  return { embedProj, fcs };
}

/** x · rsqrt(mean(x², 1) + 1e-8), the official `normalize_2nd_moment` written inline. */
function normalise(x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), 1, true), 1e-8)));
}

export class MappingNetwork {
  readonly numWs: number;
  private readonly wAvg: tf.Tensor;
  private readonly embed: tf.Tensor2D | null;
  private readonly embedProj: FullyConnected | null;
  private readonly fcs: FullyConnected[];

  static weightShapes(a: MappingArchitecture): [string, number[]][] {
    const { embedProj, fcs } = layerConfigs(a);
    const shapes: [string, number[]][] = [[`${PREFIX}.w_avg`, a.cDim > 0 ? [a.cDim, a.wDim] : [a.wDim]]];
    if (embedProj && a.mapping.embedding) {
      shapes.push([`${PREFIX}.embed.weight`, [a.mapping.embedding.classes, a.mapping.embedding.dim]]);
      shapes.push(...FullyConnected.weightShapes(`${PREFIX}.embed_proj`, embedProj));
    }
    return [...shapes, ...fcs.flatMap((config, i) => FullyConnected.weightShapes(`${PREFIX}.fc${i}`, config))];
  }

  constructor(
    readonly architecture: MappingArchitecture,
    weights: TensorMap,
  ) {
    const { embedProj, fcs } = layerConfigs(architecture);
    this.numWs = numWs(architecture);
    const wAvg = weights.get(`${PREFIX}.w_avg`)!;
    this.wAvg = tf.tensor(wAvg.values, wAvg.shape);
    const embed = weights.get(`${PREFIX}.embed.weight`);
    this.embed = embedProj && embed ? tf.tensor2d(embed.values, embed.shape as [number, number]) : null;
    this.embedProj = embedProj ? new FullyConnected(`${PREFIX}.embed_proj`, embedProj, weights) : null;
    this.fcs = fcs.map((config, i) => new FullyConnected(`${PREFIX}.fc${i}`, config, weights));
  }

  /** z [N, zDim] and, when conditional, one-hot c [N, cDim] → ws [N, numWs, wDim]. */
  map(z: tf.Tensor2D, c: tf.Tensor2D | null, truncation?: Truncation): tf.Tensor3D {
    const { zDim, cDim, wDim } = this.architecture;
    if (z.shape[1] !== zDim) throw new RangeError(`mapping: z has ${z.shape[1]} columns, zDim is ${zDim}`);
    if (cDim > 0 && (c === null || c.shape[1] !== cDim || c.shape[0] !== z.shape[0])) {
      throw new RangeError(`mapping: a conditional generator needs c [${z.shape[0]}, ${cDim}], got ${c ? `[${c.shape}]` : 'none'}`);
    }
    return tf.tidy(() => {
      const labels = cDim > 0 ? tf.argMax(c!, 1) : null;
      let x = normalise(z);
      if (labels && this.embed && this.embedProj) {
        const y = normalise(this.embedProj.apply(tf.gather(this.embed, labels)));
        x = tf.concat([x, y], 1);
      }
      for (const fc of this.fcs) x = fc.apply(x);
      const n = x.shape[0];
      let ws = tf.tile(tf.reshape(x, [n, 1, wDim]), [1, this.numWs, 1]) as tf.Tensor3D;
      if (truncation && truncation.psi !== 1) {
        const cutoff = Math.min(truncation.cutoff ?? this.numWs, this.numWs);
        const centre = tf.reshape(labels ? tf.gather(this.wAvg, labels) : this.wAvg, [labels ? n : 1, 1, wDim]);
        const head = tf.slice(ws, [0, 0, 0], [n, cutoff, wDim]);
        const truncated = tf.add(centre, tf.mul(tf.sub(head, centre), truncation.psi));
        ws = (
          cutoff < this.numWs ? tf.concat([truncated, tf.slice(ws, [0, cutoff, 0], [n, this.numWs - cutoff, wDim])], 1) : truncated
        ) as tf.Tensor3D;
      }
      return ws;
    });
  }

  dispose(): void {
    tf.dispose([this.wAvg, ...(this.embed ? [this.embed] : [])]);
    this.embedProj?.dispose();
    for (const fc of this.fcs) fc.dispose();
  }
}
