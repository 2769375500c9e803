"""The best pipeline at its limit: frozen Whisper-base layers (real-length encoding, pooled over the real audio) + logistic
regression with its nested search (layers x pooling x C on the training speakers), on EmoDB leave-one-speaker-out (7 classes)
and RAVDESS in EmoBox's 6 folds of 4 consecutive actors (8 classes), without and with per-speaker normalisation.

    .venv/bin/python benchmarks/ssl_linear.py [--emodb ../shared/data/emodb] [--ravdess ../shared/data/ravdess]
                                              [--whisper ../shared/models/whisper-base-encoder] [--only emodb]
                                              [--layers all,upper,last] [--pooling mean,meanstd] [--norms global,speaker]
                                              [--fusion concat] [--out results/benchmarks/ssl_linear] [--compare A/B]

`--layers all,upper,last,windows` also offers the search each window of three consecutive hidden states ('0-2', ..., '4-6').
`--window 30s` encodes each utterance in Whisper's 30 s window (padded; pooled over the real frames) instead of its real
length: about 14 times the extraction (the search named LAYERS@30s, e.g. `--compare "all,upper,last/all,upper,last@30s"`).
`--warm` fits each setting's C values along a warm-started path (a search named LAYERS+warm, e.g. `--compare "all,upper,last/all,upper,last+warm"`).
`--fusion concat,late` also offers it late fusion of the layers (`logreg_blocks`: one logistic regression per hidden state's
block of 512 values, their log-posteriors averaged), chosen against concatenation on the training speakers.
Each run is kept under `--out` (a finished run is reused); `--compare "all,upper,last/all,upper,last,windows"` then compares
two finished searches on every corpus and norm: UAR per test speaker, paired t and Wilcoxon tests, bootstrap CI. A search
with another fusion is named LAYERS:FUSION, e.g. `--compare "all,upper,last/all,upper,last:concat,late"`.

Features are extracted once into the cache (timed separately); each line's wall time is the whole cached run (the nested
search of every fold, the refit, prediction and the run's bookkeeping). Targets from the best-pipeline issue."""
import argparse, json, os, time
from pathlib import Path
os.environ.setdefault("HF_HUB_OFFLINE", "1")

