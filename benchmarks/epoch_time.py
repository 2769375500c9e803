"""Seconds per training epoch of a recipe on EmoDB's real utterance lengths, with and without length-bucketed batches.

Run: .venv/bin/python benchmarks/epoch_time.py [--families crnn,bigru] [--epochs 3] [--emodb ../shared/data/emodb]
Each configuration is one `run_experiment` (leave-one-speaker-out, per-speaker normalisation, the family's recipe with
`epochs` epochs and no early stop; folds side by side, one torch thread each), so its epochs train on the real mix of
lengths that padding wastes time on. Prints the median seconds per epoch over every fold's epochs (validation
included) and the padded frames per real frame of the training batches. Run it on an idle machine: the figures are
wall times.
"""
import argparse, json, os, tempfile, time
from pathlib import Path
os.environ.setdefault("HF_HUB_OFFLINE", "1")
import numpy as np

def padding(lengths, batch_size, bucket, epochs=20):
    "Padded frames per real frame of an epoch's training batches (mean over `epochs` draws)."
    import torch
    from ser_nb.train import _Buckets
    L, out = np.asarray(lengths), []
    for ep in range(epochs):
        g = torch.Generator().manual_seed(ep)
        if bucket: batches = list(_Buckets(L, batch_size, g))
        else:
            perm = torch.randperm(len(L), generator=g).numpy()
            batches = [perm[k:k+batch_size] for k in range(0, len(L), batch_size)]
        out.append(sum(len(b)*L[b].max() - L[b].sum() for b in map(np.asarray, batches))/L.sum())
    return float(np.mean(out))

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--emodb", default="../shared/data/emodb"); ap.add_argument("--families", default="crnn,bigru")
    ap.add_argument("--epochs", type=int, default=3)
    a = ap.parse_args()
    from ser_nb.corpora import scan_corpus
    from ser_nb.experiment import run_experiment
    from ser_nb.train import recipe
    man = scan_corpus("emodb", a.emodb, progress=False).manifest
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for fam in a.families.split(","):
            r = recipe(fam)
            for bucket in (False, True):
                out = Path(d)/f"{fam}-{bucket}"
                t = time.perf_counter()
                run_experiment(man, labels="original", protocol="loso", features=r["features"], model=fam, norm="speaker", progress=False,
                               model_params={**r["params"], "epochs": a.epochs, "patience": a.epochs, "bucket": bucket}, out=out)
                wall = time.perf_counter() - t
                hist = [e for f in out.glob("models/*/model.json") for e in json.loads(f.read_text())["training"]["history"]]
                rows.append(dict(family=fam, bucket=bucket, s_per_epoch=float(np.median([e["seconds"] for e in hist])), epochs=len(hist), wall_s=wall))
                print(f"{fam:6s} bucket={bucket!s:5s}: {rows[-1]['s_per_epoch']:.2f} s per epoch (median of {len(hist)}), run {wall:.0f} s", flush=True)
    crops = np.minimum((man.duration_s.to_numpy()*100).astype(int), r["params"]["max_frames"])   # 10 ms frames, the recipes' crops
    print(f"padded frames per real frame, EmoDB's cropped lengths, batches of 32: random {padding(crops, 32, False):.3f}, bucketed {padding(crops, 32, True):.3f}")
    for fam in a.families.split(","):
        a0, a1 = [x["s_per_epoch"] for x in rows if x["family"] == fam]
        print(f"{fam}: {a0:.2f} -> {a1:.2f} s per epoch with bucketed batches ({a0/a1:.2f}x)")

if __name__ == "__main__":
    main()
