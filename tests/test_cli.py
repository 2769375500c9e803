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
    # RAVDESS holds one byte-identical pair (Actor_07, happy, statement 2, repetitions 1 and 2): one copy is kept
    assert len(m) == 1439 and m.speaker.nunique() == 24 and m.sha256.is_unique
    assert "Actor_07/03-01-03-01-02-02-07.flac: same audio bytes as Actor_07/03-01-03-01-02-01-07.flac (same speaker)" in r.stdout, r.stdout
    assert m.drop_duplicates("speaker").gender.value_counts().to_dict() == {"male": 12, "female": 12}
    counts = m.emotion.value_counts().to_dict()
    assert counts.pop("neutral") == 96 and counts.pop("happy") == 191 and set(counts.values()) == {192} and len(counts) == 6
    assert set(m.intensity) == {"normal", "strong"}
    assert "unparsed: 0" in r.stdout and "data card: matches" in r.stdout

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


def test_copied_audio_across_speakers_is_refused(tmp_path):
    "A byte-identical copy of an EmoDB file under another speaker's name is a leak: refused, or dropped on request (and listed)."
    import shutil
    root = shared_corpus("emodb")
    (tmp_path/"emodb"/"wav").mkdir(parents=True)
    for f in sorted((root/"wav").glob("*.wav"))[:40] + sorted((root/"wav").glob("08*.wav"))[:20]: shutil.copy(f, tmp_path/"emodb"/"wav")
    shutil.copy(root/"wav"/"03a01Wa.wav", tmp_path/"emodb"/"wav"/"08a01Wz.wav")
    r = cli("corpus", "scan", "emodb", tmp_path/"emodb", check=False)
    assert r.returncode == 2 and "08a01Wz.wav (speaker 08) = wav/03a01Wa.wav (speaker 03)" in r.stderr and "--duplicates drop" in r.stderr, r.stderr
    r = cli("corpus", "scan", "emodb", tmp_path/"emodb", "--duplicates", "drop", "--out", tmp_path/"m.parquet")
    assert "wav/08a01Wz.wav: same audio bytes as wav/03a01Wa.wav of speaker 03" in r.stdout
    assert "emodb:wav/08a01Wz.wav" not in pd.read_parquet(tmp_path/"m.parquet").index

def test_tess_original_layout_has_2800_rows(tmp_path):
    "TESS as downloaded (Kaggle folders), with its misnamed OAF_neutral/OA_bite_neutral.wav: 2800 rows, 400 per emotion, card matches."
    from ser_nb.test_utils import make_tree
    k = "TESS Toronto emotional speech set data"
    folders = {"OAF": ["OAF_angry", "OAF_disgust", "OAF_Fear", "OAF_happy", "OAF_neutral", "OAF_Pleasant_surprise", "OAF_Sad"],
               "YAF": ["YAF_angry", "YAF_disgust", "YAF_fear", "YAF_happy", "YAF_neutral", "YAF_pleasant_surprised", "YAF_sad"]}
    codes = ["angry", "disgust", "fear", "happy", "neutral", "ps", "sad"]
    words = ["bite"] + [f"w{i:03d}" for i in range(199)]
    files = {f"{k}/{fo}/{'OA' if (spk, code, w) == ('OAF', 'neutral', 'bite') else spk}_{w}_{code}.wav": 0.05
             for spk, fs in folders.items() for fo, code in zip(fs, codes) for w in words}
    make_tree(tmp_path/"tess", files)
    r = cli("corpus", "scan", "tess", tmp_path/"tess", "--out", tmp_path/"m.parquet")
    m = pd.read_parquet(tmp_path/"m.parquet")
    assert len(m) == 2800 and set(m.emotion.value_counts()) == {400} and m.speaker.value_counts().to_dict() == {"tess_OAF": 1400, "tess_YAF": 1400}
    assert m.loc[f"tess:{k}/OAF_neutral/OA_bite_neutral.wav", "note"].startswith("speaker OAF read from the folder name")
    assert "unparsed: 0" in r.stdout and "data card: matches" in r.stdout, r.stdout

