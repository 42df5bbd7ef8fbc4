"""Official side of `bench/stylegan-xl.ts`: build an official StyleGAN-XL generator on the CPU with seeded random
weights, write it as our loader's files, and time its synthesis network.

Usage (called by bench/stylegan-xl.ts; packages: scripts/fixtures/stylegan-xl/requirements.txt):
    python bench/stylegan_xl_torch.py <stylegan_xl checkout> <config.json> <out prefix>
config: {size: "small" | "imagenet", heads (imagenet: super-resolution stages after the 16 px stem), batch,
iterations, warmup (bool), chain (bool), seed}. Builds the network as scripts/fixtures/stylegan-xl/make_stylegan_xl.py `build` does (stem →
pickle → SuperresGenerator stages), "small" being that script's `affine` configuration, "imagenet" the published
ImageNet settings (train.py for stylegan3-t with StyleGAN-XL's doubled channels: channel base 65536, max 1024, a
16 px stem of 10 layers, 7-layer heads, w 512, z 64, 1000 classes with the class embedding the official
MappingNetwork loads). Converts it with scripts/convert_stylegan_xl.py `convert` to <out prefix>.safetensors/.json.

Times G.synthesis (on the CPU the official ops take their reference paths, impl='ref') for one w per image,
noise_mode='const', two ways:
- `chain` (when config `chain`): the whole network, one w broadcast to num_ws: `forward` under no_grad, and
  `forward_backward`, the gradient of sum(images * R) (R fixed, random) to w;
- `layers`: each layer alone (the Fourier-feature input, then every SynthesisLayer on a random input of its shape):
  forward under no_grad, and forward + backward of the upstream gradient R to the layer's input and w. Their sum is
  the chain's arithmetic, while memory only has to hold one layer's activations: the reference path's full chain
  at 256 px needs more than this machine's 23 GiB (its 4x-upsampled 1024 px grids of 512 channels, 2.5 GB each).
With config `warmup`, one untimed forward+backward precedes the timed calls of each layer (and of the chain); each
call is timed `iterations` times, in wall and in CPU seconds (the CPU time counts the work on a loaded machine).
Prints one JSON line: the seconds of every call, threads, torch version, peak RSS.
"""
import json
import os
import resource
import sys
import tempfile
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "scripts", "fixtures", "stylegan-xl"))
sys.path.insert(0, os.path.join(HERE, "..", "scripts"))
import convert_stylegan_xl  # noqa: E402
import make_stylegan_xl  # noqa: E402

IMAGENET_STEM = dict(z_dim=64, c_dim=1000, w_dim=512, img_resolution=16, img_channels=3,
                     mapping_kwargs=dict(num_layers=2), channel_base=65536, channel_max=1024, num_layers=10,
                     conv_kernel=3, use_radial_filters=False, conv_clamp=256)
IMAGENET_HEAD = dict(head_layers=7, up_factor=2)


def network_config(config):
    if config["size"] == "small":
        return next(c for c in make_stylegan_xl.CONFIGS if c["name"] == "affine")
    return dict(stem=IMAGENET_STEM, superres=[IMAGENET_HEAD] * config["heads"], embedding=None)


def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def timed(fn, iterations):
    """[wall seconds], [CPU seconds of this process] of each call: the CPU time counts the work, whatever else runs."""
    wall, cpu = [], []
    for _ in range(iterations):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def main():
    official, config_path, out_prefix = sys.argv[1:4]
    config = json.load(open(config_path))
    official = os.path.abspath(official)
    out_prefix = os.path.abspath(out_prefix)
    sys.path.insert(0, official)
    # MappingNetwork opens its class embedding by a path relative to the checkout.
    os.chdir(official)
    torch.manual_seed(config["seed"])
    with tempfile.TemporaryDirectory() as workdir:
        G = make_stylegan_xl.build(network_config(config), workdir)
    G = G.eval().requires_grad_(False)
    convert_stylegan_xl.convert(G, out_prefix)
    build_rss = peak_rss_bytes()

    n, synthesis = config["batch"], G.synthesis
    w0 = torch.randn(n, G.w_dim)
    result = {"layers": layer_times(synthesis, w0, config)}
    if config["chain"]:
        result["chain"] = chain_times(G, w0, config)
    result.update(num_ws=G.num_ws, resolution=G.img_resolution, threads=torch.get_num_threads(), torch=torch.__version__,
                  build_peak_rss_bytes=build_rss, peak_rss_bytes=peak_rss_bytes())
    print(json.dumps(result))


def timings(forward, forward_backward, config):
    """Every timed call of each kind, after one untimed forward+backward (which also runs the forward) when warming up."""
    if config["warmup"]:
        forward_backward()
    out = {}
    for key, fn in (("forward", forward), ("forward_backward", forward_backward)):
        out[f"{key}_s"], out[f"{key}_cpu_s"] = timed(fn, config["iterations"])
    return out


def chain_times(G, w0, config):
    synthesis = G.synthesis
    R = torch.randn(w0.shape[0], G.img_channels, G.img_resolution, G.img_resolution)

    def forward():
        with torch.no_grad():
            synthesis(w0.unsqueeze(1).repeat([1, G.num_ws, 1]), noise_mode="const")

    def forward_backward():
        w = w0.clone().requires_grad_(True)
        images = synthesis(w.unsqueeze(1).repeat([1, G.num_ws, 1]), noise_mode="const")
        (images * R).sum().backward()

    return timings(forward, forward_backward, config)


def layer_times(synthesis, w0, config):
    n = w0.shape[0]
    source = synthesis.input
    size = int(source.size[0])
    rows = [dict(name="input", **timings(*input_calls(source, w0, torch.randn(n, source.channels, size, size)), config))]
    for name in synthesis.layer_names:
        layer = getattr(synthesis, name)
        x = torch.randn(n, layer.in_channels, int(layer.in_size[0]), int(layer.in_size[0]))
        R = torch.randn(n, layer.out_channels, int(layer.out_size[0]), int(layer.out_size[0]))
        rows.append(dict(name=name, **timings(*layer_calls(layer, x, w0, R), config)))
    return rows


def input_calls(source, w0, R):
    def forward():
        with torch.no_grad():
            source(w0)

    def forward_backward():
        w = w0.clone().requires_grad_(True)
        source(w).backward(R)

    return forward, forward_backward


def layer_calls(layer, x0, w0, R):
    def forward():
        with torch.no_grad():
            layer(x0, w0, noise_mode="const")

    def forward_backward():
        x, w = x0.clone().requires_grad_(True), w0.clone().requires_grad_(True)
        layer(x, w, noise_mode="const").backward(R)

    return forward, forward_backward


if __name__ == "__main__":
    main()
