"""Convert an official StyleGAN-XL network pickle to the files src/models/stylegan-xl/ loads.

Run with a checkout of autonomousvision/stylegan_xl (its code unpickles the network; it is not part of this
repository) and the packages in scripts/fixtures/stylegan-xl/requirements.txt:
    .tools/vision-venv/bin/python scripts/convert_stylegan_xl.py --official <stylegan_xl checkout> \
        imagenet256.pkl imagenet256
Writes imagenet256.safetensors (float32 tensors under the official state_dict names of G_ema) and imagenet256.json
(the architecture record, format pam-pipeline-stylegan-xl/1: mapping sizes, SynthesisInput and every synthesis
layer's attributes as the loaded modules hold them), and prints the sha256 of the weights.
With `--onnx`, also imagenet256.onnx: the synthesis network, one w per image, for the inference-only `onnx`
generator kind (`export_onnx`; docs/stylegan-xl.md §4).

What is dropped: `mapping.embed.weight` when c_dim = 0 (the official MappingNetwork always loads the ImageNet class
embedding, but only conditional networks use it). Everything else of G_ema's state_dict is kept, including the
up/down FIR filters (buffers): the loader redesigns them from the record and refuses a file whose filters differ.
"""
import argparse
import hashlib
import json
import os
import sys

ARCHITECTURE_FORMAT = "pam-pipeline-stylegan-xl/1"


def square(size, what):
    width, height = (int(v) for v in size)
    if width != height:
        raise ValueError(f"{what}: only square feature maps are supported, got {width}x{height}")
    return width


def layer_record(name, layer):
    if layer.down_radial:
        raise ValueError(f"{name}: radially symmetric filters (stylegan3-r) are not supported")
    return {
        "name": name,
        "isTorgb": bool(layer.is_torgb),
        "isCriticallySampled": bool(layer.is_critically_sampled),
        "inChannels": int(layer.in_channels),
        "outChannels": int(layer.out_channels),
        "inSize": square(layer.in_size, name),
        "outSize": square(layer.out_size, name),
        "inSamplingRate": float(layer.in_sampling_rate),
        "outSamplingRate": float(layer.out_sampling_rate),
        "inCutoff": float(layer.in_cutoff),
        "outCutoff": float(layer.out_cutoff),
        "inHalfWidth": float(layer.in_half_width),
        "outHalfWidth": float(layer.out_half_width),
        "convKernel": int(layer.conv_kernel),
        "filterSize": int(layer.filter_size),
        "lreluUpsampling": int(layer.lrelu_upsampling),
        "convClamp": None if layer.conv_clamp is None else float(layer.conv_clamp),
    }


def architecture_of(G):
    """The architecture record of a loaded generator (Generator or SuperresGenerator of networks_stylegan3_resetting)."""
    mapping, synthesis = G.mapping, G.synthesis
    embedding = None
    if mapping.c_dim > 0:
        embedding = {"classes": int(mapping.embed.num_embeddings), "dim": int(mapping.embed.embedding_dim)}
    layers = [layer_record(name, getattr(synthesis, name)) for name in synthesis.layer_names]
    if mapping.num_ws != len(layers) + 1:
        raise ValueError(f"mapping.num_ws {mapping.num_ws} != {len(layers) + 1} synthesis layers + input")
    source = synthesis.input
    return {
        "format": ARCHITECTURE_FORMAT,
        "zDim": int(mapping.z_dim),
        "cDim": int(mapping.c_dim),
        "wDim": int(mapping.w_dim),
        "imgResolution": int(synthesis.img_resolution),
        "imgChannels": int(synthesis.img_channels),
        "mapping": {
            "numLayers": int(mapping.num_layers),
            "lrMultiplier": float(mapping.fc0.bias_gain),
            "embedding": embedding,
        },
        "input": {
            "channels": int(source.channels),
            "size": square(source.size, "synthesis.input"),
            "samplingRate": float(source.sampling_rate),
            "bandwidth": float(source.bandwidth),
        },
        "layers": layers,
        "outputScale": float(synthesis.output_scale),
    }


def tensors_of(G):
    """G's state_dict as contiguous float32 tensors, without the class embedding of an unconditional network."""
    state = G.state_dict()
    if G.mapping.c_dim == 0:
        state = {k: v for k, v in state.items() if not k.startswith("mapping.embed.")}
    return {k: v.detach().to("cpu").float().contiguous() for k, v in state.items()}


def load_generator(official, pkl_path):
    """G_ema of a network pickle, unpickled by the official code (legacy.load_network_pkl)."""
    sys.path.insert(0, os.path.abspath(official))
    import legacy  # noqa: E402  (the official checkout's module)

    with open(pkl_path, "rb") as f:
        return legacy.load_network_pkl(f)["G_ema"].eval().requires_grad_(False)


