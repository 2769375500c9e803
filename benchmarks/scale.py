"""Scale: scan, extract MFCC statistics and run a classical leave-one-speaker-out on synthetic corpora of 1k, 10k and
50k utterances (logistic regression with C fixed at 1: the cost measured is the pipeline's, not a grid search's); print wall time
and peak RSS of each step (each size in a fresh process, so peaks do not carry over; `worker MB` is the largest worker's
peak: an extraction worker's, then a fold worker's during the LOSO, whose classical folds run side by side on 2 workers).

    .venv/bin/python benchmarks/scale.py [--sizes 1000,10000,50000] [--root results/benchmarks/scale]

Memory should not grow with the corpus beyond the feature matrix itself: `beyond MB` is how much more the peak RSS grew from the
smallest size than the feature matrix and the manifest did. The manifest's memory is its table (paths, speakers, labels, hashes:
pandas' `memory_usage(deep=True)`) and the lookup table of its utterance ids that pandas builds on first use (an object array of
the ids and a hash table, measured with tracemalloc on a copy of the index)."""
import argparse, json, os, resource, subprocess, sys, tempfile, time, tracemalloc
from pathlib import Path

def _rss_mb(who=resource.RUSAGE_SELF): return resource.getrusage(who).ru_maxrss/1024

def _hwm_mb(pid):
    "A live process's peak resident memory (Linux)."
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM"): return int(line.split()[1])/1024
    return 0

def _children():
    "Pids of this process's live children (Linux)."
    me, out = str(os.getpid()), []
    for d in os.listdir("/proc"):
        try:
            if d.isdigit() and open(f"/proc/{d}/stat").read().rsplit(")", 1)[1].split()[1] == me: out.append(int(d))
        except OSError: pass
    return out

def _lookup_mb(index):
    "Memory of the id lookup table pandas builds for an index on first use, measured on a copy (the manifest's own may already be built)."
    import pandas as pd
    copy = pd.Index(index.array, name=index.name)
    tracemalloc.start()
    copy.get_loc(copy[0])
    mb = tracemalloc.get_traced_memory()[0]/2**20
    tracemalloc.stop()
    return mb

def one(n, root):
    "Run every step on a corpus of about `n` utterances (10 speakers x 5 emotions x n/50 texts) in this process."
    from ser_nb.synthetic import make_synthetic_corpus
    from ser_nb.corpora import scan_corpus
    from ser_nb.features import extract_features
    from ser_nb.experiment import run_experiment
    out, root = {"utterances": n}, Path(root)/f"n{n}"
    t = time.perf_counter()
    if not (root/"syn").exists(): make_synthetic_corpus(root/"syn", n_speakers=10, n_texts=n//50, progress=False)
    out["synth_s"] = time.perf_counter() - t
    t = time.perf_counter()
    m = scan_corpus("synthetic", root/"syn", progress=False).manifest
    out.update(scan_s=time.perf_counter() - t, scan_rss_mb=_rss_mb(), rows=len(m), manifest_mb=m.memory_usage(deep=True).sum()/2**20 + _lookup_mb(m.index))
    import shutil
    shutil.rmtree(root/"cache", ignore_errors=True)   # a cold extraction
    t = time.perf_counter()
    F = extract_features(m, "functionals:mfcc", cache=root/"cache", workers=2, progress=False)
    out.update(extract_s=time.perf_counter() - t, extract_rss_mb=_rss_mb(), worker_rss_mb=_rss_mb(resource.RUSAGE_CHILDREN),
               matrix_mb=F.X.nbytes/2**20, dims=F.X.shape[1])
    del F   # the run extracts (from the cache) its own copy
    t = time.perf_counter()
    r = run_experiment(m, labels="5", protocol="loso", features="functionals:mfcc", model="logreg", model_params={"C": 1.0}, cache=root/"cache", workers=2,
                       progress=False, out=root/"run", overwrite=True)
    out.update(loso_s=time.perf_counter() - t, loso_rss_mb=_rss_mb(), uar=r["summary"]["uar_mean"])
    out["loso_worker_rss_mb"] = max([_hwm_mb(p) for p in _children()] or [0])   # the fold workers (still alive, idle) and their peaks
    print(json.dumps(out))

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,50000")
    ap.add_argument("--root", default="results/benchmarks/scale")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one: return one(a.one, a.root)
    rows = []
    for n in map(int, a.sizes.split(",")):
        r = subprocess.run([sys.executable, __file__, "--one", str(n), "--root", a.root], capture_output=True, text=True)
        if r.returncode: sys.exit(f"size {n} failed:\n{r.stderr[-2000:]}")
        rows.append(json.loads(r.stdout.strip().splitlines()[-1]))
        print(rows[-1], flush=True)
    print(f"\n{'utterances':>10} {'scan s':>7} {'extract s':>9} {'LOSO s':>7} {'peak RSS MB (scan/extract/LOSO)':>32} {'worker MB (extract/LOSO)':>24} "
          f"{'matrix MB':>9} {'manifest MB':>11} {'beyond MB':>9} {'UAR':>6}")
    r0 = rows[0]
    for r in rows:
        beyond = (r['loso_rss_mb'] - r0['loso_rss_mb']) - (r['matrix_mb'] - r0['matrix_mb']) - (r['manifest_mb'] - r0['manifest_mb'])
        print(f"{r['rows']:>10} {r['scan_s']:7.1f} {r['extract_s']:9.1f} {r['loso_s']:7.1f} "
              f"{r['scan_rss_mb']:10.0f} / {r['extract_rss_mb']:6.0f} / {r['loso_rss_mb']:6.0f}   {r['worker_rss_mb']:14.0f} / {r['loso_worker_rss_mb']:6.0f} "
              f"{r['matrix_mb']:9.1f} {r['manifest_mb']:11.1f} {beyond:9.1f} {r['uar']:6.3f}")

if __name__ == "__main__": main()
