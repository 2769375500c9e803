"""Feature extraction speed on EmoDB: cold (2 workers) and cached, per feature set, against a plain librosa loop.

Run: .venv/bin/python benchmarks/features.py [--emodb ../shared/data/emodb] [--workers 2] [--sets logmel,mfcc,...]
     .venv/bin/python benchmarks/features.py --whisper ../shared/models/whisper-base-encoder [--ravdess ../shared/data/ravdess]
For every set: files per second and real-time factor (processing seconds per second of audio) cold and cached, the
cached/cold speed-up, and peak resident memory of the process and its workers. In the same run, a plain single-process
loop (librosa.load, MFCC, mean: what a notebook would do) is timed on the same files as the reference, and the ratios
are printed: egemaps + logmel cached against cold, and ser_nb's cold MFCC functionals on 2 workers against the loop.
Each measurement runs in a fresh Python process with an empty cache; library imports and numba JIT warm-up happen
before the timing for both ser_nb and the loop, so the comparison is about extraction throughput.
With --whisper: frozen Whisper-base hidden states (real-length encoding, pooled over the real audio) of EmoDB and RAVDESS,
each corpus cold in a fresh process: wall time (model loading included) and peak RSS against the size of the output
array, so memory that grows with the corpus beyond its embeddings shows.
"""
import argparse, json, os, resource, subprocess, sys, tempfile, time
from pathlib import Path

DEFAULT_SETS = "logmel,mfcc,spectral,prosody,functionals:mfcc,egemaps,compare"
SAME_WORK = '{"name": "functionals", "of": {"name": "mfcc", "deltas": false}}'   # MFCC then statistics: a superset of the loop's work

def peak_mb():
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)/1024

def one(args):
    "Child process: cold then cached extraction of one or more sets (joined by +) into a fresh cache."
    from ser_nb.corpora import scan_corpus
    from ser_nb.features import extract_features
    man = scan_corpus("emodb", args.emodb, progress=False).manifest
    cache = tempfile.mkdtemp(prefix="ser_nb_featbench_")
    sets = [json.loads(s) if s.startswith("{") else s for s in args.one.split("+")]
    import numpy as np
    from ser_nb.features import parse_feature
    for s in sets:   # import and JIT warm-up outside the timing, as for the plain loop
        parse_feature(s).extract(np.random.default_rng(0).standard_normal(16000).astype(np.float32)*0.1)
    res = {}
    for phase in ("cold", "cached"):
        t = time.perf_counter()
        for s in sets: extract_features(man, s, cache=cache, workers=args.workers, progress=False)
        res[phase] = time.perf_counter() - t
    res.update(files=len(man), audio_s=float(man.duration_s.sum()), peak_mb=peak_mb())
    print(json.dumps(res))

def ssl_one(args):
    "Child process: cold Whisper extraction of one corpus into a fresh cache."
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from ser_nb.corpora import scan_corpus
    from ser_nb.features import extract_features
    corpus, root = args.ssl_one.split("=", 1)
    man = scan_corpus(corpus, root, progress=False, duplicates="drop").manifest
    before = peak_mb()
    t = time.perf_counter()
    F = extract_features(man, {"name": "ssl", "model": args.whisper, "window": "real"}, cache=tempfile.mkdtemp(prefix="ser_nb_sslbench_"), progress=False)
    print(json.dumps(dict(corpus=corpus, files=len(man), audio_s=float(man.duration_s.sum()), seconds=time.perf_counter() - t,
                          rss_before_mb=before, peak_mb=peak_mb(), output_mb=F.X.nbytes/2**20)))