TARGETS = {("emodb", "global"): 0.95, ("emodb", "speaker"): 0.97, ("ravdess", "global"): 0.78, ("ravdess", "speaker"): 0.87}

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--emodb", default="../shared/data/emodb")
    ap.add_argument("--ravdess", default="../shared/data/ravdess")
    ap.add_argument("--whisper", default="../shared/models/whisper-base-encoder")
    ap.add_argument("--only", default="emodb,ravdess")
    ap.add_argument("--layers", default="all,upper,last", help="select__layers values; 'windows': every 3 consecutive hidden states")
    ap.add_argument("--pooling", default="mean,meanstd")
    ap.add_argument("--norms", default="global,speaker")
    ap.add_argument("--fusion", default="concat", help="concat, late or concat,late: the layers concatenated, or one model per hidden state (late fusion)")
    ap.add_argument("--window", default="real", choices=["real", "30s"], help="Whisper's input: the real audio, or the 30 s window it was trained on (padded)")
    ap.add_argument("--warm", action="store_true", help="the search fits each setting's C values in ascending order, each from the last's solution (fit_classical(warm_path=True))")
    ap.add_argument("--out", default="results/benchmarks/ssl_linear", help="runs are kept here, one folder per corpus, norm and layers")
    ap.add_argument("--compare", default="", help="'LAYERS_A/LAYERS_B': paired comparison of two finished searches per corpus and norm")
    a = ap.parse_args()
    if a.compare and a.compare.count("/") != 1: raise SystemExit(f"--compare {a.compare!r}: expected LAYERS_A/LAYERS_B, e.g. all,upper,last/all,upper,last,windows")
    if set(a.fusion.split(",")) - {"concat", "late"}: raise SystemExit(f"--fusion {a.fusion!r}: expected concat, late or concat,late")
    if a.compare: return compare(Path(a.out), a.only.split(","), a.norms.split(","), *a.compare.split("/"), pooling=a.pooling)
    from ser_nb.corpora import scan_corpus
    from ser_nb.experiment import run_experiment
    from ser_nb.features import extract_features
    from ser_nb.labels import apply_labels
    from ser_nb.classical import layer_windows
    feat = {"name": "ssl", "model": a.whisper, "window": a.window}
    layers = [v for k in a.layers.split(",") for v in (layer_windows(7, 3) if k == "windows" else [k])]   # Whisper-base: 7 hidden states
    grid = {"select__layers": layers, "select__pooling": a.pooling.split(",")}
    key, model = (a.layers, "logreg") if a.fusion == "concat" else (f"{a.layers}:{a.fusion}", "logreg_blocks")
    if a.warm: key += "+warm"
    if a.window != "real": key += f"@{a.window}"
    print(f"grid: {grid}", flush=True)
    setups = {"emodb": (a.emodb, dict(protocol="loso")), "ravdess": (a.ravdess, dict(protocol="folds", protocol_params={"groups": "consecutive:4"}))}
    rows = []
    for corpus in a.only.split(","):
        root, proto = setups[corpus]
        man = scan_corpus(corpus, root, progress=False, duplicates="drop").manifest
        t = time.perf_counter()
        F = extract_features(apply_labels(man, "original"), feat, progress=False)
        print(f"{corpus}: Whisper-base features {F.X.shape}, computed {F.stats['computed']}, cached {F.stats['cached']}, {time.perf_counter() - t:.1f} s", flush=True)
        blocks = [None if f == "concat" else int(F.X.shape[2]//2) for f in a.fusion.split(",")]   # late fusion: a member per hidden state's 512 values
        g = grid if a.fusion == "concat" else {**grid, "model__block": blocks}
        del F
        for norm in a.norms.split(","):
            t, d = time.perf_counter(), _run_dir(Path(a.out), corpus, norm, key, a.pooling)
            if (d/"DONE").exists():   # finished earlier with the same features and grid: its figures, not its time
                _same_run(d, feat, g)
                r, t = json.loads((d/"metrics.json").read_text()), float("nan")
            else: r = run_experiment(man, labels="original", features=feat, model=model, grid=g, norm=norm, progress=False, out=d, model_params={"warm_path": True} if a.warm else None, **proto)
            rows.append(dict(corpus=corpus, norm=norm, folds=r["n_folds"], uar=r["summary"]["uar_mean"], sd=r["summary"]["uar_std"],
                             pooled=r["pooled"]["uar"], seconds=time.perf_counter() - t, target=TARGETS[corpus, norm],
                             boundary=sum("boundary" in c for c in r["chosen_hyperparameters"].values() if isinstance(c, dict)),
                             chosen=[{k.split("__")[1]: v for k, v in c.items() if "__" in k} for c in r["chosen_hyperparameters"].values() if isinstance(c, dict)]))
            print(rows[-1], flush=True)
    print(f"\n{'corpus':8s} {'norm':8s} {'folds':>5s} {'UAR (folds)':>14s} {'pooled':>7s} {'target':>7s} {'wall s':>7s} {'C at grid end':>13s}")
    for r in rows:
        print(f"{r['corpus']:8s} {r['norm']:8s} {r['folds']:5d} {r['uar']:7.3f} ± {r['sd']:.3f} {r['pooled']:7.3f} {r['target']:7.2f} "
              f"{r['seconds']:7.1f} {r['boundary']:13d}")

def _run_dir(out, corpus, norm, key, pooling): return out/f"{corpus}_{norm}_{key.replace(',', '+').replace(':', '_').replace('@', '_')}_{pooling.replace(',', '+')}"

def _same_run(d, feat, grid):
    "A finished run is reused only for the features and grid asked for (another --whisper, say, must not be read as this one)."
    import yaml
    had = yaml.safe_load((d/"params.yaml").read_text())
    if had.get("features") != feat or had.get("grid") != grid:
        raise SystemExit(f"{d} holds a run of other features or another grid ({had.get('features')}, {had.get('grid')}): remove it or choose another --out")

def compare(out, corpora, norms, a, b, pooling):
    "UAR per test speaker of two finished searches (layers A against B) on each corpus and norm: difference with bootstrap CI and paired t (ser_nb.stats.compare_systems), Wilcoxon."
    import pandas as pd
    from ser_nb.stats import unit_scores, compare_systems, paired_tests
    for corpus in corpora:
        for norm in norms:
            runs = {n: _run_dir(out, corpus, norm, n, pooling) for n in (a, b)}
            missing = [str(d) for d in runs.values() if not (d/"DONE").exists()]
            if missing: print(f"{corpus} {norm}: no finished run in {missing}"); continue
            pred = pd.concat([pd.read_parquet(d/"predictions.parquet").assign(system=n, seed=0) for n, d in runs.items()])
            units = unit_scores(pred, ("system", "seed")).rename(columns={"uar": "score"})
            c = compare_systems(units, planned=[(a, b)]).iloc[0]
            sign = 1 if c.A == b else -1   # report B - A
            w = units.pivot(index="speaker", columns="system", values="score")
            wil = paired_tests(w[b], w[a], (b, a)).set_index("test").loc["Wilcoxon signed-rank", "p"]
            lo, hi = sorted((sign*c.ci_lo, sign*c.ci_hi))
            print(f"{corpus} {norm}: {c.n_units} test speakers, UAR {w[a].mean():.3f} -> {w[b].mean():.3f}, difference {100*sign*c.delta:+.1f} "
                  f"points [{100*lo:+.1f}, {100*hi:+.1f}], paired t p = {c.p:.3g} (d_z {sign*c.cohen_dz:.2f}), Wilcoxon p = {wil:.3g}")

if __name__ == "__main__": main()
