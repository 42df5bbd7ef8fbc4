/** Build a freshly initialised decoder from its architecture description. */
import type { Rng } from '../random/rng.js';
import { BaselineDecoder } from './baseline-decoder.js';
import type { Decoder, DecoderArchitecture } from './decoder.js';
import { PamDecoder } from './pam-decoder.js';

export function buildDecoder(architecture: DecoderArchitecture, rng: Rng): Decoder {
  switch (architecture.kind) {
    case 'baseline':
      return new BaselineDecoder(rng, architecture.inputUnits, architecture.latentDim);
    case 'pam':
      return new PamDecoder(rng, architecture);
  }
}
