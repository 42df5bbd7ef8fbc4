"""Python reference side of bench/fmri.ts: hyperalignment + voxel selection at GOD scale on the bench's data.

Usage (run by bench/fmri.ts):  python bench/fmri_reference.py <data-dir>
Reads <data-dir>/meta.json and the float32 blocks the bench wrote, runs the numpy/scipy/sklearn/statsmodels
reference pipeline of scripts/fixtures/fmri/fmri_reference.py per area — hyperalignment, then the nested voxel
selection our select-voxels stage runs: sklearn RidgeCV(alphas=grid) (efficient LOO, one alpha per area) fitted inside
each KFold training fold and predicting the held-out fold — writes <data-dir>/reference-r-<area>.f64 (the per-voxel
out-of-fold r) and prints one JSON line: {"seconds": ..., "peakRssMb": ..., "selected": {...}}.
Data loading is not timed; the timed part is exactly what bench/fmri.ts times on our side.
"""
import json
import pathlib
import resource
import sys
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "scripts" / "fixtures" / "fmri"))
from fmri_reference import align_area, select_voxels  # noqa: E402

data = pathlib.Path(sys.argv[1])
meta = json.loads((data / "meta.json").read_text())


def block(name, rows, cols):
    return np.fromfile(data / f"{name}.f32", dtype=np.float32).reshape(rows, cols).astype(np.float64)


latents = block("latents-train", meta["trainImages"], meta["latentDim"])
inputs = {}
for area in meta["areas"]:
    inputs[area] = (
        [block(f"{s}-{area}-train", meta["trainImages"], meta["voxels"][s][area]) for s in meta["subjects"]],
        [block(f"{s}-{area}-test", meta["testImages"], meta["voxels"][s][area]) for s in meta["subjects"]],
    )

selected = {}
start = time.perf_counter()
aligned = {area: align_area(*inputs[area], ddof=1)[1] for area in meta["areas"]}
align_seconds = time.perf_counter() - start
for area in meta["areas"]:
    train = aligned[area]
    res = select_voxels(latents, train, meta["lambdaCount"], meta["folds"], meta["foldSeed"], alternative="greater")
    selected[area] = int(res["selected"].sum())
    res["r"].tofile(data / f"reference-r-{area}.f64")
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "alignSeconds": align_seconds, "peakRssMb": peak, "selected": selected}))
