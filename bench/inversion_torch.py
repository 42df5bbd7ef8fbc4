"""PyTorch side of `bench/inversion.ts`: projector steps/s of the same nets on the CPU.

Usage (called by bench/inversion.ts; needs torch, torchvision, lpips, safetensors, e.g. the venv described in
scripts/convert_weights.py):
    python bench/inversion_torch.py <generator.safetensors> <vgg.safetensors> <config.json>
config: {resolution, latentDim, channels, widths, seeds, warmup, steps, threads (0 = torch default)}.
The step is the one tested against our code (scripts/fixtures/images/make_projector_step.py): latent noise →
generator → lpips.LPIPS(vgg stand-in, lpips=False) summed over the seeds → backward → Adam. Prints one JSON line.
"""
import json
import os
import sys
import time

import torch
from safetensors.torch import load_file

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "scripts", "fixtures", "images"))
from reference_nets import BuiltinGenerator, guard_lpips_normalisation, lpips_model, vgg16_features  # noqa: E402


def main():
    generator_path, vgg_path, config_path = sys.argv[1:4]
    config = json.load(open(config_path))
    if config["threads"] > 0:
        torch.set_num_threads(config["threads"])
    guard_lpips_normalisation()
    generator = BuiltinGenerator(config["latentDim"], config["channels"])
    generator.load_state_dict(load_file(generator_path))
    features = vgg16_features(config["widths"])
    features.load_state_dict({k.removeprefix("features."): v for k, v in load_file(vgg_path).items()})
    loss_fn = lpips_model(features, None)
    for p in generator.parameters():
        p.requires_grad_(False)
    torch.manual_seed(0)
    seeds, dim = config["seeds"], config["latentDim"]
    with torch.no_grad():
        target = generator(torch.randn(1, dim))
    w = torch.randn(seeds, dim).requires_grad_(True)
    optimizer = torch.optim.Adam([w], betas=(0.9, 0.999), lr=0.05)

    def step():
        synth = generator(w + 0.1 * torch.randn_like(w))
        loss = loss_fn(target.expand(seeds, -1, -1, -1), synth).sum()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    for _ in range(config["warmup"]):
        step()
    start = time.perf_counter()
    for _ in range(config["steps"]):
        step()
    elapsed = time.perf_counter() - start
    print(json.dumps({"steps_per_s": config["steps"] / elapsed, "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