def plain(args):
    "Child process: the reference loop, one process, no cache."
    import librosa, numpy as np
    files = sorted(Path(args.emodb).rglob("*.wav"))
    librosa.feature.mfcc(y=np.zeros(16000, np.float32), sr=16000)   # numba warm-up outside the timing, as for ser_nb's workers
    t = time.perf_counter()
    for f in files:
        y, sr = librosa.load(f, sr=16000)
        librosa.feature.mfcc(y=y, sr=sr, n_mfcc=13, n_fft=400, hop_length=160).mean(axis=1)
    print(json.dumps(dict(cold=time.perf_counter() - t, files=len(files), peak_mb=peak_mb())))

def run(extra, args):
    out = subprocess.run([sys.executable, __file__, "--emodb", args.emodb, "--workers", str(args.workers), *extra],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])

def ssl_table(a):
    rows = []
    for corpus, root in (("emodb", a.emodb), ("ravdess", a.ravdess)):
        if not Path(root).is_dir():
            print(f"{corpus}: skipped, no corpus at {root}")
            continue
        out = subprocess.run([sys.executable, __file__, "--whisper", a.whisper, "--ssl-one", f"{corpus}={root}"], capture_output=True, text=True)
        if out.returncode: sys.exit(f"{corpus} failed:\n{out.stderr[-2000:]}")
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(rows[-1], flush=True)
    print(f"\n{'corpus':8s} {'files':>6s} {'audio s':>8s} {'wall s':>7s} {'RTF':>7s} {'RSS before MB':>13s} {'peak RSS MB':>11s} {'output MB':>9s}")
    for r in rows:
        print(f"{r['corpus']:8s} {r['files']:6d} {r['audio_s']:8.0f} {r['seconds']:7.1f} {r['seconds']/r['audio_s']:7.4f} "
              f"{r['rss_before_mb']:13.0f} {r['peak_mb']:11.0f} {r['output_mb']:9.1f}")

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--emodb", default="../shared/data/emodb"); ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--sets", default=DEFAULT_SETS); ap.add_argument("--one"); ap.add_argument("--plain", action="store_true")
    ap.add_argument("--whisper", help="a Whisper encoder folder: time its extraction on EmoDB and RAVDESS instead")
    ap.add_argument("--ravdess", default="../shared/data/ravdess"); ap.add_argument("--ssl-one", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.ssl_one: return ssl_one(a)
    if a.whisper: return ssl_table(a)
    if a.one: return one(a)
    if a.plain: return plain(a)
    ref = run(["--plain"], a)
    rows = [(s, run(["--one", s], a)) for s in a.sets.split(",")] + [("egemaps+logmel", run(["--one", "egemaps+logmel"], a)),
                                                                   ("same work as loop", run(["--one", SAME_WORK], a))]
    audio = rows[0][1]["audio_s"]
    print(f"EmoDB: {ref['files']} files, {audio:.0f} s of audio; ser_nb cold extraction on {a.workers} worker processes\n")
    print(f"{'set':22s} {'cold f/s':>9s} {'cold RTF':>9s} {'cached f/s':>11s} {'cached RTF':>11s} {'speed-up':>9s} {'peak MB':>8s}")
    for s, r in rows:
        n = r["files"]
        print(f"{s:22s} {n/r['cold']:9.1f} {r['cold']/audio:9.4f} {n/r['cached']:11.1f} {r['cached']/audio:11.5f} "
              f"{r['cold']/r['cached']:8.1f}x {r['peak_mb']:8.0f}")
    print(f"{'plain librosa loop':22s} {ref['files']/ref['cold']:9.1f} {ref['cold']/audio:9.4f} {'-':>11s} {'-':>11s} {'-':>9s} {ref['peak_mb']:8.0f}")
    eg = dict(rows)["egemaps+logmel"]; sw = dict(rows)["same work as loop"]
    print(f"\negemaps + logmel: cached second extraction {eg['cold']/eg['cached']:.1f}x faster than the first (target >= 20x)")
    print(f"MFCC + statistics: ser_nb cold on {a.workers} workers {ref['cold']/sw['cold']:.2f}x the plain loop's speed (target > 1)")

if __name__ == "__main__": main()
