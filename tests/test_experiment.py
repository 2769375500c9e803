"Process-level checks of `ser_nb experiment`: the run folder, and identical metrics for the same seed (classical and neural)."
import json
import pytest
from conftest import cli

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("syn")
    cli("corpus", "synth", d/"syn", "--speakers", "4", "--texts", "2")
    return d

def _without_timings(m):
    "A run's metrics less its wall times (the run's and each training epoch's): what equal seeds must reproduce."
    m.pop("seconds")
    for c in m["chosen_hyperparameters"].values():
        for h in (c.get("history") or []) if isinstance(c, dict) else []: h["timed"] = h.pop("seconds", None) is not None
    return m

@pytest.mark.parametrize("features,model,extra", [("egemaps", "svm_rbf", []), ("mfcc", "cnn1d", ["--param", "epochs=2", "--param", "deterministic=true"])])
def test_same_seed_same_metrics(corpus, features, model, extra):
    "Two runs with one seed give identical metrics; the neural one trains its folds in-process on every core, so it asks for `deterministic`."
    runs = []
    for i in (1, 2):
        out = corpus/f"{model}-{i}"
        cli("experiment", "--corpus", "synthetic", "--root", corpus/"syn", "--labels", "4", "--features", features, "--model", model,
            "--seed", "3", "--cache", corpus/"cache", "--workers", "1", "--out", out, *extra)
        assert sorted(p.name for p in out.iterdir() if p.is_file()) == ["DONE", "env.json", "left_out.csv", "metrics.json", "params.yaml", "predictions.parquet", "splits.json"]
        runs.append(_without_timings(json.loads((out/"metrics.json").read_text())))
    assert runs[0] == runs[1]
    epochs = [h for c in runs[0]["chosen_hyperparameters"].values() if isinstance(c, dict) for h in c.get("history") or []]
    assert (len(epochs) > 0 and all(h["timed"] for h in epochs)) if model == "cnn1d" else not epochs   # neural epochs record their seconds (compared above without them)
    assert runs[0]["speaker_independent"] and runs[0]["n_folds"] == 4
