"""PyTorch side of `npm run bench -- pam` (bench/pam.ts runs it as a subprocess after its own timing).

Setup (documented for the ratio): torch from PyPI (2.13 CPU wheel: MKL BLAS + oneDNN, AVX-512 here) in
.tools/venv-ref, torch.set_num_threads(2) (both cores), float32, the same PAM as src/models
(scripts/fixtures/pam/torch_pam.py), Adam defaults, MSE, batch 32, shuffled. Data are seeded random normals of
the benchmark's shape (speed does not depend on the values).

Usage: python bench/pam_torch.py '<json config>' -> prints one JSON line {"itemsPerSecond": <items / fastest timed epoch>, "epochSeconds": [...]}.
"""
import json
import pathlib
import sys
import time

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "scripts" / "fixtures" / "pam"))
from torch_pam import Pam, xavier  # noqa: E402


def main():
    config = json.loads(sys.argv[1])
    torch.set_num_threads(config["threads"])
    torch.manual_seed(config["seed"])
    items, latent = config["items"], config["latentDim"]
    blocks = [torch.randn(items, units) for units in config["areaUnits"]]
    target = torch.randn(items, latent)
    model = Pam(config["areaUnits"], config["width"], latent, config["embeddingBlocks"])
    xavier(model)
    model.train()
    optimizer = torch.optim.Adam(model.parameters())
    loss_fn = torch.nn.MSELoss()
    batch = config["batchSize"]
    epoch_seconds = []
    for _ in range(config["warmupEpochs"] + config["timedEpochs"]):
        start = time.perf_counter()
        order = torch.randperm(items)
        for first in range(0, items, batch):
            rows = order[first:first + batch]
            if len(rows) < 2:
                continue
            optimizer.zero_grad()
            loss = loss_fn(model([b[rows] for b in blocks])[0], target[rows])
            loss.backward()
            optimizer.step()
        epoch_seconds.append(time.perf_counter() - start)
    timed = epoch_seconds[config["warmupEpochs"]:]
    print(json.dumps({"itemsPerSecond": items / min(timed), "epochSeconds": epoch_seconds, "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
