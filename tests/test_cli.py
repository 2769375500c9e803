"Process-level tests of the `ser_nb` console script."
import numpy as np
import pandas as pd
import pytest
from conftest import cli, shared_corpus

COMMANDS = [[], ["corpus"], ["corpus", "list"], ["corpus", "scan"], ["corpus", "synth"], ["corpus", "table"], ["corpus", "card"],
            ["features"], ["features", "list"], ["features", "extract"], ["experiment"], ["predict"],
            ["study"], ["study", "run"], ["study", "status"], ["study", "collect"], ["study", "query"], ["report"]]

@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c) or "ser_nb")
def test_help(cmd):
    r = cli(*cmd, "--help")
    assert "Usage" in r.stdout

def test_unknown_corpus_is_a_clear_error(tmp_path):
    r = cli("corpus", "scan", "nosuch", tmp_path, check=False)
    assert r.returncode == 2 and "unknown corpus 'nosuch'" in r.stderr and "Traceback" not in r.stderr

def test_synth_scan_table(tmp_path):
    cli("corpus", "synth", tmp_path/"syn", "--speakers", "4", "--texts", "2")
    r = cli("corpus", "scan", "synthetic", tmp_path/"syn", "--out", tmp_path/"m.parquet")
    assert "40 utterances, 4 speakers, 5 emotions" in r.stdout
    m = pd.read_parquet(tmp_path/"m.parquet")
    assert len(m) == 40 and m.index.is_unique
    t = cli("corpus", "table", tmp_path/"m.parquet", "--labels", "4").stdout
    assert "surprised" not in t and "Total" in t

def test_scan_emodb(tmp_path):
    root = shared_corpus("emodb")
    r = cli("corpus", "scan", "emodb", root, "--out", tmp_path/"emodb.parquet")
    m = pd.read_parquet(tmp_path/"emodb.parquet")
    assert len(m) == 535 and m.speaker.nunique() == 10
    assert m.drop_duplicates("speaker").gender.value_counts().to_dict() == {"male": 5, "female": 5}
    assert m.emotion.value_counts().to_dict() == {"anger": 127, "boredom": 81, "neutral": 79, "happiness": 71,
                                                  "fear": 69, "sadness": 62, "disgust": 46}
    assert "unparsed: 0" in r.stdout and "data card: matches" in r.stdout

def test_scan_ravdess(tmp_path):
    root = shared_corpus("ravdess")
    r = cli("corpus", "scan", "ravdess", root, "--out", tmp_path/"ravdess.parquet")
    m = pd.read_parquet(tmp_path/"ravdess.parquet")
    assert len(m) == 1440 and m.speaker.nunique() == 24
    assert m.drop_duplicates("speaker").gender.value_counts().to_dict() == {"male": 12, "female": 12}
    counts = m.emotion.value_counts().to_dict()
    assert counts.pop("neutral") == 96 and set(counts.values()) == {192} and len(counts) == 7
    assert set(m.intensity) == {"normal", "strong"}
    assert "unparsed: 0" in r.stdout

def test_ravdess_multichannel_loads_as_mono():
    from ser_nb.audio import load_audio, audio_info
    root = shared_corpus("ravdess")
    man = pd.read_csv(root/"MANIFEST.tsv", sep="\t")
    stereo = man[man.channels > 1].path.tolist()
    assert stereo, "the shared RAVDESS copy should hold multi-channel files"
    for p in stereo:
        assert audio_info(root/p)["channels"] > 1
        y = load_audio(root/p)
        assert y.ndim == 1 and y.dtype == np.float32 and np.isfinite(y).all()

# SAVEE's sentence groups, written out here from the corpus documentation (independently of the parser): the 3 common
# sentences are x01-x03 of every emotion and neutral n01-n03 and n16-n18; each emotion's x04/x05 are also neutral n19-n30.
_SAVEE_CODES = ("a", "d", "f", "h", "sa", "su")
_SAVEE_SHARED = ([{f"{c}{k:02d}" for c in (*_SAVEE_CODES, "n")} | {f"n{15 + k}"} for k in (1, 2, 3)] +
                 [{f"{c}{4 + j:02d}", f"n{n}"} for c, (n4, n5) in zip(("a", "d", "f", "su", "sa", "h"), [(19, 20), (21, 22), (23, 24), (25, 26), (27, 28), (29, 30)])
                  for j, n in enumerate((n4, n5))])

