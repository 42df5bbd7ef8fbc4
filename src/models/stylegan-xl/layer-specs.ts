/**
 * StyleGAN-XL's architecture from its training hyperparameters, computed as the official constructors do
 * (autonomousvision/stylegan_xl training/networks_stylegan3_resetting.py): `SynthesisNetwork.get_layer_specs` for
 * the stem (a geometric progression of cutoffs and stopbands from the first layer to the last, the last
 * `numCritical` layers critically sampled), and for each super-resolution stage `SuperresGenerator`: drop the
 * previous network's critically sampled layers, then `compute_superres_filterparams` for `headLayers` new layers
 * that continue from the last remaining one.
 *
 * Two quirks are kept as the official code has them: a head's progression always reserves 2 critical layers
 * (`compute_superres_filterparams(..., num_critical=2)`), while its layers' `is_critically_sampled` flags use the
 * stem's `num_critical`; and a head's layers take SynthesisLayer's defaults (filter size 6, leaky ReLU upsampling 2,
 * conv clamp 256) whatever the stem used, because SuperresGenerator passes only the kernel size and filter kind.
 */
import { ConfigError } from '../../errors/pipeline-errors.js';
import { STYLEGAN_XL_FORMAT, type StyleGanXlArchitecture, type SynthesisLayerSpec } from './architecture.js';

/** The hyperparameters of the official Generator (stem) and of each SuperresGenerator stage after it. */
export interface StyleGanXlHyperparameters {
  zDim: number;
  cDim: number;
  wDim: number;
  /** The stem's output resolution. */
  stemResolution: number;
  imgChannels: number;
  mappingLayers: number;
  mappingLrMultiplier: number;
  /** Class embedding size; the official MappingNetwork loads ImageNet's (1000 × 320). Only used when cDim > 0. */
  embedding: { classes: number; dim: number };
  channelBase: number;
  channelMax: number;
  numLayers: number;
  numCritical: number;
  firstCutoff: number;
  firstStopband: number;
  lastStopbandRel: number;
  marginSize: number;
  outputScale: number;
  convKernel: number;
  convClamp: number | null;
  filterSize: number;
  lreluUpsampling: number;
  superres: { headLayers: number; upFactor: number }[];
}

/** The official constructors' defaults (SynthesisNetwork, SynthesisLayer, MappingNetwork, the ImageNet embedding). */
export const STYLEGAN_XL_DEFAULTS = {
  imgChannels: 3,
  mappingLayers: 2,
  mappingLrMultiplier: 0.01,
  embedding: { classes: 1000, dim: 320 },
  channelBase: 32768,
  channelMax: 512,
  numLayers: 14,
  numCritical: 2,
  firstCutoff: 2,
  firstStopband: 2 ** 2.1,
  lastStopbandRel: 2 ** 0.3,
  marginSize: 10,
  outputScale: 0.25,
  convKernel: 3,
  convClamp: 256,
  filterSize: 6,
  lreluUpsampling: 2,
  superres: [],
} as const satisfies Partial<StyleGanXlHyperparameters>;

/** The critical layers a super-resolution head's progression reserves (`compute_superres_filterparams` default). */
const HEAD_CRITICAL = 2;
const SUPERRES_UP_FACTORS = [2, 4, 8, 16];

