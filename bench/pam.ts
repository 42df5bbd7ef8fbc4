/**
 * `npm run bench -- pam`: B2G-sized PAM training (3 heads 448/256/256 → latent 512, width 512, 5 embedding blocks,
 * batch 32, 4000 items) with our pipeline's fastest tfjs backend versus the same model in PyTorch CPU
 * (bench/pam_torch.py: torch 2.13 PyPI wheel, MKL, 2 threads), in the same run, one after the other so they do
 * not compete for the 2 cores. Speed = training items per second of the fastest timed epoch (after warm-up) on
 * each side: the minimum is the least noise-sensitive estimate on a shared machine (as Python's timeit advises).
 * Options: --items N --warmup E --epochs E --backend auto|wasm|cpu. Last line: `ratio: <ours / PyTorch>`.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { initTensorBackend, type TensorBackendRequest } from '../src/tensor/tf-backend.js';
import { Rng } from '../src/random/rng.js';
import { trainDecoder } from '../src/training/train-decoder.js';

const { values: args } = parseArgs({
  options: {
    items: { type: 'string', default: '4000' },
    warmup: { type: 'string', default: '1' },
    epochs: { type: 'string', default: '2' },
    backend: { type: 'string', default: 'auto' },
  },
});
const config = {
  items: Number(args.items),
  areaUnits: [448, 256, 256],
  latentDim: 512,
  width: 512,
  embeddingBlocks: 5,
  batchSize: 32,
  warmupEpochs: Number(args.warmup),
  timedEpochs: Number(args.epochs),
  seed: 9,
  threads: 2,
};

async function ours(): Promise<{ itemsPerSecond: number; epochSeconds: number[]; backend: string }> {
  const choice = await initTensorBackend(args.backend as TensorBackendRequest, () => {});
  const rng = new Rng(config.seed);
  const data = {
    blocks: config.areaUnits.map((units) => rng.normals(config.items * units)),
    widths: config.areaUnits,
    targets: rng.normals(config.items * config.latentDim),
    latentDim: config.latentDim,
    rows: config.items,
  };
  const areas = config.areaUnits.map((units, i) => ({ name: ['V1', 'V4', 'IT'][i]!, units }));
  const epochSeconds: number[] = [];
  let last = performance.now();
  await trainDecoder(
    { kind: 'pam', areas, width: config.width, embeddingBlocks: config.embeddingBlocks, latentDim: config.latentDim },
    data,
    {
      epochs: config.warmupEpochs + config.timedEpochs,
      batchSize: config.batchSize,
      learningRate: 1e-3,
      seed: config.seed,
      validationFraction: 0,
      patience: 1,
      checkpointEveryEpochs: 1,
      checkpointDir: null,
    },
    {
      onEpoch: ({ epoch, loss }) => {
        const now = performance.now();
        epochSeconds.push((now - last) / 1000);
        last = now;
        console.log(`  ours epoch ${epoch}: ${epochSeconds.at(-1)!.toFixed(2)} s, loss ${loss.toFixed(4)}`);
      },
    },
  );
  const timed = epochSeconds.slice(config.warmupEpochs);
  return { itemsPerSecond: config.items / Math.min(...timed), epochSeconds, backend: choice.backend };
}

function pytorch(): { itemsPerSecond: number; epochSeconds: number[]; torch: string; threads: number } {
  const python = new URL('../.tools/venv-ref/bin/python', import.meta.url).pathname;
  const script = new URL('./pam_torch.py', import.meta.url).pathname;
  const out = execFileSync(python, [script, JSON.stringify(config)], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: String(config.threads) },
  });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

console.log(
  `PAM training benchmark: ${config.items} items, heads ${config.areaUnits.join('/')} → ${config.latentDim}, width ${config.width}, ${config.embeddingBlocks} blocks, batch ${config.batchSize}, ${config.warmupEpochs} warm-up + ${config.timedEpochs} timed epochs`,
);
const a = await ours();
console.log(
  `ours (tfjs ${a.backend}, ${a.backend.startsWith('tfjs-node') ? 'TensorFlow intra-op threads' : '1 core'}): ${a.itemsPerSecond.toFixed(1)} items/s; epochs ${a.epochSeconds.map((s) => s.toFixed(2)).join(', ')} s`,
);
const b = pytorch();
console.log(
  `PyTorch ${b.torch} CPU (${b.threads} threads, MKL): ${b.itemsPerSecond.toFixed(1)} items/s; epochs ${b.epochSeconds.map((s) => s.toFixed(2)).join(', ')} s`,
);
console.log(`ratio: ${(a.itemsPerSecond / b.itemsPerSecond).toFixed(3)}`);