def test_savee_text_independent_keeps_shared_sentences_off_training(tmp_path):
    "`--text-independent` on the SAVEE layout: no recording of a test sentence (under any emotion code) is on the training side."
    import json
    from ser_nb.test_utils import make_tree
    from ser_nb.corpora import scan_corpus
    files = [f"AudioData/{s}/{c}{n:02d}.wav" for s in ("DC", "JE", "JK", "KL") for c in (*_SAVEE_CODES, "n") for n in range(1, 31 if c == "n" else 16)]
    make_tree(tmp_path/"savee", files)
    cli("experiment", "--corpus", "savee", "--root", tmp_path/"savee", "--labels", "original", "--text-independent", "--features", "functionals:mfcc",
        "--model", "logreg", "--cache", tmp_path/"cache", "--workers", "1", "--out", tmp_path/"run")
    m = scan_corpus("savee", tmp_path/"savee", progress=False).manifest
    code = {u: p.rsplit("/", 1)[-1].split(".")[0] for u, p in zip(m.index, m.path)}
    folds = json.loads((tmp_path/"run"/"splits.json").read_text())["folds"]
    assert len(folds) == 8
    for f in folds:
        test, train = {code[u] for u in f["test"]}, {code[u] for u in f["train"] + f["val"]}
        for group in _SAVEE_SHARED: assert not (test & group and train & group), (f["name"], group & test, group & train)
        assert test and train

def test_norm_none_is_no_scaling(tmp_path):
    "`--norm none` feeds the features unscaled: on MFCC statistics a k-NN then differs from `--norm global`."
    import yaml
    cli("corpus", "synth", tmp_path/"syn", "--speakers", "4", "--texts", "2")
    out = {}
    for norm in ("none", "global"):
        cli("experiment", "--corpus", "synthetic", "--root", tmp_path/"syn", "--labels", "5", "--features", "functionals:mfcc", "--model", "knn",
            "--norm", norm, "--cache", tmp_path/"cache", "--workers", "1", "--out", tmp_path/norm)
        out[norm] = pd.read_parquet(tmp_path/norm/"predictions.parquet").sort_values("utt_id").pred.tolist()
    assert out["none"] != out["global"]
    assert yaml.safe_load((tmp_path/"none"/"params.yaml").read_text())["norm"] == "none"

def test_experiment_out_is_a_transaction(tmp_path):
    "An existing finished run is refused, --overwrite replaces it whole (a neural run's models do not survive a classical rewrite)."
    cli("corpus", "synth", tmp_path/"syn", "--speakers", "4", "--texts", "2")
    base = ["experiment", "--corpus", "synthetic", "--root", tmp_path/"syn", "--labels", "5", "--cache", tmp_path/"cache", "--workers", "1",
            "--out", tmp_path/"run"]
    cli(*base, "--features", "mfcc", "--model", "cnn1d", "--param", "epochs=1", "--param", "channels=[8, 8]")
    assert (tmp_path/"run"/"models").is_dir()
    r = cli(*base, "--features", "functionals:mfcc", "--model", "logreg", check=False)
    assert r.returncode == 2 and "holds a finished run" in r.stderr and "--overwrite" in r.stderr, r.stderr
    cli(*base, "--features", "functionals:mfcc", "--model", "logreg", "--overwrite")
    assert not (tmp_path/"run"/"models").exists() and (tmp_path/"run"/"DONE").exists()
    assert not list(tmp_path.glob(".run*"))
    (tmp_path/"file").write_text("")
    r = cli("experiment", "--corpus", "synthetic", "--root", tmp_path/"syn", "--out", tmp_path/"file"/"run", check=False)
    assert r.returncode == 2 and "cannot write there" in r.stderr, r.stderr