/** numpy.rint: round half to even. */
function rint(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

interface Progression {
  cutoffs: number[];
  samplingRates: number[];
  halfWidths: number[];
  sizes: number[];
  channels: number[];
}

/** The shared part of get_layer_specs and compute_superres_filterparams, for `count + 1` layers. */
function progression(
  h: StyleGanXlHyperparameters,
  resolution: number,
  count: number,
  critical: number,
  firstCutoff: number,
  firstStopband: number,
): Progression {
  const lastCutoff = resolution / 2;
  const lastStopband = lastCutoff * h.lastStopbandRel;
  const exponents = Array.from({ length: count + 1 }, (_, i) => Math.min(i / (count - critical), 1));
  const cutoffs = exponents.map((e) => firstCutoff * (lastCutoff / firstCutoff) ** e);
  const stopbands = exponents.map((e) => firstStopband * (lastStopband / firstStopband) ** e);
  const samplingRates = stopbands.map((s) => 2 ** Math.ceil(Math.log2(Math.min(s * 2, resolution))));
  const halfWidths = stopbands.map((s, i) => Math.max(s, samplingRates[i]! / 2) - cutoffs[i]!);
  const sizes = samplingRates.map((s, i) => (i >= count - 1 ? resolution : s + h.marginSize * 2));
  const channels = cutoffs.map((c, i) => (i === count ? h.imgChannels : rint(Math.min(h.channelBase / 2 / c, h.channelMax))));
  return { cutoffs, samplingRates, halfWidths, sizes, channels };
}

function layersOf(
  p: Progression,
  count: number,
  critical: number,
  firstIndex: number,
  settings: Pick<SynthesisLayerSpec, 'convKernel' | 'filterSize' | 'lreluUpsampling' | 'convClamp'>,
): SynthesisLayerSpec[] {
  return Array.from({ length: count + 1 }, (_, idx) => {
    const prev = Math.max(idx - 1, 0);
    return {
      name: `L${idx + firstIndex}_${p.sizes[idx]}_${p.channels[idx]}`,
      isTorgb: idx === count,
      isCriticallySampled: idx >= count - critical,
      inChannels: p.channels[prev]!,
      outChannels: p.channels[idx]!,
      inSize: p.sizes[prev]!,
      outSize: p.sizes[idx]!,
      // The official constructors pass the sampling rates through int().
      inSamplingRate: Math.trunc(p.samplingRates[prev]!),
      outSamplingRate: Math.trunc(p.samplingRates[idx]!),
      inCutoff: p.cutoffs[prev]!,
      outCutoff: p.cutoffs[idx]!,
      inHalfWidth: p.halfWidths[prev]!,
      outHalfWidth: p.halfWidths[idx]!,
      ...settings,
      // SynthesisLayer sets its own conv_kernel to 1 for ToRGB.
      convKernel: idx === count ? 1 : settings.convKernel,
    };
  });
}

/** The architecture the official code builds from these hyperparameters. */
export function styleganXlArchitecture(h: StyleGanXlHyperparameters): StyleGanXlArchitecture {
  if (h.numLayers <= h.numCritical) throw new ConfigError(`stylegan-xl: numLayers ${h.numLayers} must exceed numCritical ${h.numCritical}`);
  const stem = progression(h, h.stemResolution, h.numLayers, h.numCritical, h.firstCutoff, h.firstStopband);
  let layers = layersOf(stem, h.numLayers, h.numCritical, 0, {
    convKernel: h.convKernel,
    filterSize: h.filterSize,
    lreluUpsampling: h.lreluUpsampling,
    convClamp: h.convClamp,
  });
  let resolution = h.stemResolution;
  for (const { headLayers, upFactor } of h.superres) {
    if (!SUPERRES_UP_FACTORS.includes(upFactor))
      throw new ConfigError(`stylegan-xl: super-resolution upFactor ${upFactor} is not one of 2, 4, 8, 16`);
    if (headLayers <= HEAD_CRITICAL) throw new ConfigError(`stylegan-xl: headLayers ${headLayers} must exceed ${HEAD_CRITICAL}`);
    layers = layers.filter((layer) => !layer.isCriticallySampled);
    const last = layers[layers.length - 1]!;
    resolution *= upFactor;
    const head = progression(h, resolution, headLayers, HEAD_CRITICAL, last.outCutoff, last.outHalfWidth + last.outCutoff);
    head.samplingRates[0] = last.outSamplingRate;
    head.halfWidths[0] = Math.max(last.outHalfWidth + last.outCutoff, head.samplingRates[0] / 2) - head.cutoffs[0]!;
    head.sizes[0] = head.samplingRates[0] + h.marginSize * 2;
    head.channels[0] = last.outChannels;
    const { filterSize, lreluUpsampling, convClamp } = STYLEGAN_XL_DEFAULTS;
    const settings = { convKernel: h.convKernel, filterSize, lreluUpsampling, convClamp };
    layers = [...layers, ...layersOf(head, headLayers, h.numCritical, layers.length + 1, settings)];
  }
  return {
    format: STYLEGAN_XL_FORMAT,
    zDim: h.zDim,
    cDim: h.cDim,
    wDim: h.wDim,
    imgResolution: resolution,
    imgChannels: h.imgChannels,
    mapping: {
      numLayers: h.mappingLayers,
      lrMultiplier: h.mappingLrMultiplier,
      embedding: h.cDim > 0 ? { ...h.embedding } : null,
    },
    input: { channels: stem.channels[0]!, size: stem.sizes[0]!, samplingRate: stem.samplingRates[0]!, bandwidth: stem.cutoffs[0]! },
    layers,
    outputScale: h.outputScale,
  };
}