def convert(G, out_prefix):
    from safetensors.torch import save_file

    architecture = architecture_of(G)
    save_file(tensors_of(G), f"{out_prefix}.safetensors")
    with open(f"{out_prefix}.json", "w") as f:
        json.dump(architecture, f, indent=1)
        f.write("\n")
    with open(f"{out_prefix}.safetensors", "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def modulated_conv2d_unfused(x, w, s, demodulate=True, padding=0, input_gain=None):
    """The arithmetic of the official `modulated_conv2d`, without its per-image grouped convolution.

    The official function folds each image's styles into its own kernel and runs one convolution with
    groups=batch_size; traced for ONNX, that bakes the example's batch size into the graph, and the exporter cannot
    give the reshaped kernel a shape ("convolution for kernel of unknown shape"). Here, as in StyleGAN2's unfused
    path (and src/models/stylegan-xl/synthesis-layer.ts): inputs times styles and input gain, one convolution with
    the shared kernel, outputs times the demodulation coefficients. The same sums, in another order.
    """
    import torch

    batch_size, in_channels = s.shape
    if demodulate:
        w = w * w.square().mean([1, 2, 3], keepdim=True).rsqrt()
        s = s * s.square().mean().rsqrt()
    scale = s if input_gain is None else s * input_gain.expand(batch_size, in_channels)
    x = torch.nn.functional.conv2d(x * scale.unsqueeze(2).unsqueeze(3), w.to(x.dtype), padding=padding)
    if demodulate:
        # dcoefs[n, o] = (sum_{i,k} (w[o, i, k] s[n, i])^2 + 1e-8)^-1/2, the official formula (input gain comes after it).
        dcoefs = (s.square() @ w.square().sum(dim=[2, 3]).t() + 1e-8).rsqrt()
        x = x * dcoefs.unsqueeze(2).unsqueeze(3)
    return x


def export_onnx(G, path):
    """G's synthesis network as ONNX: input `latents` [N, w_dim] (one w per image, broadcast to all num_ws, as the
    `onnx` generator plug-in feeds it), output `images` [N, 3, H, W], unclamped, as G.synthesis returns them.

    Traced on the CPU, where the official ops take their reference paths (`impl='ref'`), with `modulated_conv2d`
    replaced by its unfused equivalent for the export only (the batch size stays dynamic). Opset 20 for
    SynthesisInput's `affine_grid` (ONNX AffineGrid).
    """
    import torch
    from training import networks_stylegan3_resetting as networks

    class OneWSynthesis(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.synthesis = G.synthesis

        def forward(self, w):
            return self.synthesis(w.unsqueeze(1).repeat(1, G.num_ws, 1), noise_mode="const")

    official = networks.modulated_conv2d
    networks.modulated_conv2d = modulated_conv2d_unfused
    try:
        torch.onnx.export(OneWSynthesis().eval(), (torch.zeros(2, G.w_dim),), path, input_names=["latents"],
                          output_names=["images"], dynamic_shapes={"w": {0: torch.export.Dim("n")}},
                          opset_version=20, dynamo=True, external_data=False)
    finally:
        networks.modulated_conv2d = official
    # The exporter annotates every node with the Python stack that made it (file paths of this machine, line
    # numbers): drop them, so that the file depends on the network only.
    import onnx

    model = onnx.load(path)
    for graph_nodes in [model.graph.node, *(f.node for f in model.functions)]:
        for node in graph_nodes:
            del node.metadata_props[:]
    onnx.save(model, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--official", required=True, help="checkout of autonomousvision/stylegan_xl")
    parser.add_argument("--onnx", action="store_true", help="also write <out_prefix>.onnx (synthesis, inference only)")
    parser.add_argument("pkl", help="network pickle (G_ema is converted)")
    parser.add_argument("out_prefix", help="writes <out_prefix>.safetensors and <out_prefix>.json")
    args = parser.parse_args()
    pkl = os.path.abspath(args.pkl)
    out_prefix = os.path.abspath(args.out_prefix)
    G = load_generator(args.official, pkl)
    digest = convert(G, out_prefix)
    print(f"{out_prefix}.safetensors sha256 {digest}")
    if args.onnx:
        export_onnx(G, f"{out_prefix}.onnx")
        with open(f"{out_prefix}.onnx", "rb") as f:
            print(f"{out_prefix}.onnx sha256 {hashlib.sha256(f.read()).hexdigest()}")


if __name__ == "__main__":
    main()
