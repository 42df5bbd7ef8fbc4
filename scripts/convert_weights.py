"""Convert real model weights to the layouts pam-pipeline loads (safetensors, or ONNX for inference-only use).

Environment (torch + torchvision + lpips + safetensors + onnx; about 5.5 GB, CPU is enough):
    python3 -m venv .tools/vision-venv
    .tools/vision-venv/bin/pip install torch==2.14.1 torchvision==0.29.1 lpips safetensors onnx

Commands (each prints the sha256 to put next to `weights:` in the pipeline YAML):
    # ImageNet VGG16 features (torchvision IMAGENET1K_V1 = vgg16-397923af.pth) -> `featureNet: {kind: vgg16, widths:
    # [64,128,256,512,512], weights: vgg16.safetensors, sha256: ...}`. Tensors: features.<i>.weight [out,in,3,3], .bias.
    convert_weights.py vgg16 --pth vgg16-397923af.pth --out vgg16.safetensors
    # The lpips 0.1.4 package's own VGG linear weights (bundled in the wheel, lpips/weights/v0.1/vgg.pth) ->
    # `lpipsWeights: {weights: lpips-vgg.safetensors}`. Tensors: lin<l>.model.1.weight [1,C_l,1,1], all >= 0.
    convert_weights.py lpips-lin --out lpips-vgg.safetensors
    # VGG16 features (a safetensors file above) -> ONNX with outputs relu1_2..relu5_3, pool1..pool5 for fast evaluation:
    # `featureNet: {kind: vgg16-onnx, weights: vgg16.onnx}`.
    convert_weights.py vgg16-onnx --weights vgg16.safetensors --out vgg16.onnx [--widths 64 128 256 512 512]

For StyleGAN-XL (e.g. imagenet512.pkl; see docs/datasets.md §E), scripts/convert_stylegan_xl.py converts an
official network pickle for the tfjs port (`generator: {kind: stylegan-xl, ...}`: renders, evaluates and inverts)
and, with `--onnx`, also exports its synthesis network for `generator: {kind: onnx, ...}` (inference only: faster
evaluation, no inversion); docs/stylegan-xl.md §4.
A generator in our built-in architecture trained elsewhere loads from safetensors with the names documented in
src/images/generators/builtin-generator.ts (`fc.*`, `convs.<i>.*`, `to_rgb.*`: a PyTorch state_dict of
scripts/fixtures/images/reference_nets.py:BuiltinGenerator saved with safetensors.torch.save_file).
"""
import argparse
import hashlib
import os
import sys

import torch
from safetensors.torch import load_file, save_file

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "fixtures", "images"))


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def convert_vgg16(pth, out):
    state = torch.load(pth, map_location="cpu", weights_only=True)
    features = {k: v.float().contiguous() for k, v in state.items() if k.startswith("features.")}
    if len(features) != 26:
        raise SystemExit(f"{pth}: expected 26 features.* tensors (13 convs), found {len(features)}")
    save_file(features, out, {"source": os.path.basename(pth)})


def convert_lpips_lin(out):
    import lpips

    path = os.path.join(os.path.dirname(lpips.__file__), "weights", "v0.1", "vgg.pth")
    state = torch.load(path, map_location="cpu", weights_only=True)
    save_file({k: v.float().contiguous() for k, v in state.items()}, out, {"source": "lpips 0.1.4 weights/v0.1/vgg.pth"})


def export_vgg16_onnx(weights, out, widths):
    from make_onnx import VggTaps, TAPS
    from reference_nets import vgg16_features

    features = vgg16_features(widths)
    features.load_state_dict({k.removeprefix("features."): v for k, v in load_file(weights).items()})
    dynamic = {"images": {0: "n", 2: "h", 3: "w"}, **{t: {0: "n", 2: f"h_{t}", 3: f"w_{t}"} for t in TAPS}}
    torch.onnx.export(VggTaps(features.eval()), (torch.zeros(1, 3, 224, 224),), out, input_names=["images"],
                      output_names=TAPS, dynamic_axes=dynamic, opset_version=17, dynamo=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    vgg = sub.add_parser("vgg16")
    vgg.add_argument("--pth", required=True)
    vgg.add_argument("--out", required=True)
    lin = sub.add_parser("lpips-lin")
    lin.add_argument("--out", required=True)
    onnx = sub.add_parser("vgg16-onnx")
    onnx.add_argument("--weights", required=True)
    onnx.add_argument("--out", required=True)
    onnx.add_argument("--widths", type=int, nargs=5, default=[64, 128, 256, 512, 512])
    args = parser.parse_args()
    if args.command == "vgg16":
        convert_vgg16(args.pth, args.out)
    elif args.command == "lpips-lin":
        convert_lpips_lin(args.out)
    else:
        export_vgg16_onnx(args.weights, args.out, args.widths)
    print(f"{args.out} sha256 {sha256(args.out)}")


if __name__ == "__main__":
    main()
