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
