"""Convert an official StyleGAN-XL network pickle to the files src/models/stylegan-xl/ loads.

Run with a checkout of autonomousvision/stylegan_xl (its code unpickles the network; it is not part of this
repository) and the packages in scripts/fixtures/stylegan-xl/requirements.txt:
    .tools/vision-venv/bin/python scripts/convert_stylegan_xl.py --official <stylegan_xl checkout> \
        imagenet256.pkl imagenet256
Writes imagenet256.safetensors (float32 tensors under the official state_dict names of G_ema) and imagenet256.json
(the architecture record, format pam-pipeline-stylegan-xl/1: mapping sizes, SynthesisInput and every synthesis
layer's attributes as the loaded modules hold them), and prints the sha256 of the weights.

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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--official", required=True, help="checkout of autonomousvision/stylegan_xl")
    parser.add_argument("pkl", help="network pickle (G_ema is converted)")
    parser.add_argument("out_prefix", help="writes <out_prefix>.safetensors and <out_prefix>.json")
    args = parser.parse_args()
    pkl = os.path.abspath(args.pkl)
    out_prefix = os.path.abspath(args.out_prefix)
    G = load_generator(args.official, pkl)
    digest = convert(G, out_prefix)
    print(f"{out_prefix}.safetensors sha256 {digest}")


if __name__ == "__main__":
    main()