def test_predict_reports_each_bad_file(tmp_path):
    "`ser_nb predict`: a 10 ms file is padded, random bytes get their own error line, the good files still get predictions; bad --hop/--window refused."
    import soundfile as sf
    cli("corpus", "synth", tmp_path/"syn", "--speakers", "4", "--texts", "2")
    cli("experiment", "--corpus", "synthetic", "--root", tmp_path/"syn", "--labels", "5", "--features", "mfcc", "--model", "cnn1d",
        "--param", "epochs=1", "--param", "channels=[8, 8]", "--cache", tmp_path/"cache", "--workers", "1", "--out", tmp_path/"run")
    good = sorted((tmp_path/"syn").rglob("*.wav"))[0]
    sf.write(tmp_path/"short.wav", (0.3*np.sin(2*np.pi*220*np.arange(160)/16000)).astype(np.float32), 16000)   # 10 ms
    (tmp_path/"noise.wav").write_bytes(np.random.default_rng(0).bytes(4000))
    r = cli("predict", tmp_path/"run", good, tmp_path/"short.wav", tmp_path/"noise.wav", check=False)
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert str(good) in r.stdout and "short.wav" in r.stdout and "zero-padding" in r.stdout, r.stdout
    assert "noise.wav" in r.stderr and "noise.wav" not in r.stdout, r.stderr
    for opt, val, msg in (("--hop", "0", "--hop must be a positive"), ("--window", "-1", "--window must be a positive")):
        r = cli("predict", tmp_path/"run", good, "--stream", opt, val, check=False)
        assert r.returncode == 2 and msg in r.stderr, r.stderr

def test_feature_workers_die_with_their_parent(tmp_path):
    "`kill -9` of `ser_nb features extract` leaves no pool worker running."
    import os, signal, subprocess, sys, time
    from pathlib import Path
    cli("corpus", "synth", tmp_path/"syn", "--speakers", "8", "--texts", "6")
    cli("corpus", "scan", "synthetic", tmp_path/"syn", "--out", tmp_path/"m.parquet")
    exe = Path(sys.executable).parent/"ser_nb"
    p = subprocess.Popen([str(exe), "features", "extract", str(tmp_path/"m.parquet"), "--set", "egemaps", "--workers", "2",
                          "--cache", str(tmp_path/"cache")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children, t0 = [], time.time()
    while time.time() - t0 < 120 and len(children) < 2 and p.poll() is None:
        try: children = [int(c) for c in Path(f"/proc/{p.pid}/task/{p.pid}/children").read_text().split()]
        except OSError: children = []
        time.sleep(0.1)
    assert len(children) >= 2, "the pool did not start"
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    t0 = time.time()
    while time.time() - t0 < 20 and any(Path(f"/proc/{c}").exists() and "Z" not in Path(f"/proc/{c}/stat").read_text().split()[2] for c in children):
        time.sleep(0.2)
    alive = [c for c in children if Path(f"/proc/{c}").exists() and Path(f"/proc/{c}/stat").read_text().split()[2] != "Z"]
    assert not alive, f"orphaned workers still running: {alive}"

def test_ready_made_folds_from_the_cli(tmp_path):
    "`--folds consecutive:2` runs exactly the given fold set and says which speakers each fold tested."
    import json
    cli("corpus", "synth", tmp_path/"syn", "--speakers", "4", "--texts", "2")
    r = cli("experiment", "--corpus", "synthetic", "--root", tmp_path/"syn", "--labels", "5", "--folds", "consecutive:2", "--features",
            "functionals:mfcc", "--model", "logreg", "--cache", tmp_path/"cache", "--workers", "1", "--out", tmp_path/"run")
    folds = json.loads((tmp_path/"run"/"splits.json").read_text())["folds"]
    assert [f["speakers"]["test"] for f in folds] == [["synthetic_spk01f", "synthetic_spk02m"], ["synthetic_spk03f", "synthetic_spk04m"]]
    assert "fold1-spk01f+spk02m: test speakers synthetic_spk01f, synthetic_spk02m" in r.stdout, r.stdout
