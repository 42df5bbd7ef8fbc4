/**
 * StyleGAN-XL synthesis speed and memory: our tfjs port (src/models/stylegan-xl/) against the official PyTorch code
 * on the CPU (reference ops, impl='ref'), the same network and weights, one side after the other.
 *
 *   npm run bench -- stylegan-xl --official <stylegan_xl checkout> [--sizes small,256,512] [--iterations N]
 *   (or: node --import tsx bench/stylegan-xl.ts …; PAM_STYLEGAN_XL_CODE may name the checkout instead)
 * The official code is not part of this repository and the bench downloads nothing: it needs a checkout of
 * autonomousvision/stylegan_xl and the packages in scripts/fixtures/stylegan-xl/requirements.txt in
 * $PAM_TORCH_PYTHON (default .tools/vision-venv/bin/python).
 *
 * Sizes: `small` = make_stylegan_xl.py's `affine` fixture network (64 px); `256` / `512` = the published ImageNet
 * channel counts (bench/stylegan-xl/imagenet.ts) with 4 / 5 super-resolution heads. For each, bench/stylegan_xl_torch.py
 * builds the official network with seeded random weights, writes it through scripts/convert_stylegan_xl.py and times
 * it; then bench/stylegan-xl/ours.ts loads those files and times ours. Both time, at batch 1, every layer alone
 * (forward, and forward + backward to its input and w: summed, the arithmetic of the whole network's forward+backward
 * to w, in one layer's memory; the whole chain at 256 px does not fit the reference path into 23 GiB) and, at the
 * small size, the whole chain too (one w broadcast to num_ws), which checks that the layer sums match it. One untimed
 * forward+backward warms each layer up (not at 512 px: cold calls there); reported is the minimum over the timed calls,
 * in wall and in CPU seconds.
 * `--per-layer` prints every layer's times.
 * The last line is `ratio: <our forward+backward per s at 256 px ÷ the official PyTorch CPU one's>` (layer sums).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readStyleGanXlArchitecture } from '../src/models/stylegan-xl/load-stylegan-xl.js';
import { imagenetArchitecture } from './stylegan-xl/imagenet.js';
import { synthesisMacs } from './stylegan-xl/macs.js';
import type { OursResult, SideResult, Timings } from './stylegan-xl/ours.js';

interface OfficialResult extends SideResult {
  num_ws: number;
  resolution: number;
  threads: number;
  torch: string;
  build_peak_rss_bytes: number;
}

const SIZES: Record<
  string,
  { label: string; network: { size: string; heads: number }; iterations: number; warmup: boolean; chain: boolean }
> = {
  small: { label: 'affine fixture network', network: { size: 'small', heads: 0 }, iterations: 5, warmup: true, chain: true },
  '256': { label: 'ImageNet channels, 4 heads', network: { size: 'imagenet', heads: 4 }, iterations: 1, warmup: true, chain: false },
  '512': { label: 'ImageNet channels, 5 heads', network: { size: 'imagenet', heads: 5 }, iterations: 1, warmup: false, chain: false },
};
const BATCH = 1;
const PYTHON = process.env['PAM_TORCH_PYTHON'] ?? fileURLToPath(new URL('../.tools/vision-venv/bin/python', import.meta.url));

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function officialCheckout(): string {
  const path = argument('--official') ?? process.env['PAM_STYLEGAN_XL_CODE'];
  if (!path || !existsSync(join(path, 'training', 'networks_stylegan3_resetting.py'))) {
    console.error(
      `${path ? `${path} is not a checkout of autonomousvision/stylegan_xl (no training/networks_stylegan3_resetting.py)` : 'no official code given'}.\n` +
        'This bench times the official StyleGAN-XL code, which is not part of this repository and is not downloaded here.\n' +
        'Get a checkout (git clone https://github.com/autonomousvision/stylegan_xl) and pass --official <checkout> ' +
        'or set PAM_STYLEGAN_XL_CODE.',
    );
    process.exit(2);
  }
  return path;
}

function lastJsonLine<T>(command: string, args: string[]): T {
  const stdout = execFileSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
const best = (samples: number[]) => Math.min(...samples);
const gigaMacs = (macs: number) => `${(macs / 1e9).toPrecision(4)} GMAC`;

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Seconds per image of the layer sums, in wall and CPU time. */
function layerSums(side: SideResult) {
  const total = (pick: (l: Timings) => number[]) => sum(side.layers.map((l) => best(pick(l)))) / BATCH;
  return {
    forward: total((l) => l.forward_s),
    forwardBackward: total((l) => l.forward_backward_s),
    forwardCpu: total((l) => l.forward_cpu_s),
    forwardBackwardCpu: total((l) => l.forward_backward_cpu_s),
  };
}

