"""The best pipeline at its limit: frozen Whisper-base layers (real-length encoding, pooled over the real audio) + logistic
regression with its nested search (layers x pooling x C on the training speakers), on EmoDB leave-one-speaker-out (7 classes)
and RAVDESS in EmoBox's 6 folds of 4 consecutive actors (8 classes), without and with per-speaker normalisation.

    .venv/bin/python benchmarks/ssl_linear.py [--emodb ../shared/data/emodb] [--ravdess ../shared/data/ravdess]
                                              [--whisper ../shared/models/whisper-base-encoder] [--only emodb]

Features are extracted once into the cache (timed separately); each line's wall time is the whole cached run (the nested
search of every fold, the refit, prediction and the run's bookkeeping). Targets from the best-pipeline issue."""
import argparse, os, time
os.environ.setdefault("HF_HUB_OFFLINE", "1")

TARGETS = {("emodb", "global"): 0.95, ("emodb", "speaker"): 0.97, ("ravdess", "global"): 0.78, ("ravdess", "speaker"): 0.87}

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--emodb", default="../shared/data/emodb")
    ap.add_argument("--ravdess", default="../shared/data/ravdess")
    ap.add_argument("--whisper", default="../shared/models/whisper-base-encoder")
    ap.add_argument("--only", default="emodb,ravdess")
    a = ap.parse_args()
    from ser_nb.corpora import scan_corpus
    from ser_nb.experiment import run_experiment
    from ser_nb.features import extract_features
    from ser_nb.labels import apply_labels
    feat = {"name": "ssl", "model": a.whisper, "window": "real"}
    grid = {"select__layers": ["all", "upper", "last"], "select__pooling": ["mean", "meanstd"]}
    setups = {"emodb": (a.emodb, dict(protocol="loso")), "ravdess": (a.ravdess, dict(protocol="folds", protocol_params={"groups": "consecutive:4"}))}
    rows = []
    for corpus in a.only.split(","):
        root, proto = setups[corpus]
        man = scan_corpus(corpus, root, progress=False, duplicates="drop").manifest
        t = time.perf_counter()
        F = extract_features(apply_labels(man, "original"), feat, progress=False)
        print(f"{corpus}: Whisper-base features {F.X.shape}, computed {F.stats['computed']}, cached {F.stats['cached']}, {time.perf_counter() - t:.1f} s", flush=True)
        del F
        for norm in ("global", "speaker"):
            t = time.perf_counter()
            r = run_experiment(man, labels="original", features=feat, model="logreg", grid=grid, norm=norm, progress=False, **proto)
            rows.append(dict(corpus=corpus, norm=norm, folds=r["n_folds"], uar=r["summary"]["uar_mean"], sd=r["summary"]["uar_std"],
                             pooled=r["pooled"]["uar"], seconds=time.perf_counter() - t, target=TARGETS[corpus, norm],
                             boundary=sum("boundary" in c for c in r["chosen_hyperparameters"].values() if isinstance(c, dict))))
            print(rows[-1], flush=True)
    print(f"\n{'corpus':8s} {'norm':8s} {'folds':>5s} {'UAR (folds)':>14s} {'pooled':>7s} {'target':>7s} {'wall s':>7s} {'C at grid end':>13s}")
    for r in rows:
        print(f"{r['corpus']:8s} {r['norm']:8s} {r['folds']:5d} {r['uar']:7.3f} ± {r['sd']:.3f} {r['pooled']:7.3f} {r['target']:7.2f} "
              f"{r['seconds']:7.1f} {r['boundary']:13d}")

if __name__ == "__main__": main()
