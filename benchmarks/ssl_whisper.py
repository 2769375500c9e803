"""Whisper-base frozen features on EmoDB: speed and accuracy of the 30 s window against real-length and bucketed encoding.

Run: .venv/bin/python benchmarks/ssl_whisper.py [--emodb ../shared/data/emodb] [--model ../shared/models/whisper-base-encoder]
Prints, per window mode: extraction wall time, real-time factor, speed-up over the 30 s window, and leave-one-speaker-out
UAR (7 classes) of logistic regression on the mean-pooled hidden states of all layers, with C chosen on validation speakers
inside each training fold (never on the test speaker), with a training-fold scaler and with per-speaker normalisation.
"""
import argparse, os, tempfile, time
os.environ.setdefault("HF_HUB_OFFLINE", "1")
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import recall_score
from sklearn.model_selection import GridSearchCV, GroupKFold, LeaveOneGroupOut
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from ser_nb.corpora import scan_corpus
from ser_nb.features import extract_features, speaker_znorm

def loso_uar(X, y, groups, per_speaker=False):
    "Leave-one-speaker-out UAR; C chosen by inner speaker-group CV on the training speakers only."
    X = speaker_znorm(X, groups) if per_speaker else X
    preds = np.empty(len(y), dtype=object)
    for tr, te in LeaveOneGroupOut().split(X, y, groups):
        inner = GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000)),
                             {"logisticregression__C": [0.01, 0.1, 1.0]}, cv=GroupKFold(3), scoring="balanced_accuracy")
        inner.fit(X[tr], y[tr], groups=groups[tr])
        preds[te] = inner.predict(X[te])
    # UAR over the classes present in each test speaker (a speaker missing an emotion must not score 0 on it)
    per_fold = [recall_score(y[groups == g], preds[groups == g], average="macro", labels=np.unique(y[groups == g]))
                for g in np.unique(groups)]
    return float(recall_score(y, preds, average="macro")), float(np.mean(per_fold)), float(np.std(per_fold))

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--emodb", default="../shared/data/emodb"); ap.add_argument("--model", default="../shared/models/whisper-base-encoder")
    ap.add_argument("--modes", default="real,bucket,30s"); ap.add_argument("--cache", default=None)
    a = ap.parse_args()
    man = scan_corpus("emodb", a.emodb, progress=False).manifest
    audio_s = man.duration_s.sum(); y = man.emotion.to_numpy(); g = man.speaker.to_numpy()
    cache = a.cache or tempfile.mkdtemp(prefix="ser_nb_bench_")
    rows = []
    for mode in a.modes.split(","):
        t = time.perf_counter()
        F = extract_features(man, {"name": "ssl", "model": a.model, "window": mode}, cache=cache)
        secs = time.perf_counter() - t
        X = F.X[:, :, :F.X.shape[2]//2].reshape(len(F.X), -1)   # mean-pooled states of all layers
        rows.append((mode, secs, secs/audio_s, loso_uar(X, y, g), loso_uar(X, y, g, per_speaker=True)))
        print(f"done {mode}: {secs:.1f} s", flush=True)
    base = dict((r[0], r[1]) for r in rows).get("30s")
    print(f"\nEmoDB, {len(man)} files, {audio_s:.0f} s of audio, Whisper-base encoder, CPU threads={os.cpu_count()}")
    print("UAR: pooled over all test predictions; per-fold mean ± std over the 10 test speakers")
    print(f"{'window':8s} {'wall s':>8s} {'RTF':>7s} {'speed-up':>9s} {'UAR pooled':>11s} {'UAR folds':>12s} {'spk-norm pooled':>16s} {'spk-norm folds':>15s}")
    for mode, secs, rtf, (u, uf, us), (n, nf, ns) in rows:
        sp = f"{base/secs:8.1f}x" if base else "      n/a"
        print(f"{mode:8s} {secs:8.1f} {rtf:7.4f} {sp} {u:11.3f} {uf:6.3f}±{us:5.3f} {n:16.3f} {nf:8.3f}±{ns:5.3f}")

if __name__ == "__main__": main()
