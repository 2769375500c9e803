"""The Whisper-based multi-corpus benchmark's Table 3 layout, and a cross-corpus matrix, on the corpora at hand.

Run: .venv/bin/python benchmarks/table3.py [--data ../shared/data] [--features egemaps] [--model logreg]
Corpora: the synthetic corpus (generated under --out), EmoDB and RAVDESS (from --data, when present). Protocol: the
benchmark's (per corpus, the speaker with the most speech is the test set; 5-fold speaker cross-validation on the
others; test WA averaged over folds), combined training with downsampling/original/SMOTE/ADASYN and separate training,
for 4 and 5 emotions and each corpus's own set. Then the cross-corpus UAR matrix EmoDB <-> RAVDESS on the 4 shared classes.
"""
import argparse, os
from pathlib import Path
os.environ.setdefault("HF_HUB_OFFLINE", "1")

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data"); ap.add_argument("--features", default="egemaps")
    ap.add_argument("--model", default="logreg"); ap.add_argument("--out", default="results/benchmarks/table3")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    import pandas as pd
    from ser_nb.corpora import scan_corpus, combine_manifests
    from ser_nb.synthetic import make_synthetic_corpus
    from ser_nb.experiment import benchmark_table, cross_corpus_matrix
    pd.set_option("display.width", 250); pd.set_option("display.max_columns", 30)
    syn = Path(a.out)/"synthetic"
    if not syn.exists(): make_synthetic_corpus(syn)
    mans = [scan_corpus("synthetic", syn, progress=False).manifest]
    for c in ("emodb", "ravdess"):
        if (Path(a.data)/c).is_dir(): mans.append(scan_corpus(c, Path(a.data)/c, progress=False).manifest)
    both = combine_manifests(*mans)
    t = benchmark_table(both, features=a.features, model=a.model, seed=a.seed, progress=False)
    print(f"Test WA (%), {a.features} + {a.model}, benchmark protocol (most-speech speaker per corpus held out, 5-fold speaker CV)")
    print(t.to_string())
    if len(mans) == 3:
        er = combine_manifests(mans[1], mans[2])
        mat, r = cross_corpus_matrix(er, labels="4", features=a.features, model=a.model, seed=a.seed, progress=False)
        print(f"\nCross-corpus UAR, 4 classes (neutral, angry, happy, sad), train (rows) -> test (columns), {a.features} + {a.model}:")
        print(mat.round(3).to_string())

if __name__ == "__main__": main()
