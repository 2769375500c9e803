"""Wall time of the demo study with 2 dask workers against 1, on this machine.

Run: .venv/bin/python benchmarks/study_workers.py [--study studies/demo.yaml]
Both runs use a fresh results folder and the same warm feature cache (filled first, outside the timing), so the
difference is the parallel execution of runs; prints both wall times and the ratio.
"""
import argparse, tempfile, time
from pathlib import Path

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0]); ap.add_argument("--study", default="studies/demo.yaml")
    a = ap.parse_args()
    from ser_nb.study import load_study, run_study, prepare_study, expand_grid, study_manifest
    from ser_nb.features import extract_features
    from ser_nb.labels import apply_labels
    s = load_study(a.study)
    warm = tempfile.mkdtemp(prefix="ser_nb_warm_")
    d, runs = prepare_study(s, warm)
    for feat in {str(r["features"]): r["features"] for r in runs}.values():   # fill the feature cache once
        m = study_manifest(runs[0]["corpora"], d/"manifests")
        extract_features(m, feat, preprocess=s["preprocess"], progress=False)
    times = {}
    for w in (1, 2):
        t = time.perf_counter()
        res = run_study(s, workers=w, results=tempfile.mkdtemp(prefix=f"ser_nb_w{w}_"), progress=False)
        times[w] = time.perf_counter() - t
        assert (res.status == "ran").all(), res
    print(f"{s['name']} study: {len(runs)} runs")
    print(f"1 worker : {times[1]:7.1f} s")
    print(f"2 workers: {times[2]:7.1f} s")
    print(f"speed-up with 2 workers: {times[1]/times[2]:.2f}x")

if __name__ == "__main__": main()
