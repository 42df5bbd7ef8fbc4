/**
 * The published StyleGAN-XL ImageNet generator's hyperparameters (docs/stylegan-xl.md §1; autonomousvision/stylegan_xl
 * train.py for stylegan3-t: channel base and max doubled to 65536 / 1024, w 512, z 64, 2 mapping layers, a 16 px
 * stem of 10 layers, 7-layer ×2 super-resolution heads), as bench/stylegan_xl_torch.py builds them. `heads` 4 gives
 * the 256 px network, 5 the 512 px one (imagenet512.pkl).
 */
import type { StyleGanXlArchitecture } from '../../src/models/stylegan-xl/architecture.js';
import { STYLEGAN_XL_DEFAULTS, styleganXlArchitecture } from '../../src/models/stylegan-xl/layer-specs.js';

export function imagenetArchitecture(heads: number): StyleGanXlArchitecture {
  return styleganXlArchitecture({
    ...STYLEGAN_XL_DEFAULTS,
    zDim: 64,
    cDim: 1000,
    wDim: 512,
    stemResolution: 16,
    channelBase: 65536,
    channelMax: 1024,
    numLayers: 10,
    superres: Array.from({ length: heads }, () => ({ headLayers: 7, upFactor: 2 })),
  });
}
