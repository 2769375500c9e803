"""int8 dynamic quantisation of from-scratch models for CPU inference: size, speed and UAR before and after.

Run: .venv/bin/python benchmarks/quantize.py [--run DIR] [--emodb ../shared/data/emodb] [--model bigru] [--features mfcc]
Without --run it first trains the model on EmoDB (7 classes, 5-fold speaker cross-validation, a few epochs) into
results/benchmarks/quantize/<model>; then, for every fold model, it predicts that fold's test speakers with the float
model and with its int8 dynamically quantised copy (Linear, LSTM and GRU layers), and prints weight size, CPU time per
utterance and UAR for both.
"""
import argparse, json, os, time
from pathlib import Path
os.environ.setdefault("HF_HUB_OFFLINE", "1")

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run"); ap.add_argument("--emodb", default="../shared/data/emodb"); ap.add_argument("--model", default="bigru")
    ap.add_argument("--features", default="mfcc"); ap.add_argument("--epochs", type=int, default=12)
    a = ap.parse_args()
    import numpy as np, torch
    from ser_nb.corpora import scan_corpus
    from ser_nb.labels import apply_labels
    from ser_nb.experiment import run_experiment
    from ser_nb.features import extract_features
    from ser_nb.train import load_fold_model, predict_proba, _apply_norm
    from ser_nb.predict import quantize_dynamic, model_bytes
    from ser_nb.metrics import scores
    torch.set_num_threads(1)
    man = scan_corpus("emodb", a.emodb, progress=False).manifest
    run = Path(a.run or f"results/benchmarks/quantize/{a.model}")
    if not (run/"DONE").exists():
        run_experiment(man, labels="original", protocol="speaker_kfold", features=a.features, model=a.model,
                       model_params={"epochs": a.epochs}, out=run, progress=False)
    m = apply_labels(man, "original")
    splits = json.loads((run/"splits.json").read_text())
    rows = []
    for fd in sorted((run/"models").glob("*/model.json")):
        model, meta, st = load_fold_model(fd.parent)
        test = next(f for f in splits["folds"] if f["name"] == fd.parent.name)["test"]
        sub = m.loc[test]; sub.attrs = dict(m.attrs)
        F = extract_features(sub, meta["feature"], preprocess=meta["preprocess"]["steps"], progress=False)
        X = _apply_norm(F.data, st); y = sub.loc[F.ids, "label"].to_numpy(); cls = np.asarray(meta["classes"])
        q = quantize_dynamic(model)
        for name, mm in (("float32", model), ("int8", q)):
            predict_proba(mm, X[:4], device="cpu")
            t = time.perf_counter(); P = predict_proba(mm, X, batch_size=1, device="cpu"); secs = time.perf_counter() - t
            rows.append(dict(fold=fd.parent.name, kind=name, mb=model_bytes(mm)/1e6, ms=1000*secs/len(X), uar=scores(y, cls[P.argmax(1)])["uar"]))
    import pandas as pd
    r = pd.DataFrame(rows).groupby("kind")[["mb", "ms", "uar"]].mean()
    print(f"EmoDB, 5-fold speaker CV, {a.features} + {a.model}; means over folds; one CPU thread, batch 1")
    print(r.rename(columns={"mb": "weights MB", "ms": "ms per utterance", "uar": "UAR"}).round(4).to_string())
    print(f"size x{r.loc['float32', 'mb']/r.loc['int8', 'mb']:.2f} smaller, speed x{r.loc['float32', 'ms']/r.loc['int8', 'ms']:.2f}, "
          f"UAR change {r.loc['int8', 'uar'] - r.loc['float32', 'uar']:+.4f}")

if __name__ == "__main__": main()
