"""Ablation of ssl_top (issue 12): keep each fold's fine-tuned layers as early stopping chose them, then fit the head again on
*all* training speakers (train + validation) with the frozen pipeline's logistic regression and its C search, and compare
per test speaker with the fine-tuned run as it is and with frozen Whisper-base + LR. Reads the run folders that
`benchmarks/accuracy.py` wrote (run those two rows first); one torch thread.

    .venv/bin/python benchmarks/ssl_top_refit.py [--runs results/benchmarks/accuracy]"""
import argparse, json
import numpy as np, pandas as pd, torch
from pathlib import Path
from sklearn.metrics import balanced_accuracy_score

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", default="results/benchmarks/accuracy")
    ap.add_argument("--emodb", default="../shared/data/emodb")
    ap.add_argument("--whisper", default="../shared/models/whisper-base-encoder")
    a = ap.parse_args()
    torch.set_num_threads(1)
    from ser_nb.corpora import scan_corpus
    from ser_nb.labels import apply_labels
    from ser_nb.features import extract_features
    from ser_nb.train import load_fold_model, predict_proba
    runs = Path(a.runs)
    top = runs/"whisper-base_top_3_layers_fine-tuned_(ssl_top)"
    man = apply_labels(scan_corpus("emodb", a.emodb, progress=False).manifest, "original")
    F = extract_features(man, {"name": "ssl_frames", "model": a.whisper}, progress=False)
    pos = pd.Series(np.arange(len(F.ids)), index=F.ids)
    y, spk = man.loc[F.ids, "label"].to_numpy(), man.loc[F.ids, "speaker"].to_numpy()
    rows = []
    for f in json.loads((top/"splits.json").read_text())["folds"]:
        model, meta, _ = load_fold_model(top/"models"/f["name"])
        classes = meta["classes"]
        tv, te = pos[f["train"] + f["val"]].to_numpy(), pos[f["test"]].to_numpy()
        yi = np.array([classes.index(v) for v in y])
        model.linear_probe(([F.data[i] for i in tv], yi[tv]), spk[tv])   # the head again, on every training speaker
        P = predict_proba(model, [F.data[i] for i in te], batch_size=16, device="cpu")
        rows.append(pd.DataFrame({"speaker": spk[te], "true": y[te], "pred": np.asarray(classes)[P.argmax(1)]}))
        print(f"{f['name']}: fine-tuned epoch kept {meta['training']['best_epoch']}", flush=True)
    runs_ = {"head refit on train+val": pd.concat(rows), "frozen + LR": pd.read_parquet(runs/"whisper-base_logreg/predictions.parquet"),
             "ssl_top as run": pd.read_parquet(top/"predictions.parquet")}
    per = pd.DataFrame({k: d.groupby("speaker").apply(lambda g: balanced_accuracy_score(g.true, g.pred)) for k, d in runs_.items()})
    print(per.round(3).to_string())
    print("\nfold-mean UAR:", per.mean().round(3).to_dict())
    print("pooled UAR:", {k: round(balanced_accuracy_score(d.true, d.pred), 3) for k, d in runs_.items()})

if __name__ == "__main__": main()