function timesLine(side: SideResult, macs: number): string {
  const t = layerSums(side);
  // A backward pass costs about two forwards (macs.ts), so forward+backward ≈ 3 × the forward MACs.
  const rate = (3 * macs) / t.forwardBackward / 1e9;
  const chain = side.chain
    ? `; whole chain: forward ${(best(side.chain.forward_s) / BATCH).toFixed(3)} s, forward+backward ${(best(side.chain.forward_backward_s) / BATCH).toFixed(3)} s`
    : '';
  return (
    `layer sums: forward ${t.forward.toFixed(3)} s (CPU ${t.forwardCpu.toFixed(3)} s), forward+backward ${t.forwardBackward.toFixed(3)} s ` +
    `(CPU ${t.forwardBackwardCpu.toFixed(3)} s) per image (≈ ${rate.toFixed(1)} GMAC/s)${chain}; peak RSS ${gib(side.peak_rss_bytes)}`
  );
}

function perLayerLines(theirs: SideResult, ours: SideResult): string[] {
  return theirs.layers.map((layer, i) => {
    const mine = ours.layers[i]!;
    const pair = (a: number[], b: number[]) => `${best(b).toFixed(3)} / ${best(a).toFixed(3)} s`;
    return `    ${layer.name}: forward ${pair(layer.forward_s, mine.forward_s)}, forward+backward ${pair(layer.forward_backward_s, mine.forward_backward_s)} (ours / official)`;
  });
}

const official = officialCheckout();
const sizes = (argument('--sizes') ?? 'small,256').split(',');
for (const size of sizes) if (!SIZES[size]) throw new Error(`--sizes: unknown size "${size}" (known: ${Object.keys(SIZES).join(', ')})`);
const iterationsOverride = argument('--iterations');
const fwdBwd: Record<string, { ours: ReturnType<typeof layerSums>; official: ReturnType<typeof layerSums> }> = {};
for (const size of sizes) {
  const { label, network, iterations: defaultIterations, chain } = SIZES[size]!;
  const warmup = SIZES[size]!.warmup && !process.argv.includes('--cold');
  const iterations = Number(iterationsOverride ?? defaultIterations);
  const dir = mkdtempSync(join(tmpdir(), 'pam-bench-stylegan-xl-'));
  try {
    const prefix = join(dir, 'network');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...network, batch: BATCH, iterations, warmup, chain, seed: 2026 }));
    const script = fileURLToPath(new URL('./stylegan_xl_torch.py', import.meta.url));
    const theirs = lastJsonLine<OfficialResult>(PYTHON, [script, official, join(dir, 'config.json'), prefix]);
    const architecture = readStyleGanXlArchitecture(`${prefix}.json`);
    const macs = synthesisMacs(architecture);
    const forwardMacs = macs.conv + macs.firReference;
    console.log(
      `${theirs.resolution} px (${label}, ${theirs.num_ws} ws, ${architecture.layers.length} layers), batch ${BATCH}, ` +
        `${warmup ? `each call warmed up, min of ${iterations}` : `cold, ${iterations} call(s)`}; synthesis forward ${gigaMacs(forwardMacs)} ` +
        `(conv ${gigaMacs(macs.conv)}, FIR ${gigaMacs(macs.firReference)} as the reference op runs it, ${gigaMacs(macs.firUseful)} useful)`,
    );
    console.log(
      `  official PyTorch ${theirs.torch} CPU, ${theirs.threads} threads: ${timesLine(theirs, forwardMacs)} (after build ${gib(theirs.build_peak_rss_bytes)})`,
    );
    const oursScript = fileURLToPath(new URL('./stylegan-xl/ours.ts', import.meta.url));
    const ours = lastJsonLine<OursResult>(process.execPath, [...process.execArgv, oursScript, prefix, join(dir, 'config.json')]);
    const tfPeak = ours.tf_peak_bytes === null ? '' : `, peak ${gib(ours.tf_peak_bytes)}`;
    console.log(`  ours, tfjs ${ours.backend}: ${timesLine(ours, forwardMacs)}; tf.memory weights ${gib(ours.tf_weights_bytes)}${tfPeak}`);
    if (process.argv.includes('--per-layer')) for (const line of perLayerLines(theirs, ours)) console.log(line);
    fwdBwd[size] = { ours: layerSums(ours), official: layerSums(theirs) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const at512 = synthesisMacs(imagenetArchitecture(5));
console.log(
  `512 px ImageNet network (derived, not built): synthesis forward ${gigaMacs(at512.conv + at512.firReference)} ` +
    `(conv ${gigaMacs(at512.conv)}, FIR ${gigaMacs(at512.firReference)} reference / ${gigaMacs(at512.firUseful)} useful) per image`,
);
const at256 = fwdBwd['256'];
if (at256) {
  // On a loaded machine the wall times carry the other jobs' share of the cores; the CPU times count only the work.
  console.log(`CPU-time ratio at 256 px: ${(at256.official.forwardBackwardCpu / at256.ours.forwardBackwardCpu).toFixed(3)}`);
  console.log(`ratio: ${(at256.official.forwardBackward / at256.ours.forwardBackward).toFixed(3)}`);
} else console.log('ratio: n/a (256 px not run; --sizes must include 256)');
