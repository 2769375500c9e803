"""The framework study's grid (studies/framework.yaml) runs end to end at toy scale, so the file cannot rot: EmoDB- and
RAVDESS-shaped corpora made of synthetic audio, a tiny random Whisper, one epoch; then its report."""
import os, shutil, subprocess, sys
from pathlib import Path
import yaml
from ser_nb.synthetic import make_synthetic_corpus
from ser_nb.corpora import scan_corpus
from ser_nb.study import load_study, expand_grid, collect_results
from ser_nb.ssl import tiny_ssl_model

REPO = Path(__file__).resolve().parent.parent
EMODB = {"angry": "W", "happy": "F", "neutral": "N", "sad": "T", "surprised": "L"}   # synthetic emotion -> EmoDB letter
RAVDESS = {"neutral": "01", "happy": "03", "sad": "04", "angry": "05", "surprised": "08"}

def _fake_corpora(tmp):
    "EmoDB's and RAVDESS's layouts filled with synthetic speech: 4 EmoDB speakers, 8 RAVDESS actors."
    syn = make_synthetic_corpus(tmp/"syn", n_speakers=12, n_texts=2, progress=False)
    m = scan_corpus("synthetic", syn, progress=False).manifest
    spk = sorted(m.speaker.unique())
    for i, s in enumerate(spk):
        rows = m[m.speaker == s].sort_values("path")
        for j, (_, r) in enumerate(rows.iterrows()):
            k = int((rows.emotion.iloc[:j] == r.emotion).sum())   # the k-th utterance of this emotion by this speaker
            if i < 4:
                dst = tmp/"emodb"/"wav"/f"{['03', '08', '09', '10'][i]}a0{k + 1}{EMODB[r.emotion]}a.wav"
            else:
                a = f"{i - 3:02d}"
                dst = tmp/"ravdess"/f"Actor_{a}"/f"03-01-{RAVDESS[r.emotion]}-01-{k % 2 + 1:02d}-{k // 2 + 1:02d}-{a}.wav"
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(syn/r.path, dst)
    return tmp/"emodb", tmp/"ravdess"

def test_framework_study_at_toy_scale(tmp_path):
    emodb, ravdess = _fake_corpora(tmp_path)
    whisper = tiny_ssl_model("whisper", tmp_path/"tiny-whisper")
    s = yaml.safe_load((REPO/"studies"/"framework.yaml").read_text())
    s["corpora"] = [{"name": "emodb", "root": str(emodb)}, {"name": "ravdess", "root": str(ravdess)}]
    for m in s["models"]:   # toy scale: one epoch, the tiny Whisper in place of Whisper-base
        for f in m.get("features", []):
            if isinstance(f, dict) and f.get("name") in ("ssl", "ssl_frames"): f["model"] = str(whisper)
            if isinstance(f, dict) and f.get("name") == "ssl_frames": f["layer"] = 1   # the tiny Whisper has 2 layers: fine-tune the top one
        if m.get("recipe") or m["name"] in ("ssl_finetune", "ssl_top"):
            m["params"] = {**m.get("params", {}), "epochs": 1, "patience": 1}
            if "model" in m["params"]: m["params"].update(model=str(whisper), max_frames=16000)
    path = tmp_path/"framework.yaml"
    path.write_text(yaml.safe_dump(s, sort_keys=False))
    study = load_study(path)
    runs = expand_grid(study)
    assert len(runs) == 30   # 10 systems per block: all but ssl_top per-speaker normalised; frozen Whisper + LR and ssl_top also on the training-fold scaler (the planned pair)
    fname = lambda f: f if isinstance(f, str) else f["name"]
    assert sorted((fname(r["features"]), r["model"]) for r in runs if r["norm"] == "global") == sorted([("ssl", "logreg"), ("ssl_frames", "ssl_top")]*3)
    assert {(tuple(r["corpora"]), r["labels"], r["protocol"]) for r in runs} == {
        (("emodb",), "original", "loso"), (("ravdess",), "original", "folds"), (("emodb", "ravdess"), "4", "cross_corpus")}
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "MPLBACKEND": "Agg", "SER_NB_RESULTS": str(tmp_path/"results")}
    cli = [sys.executable, "-c", "from ser_nb.cli import app; app()"]
    r = subprocess.run([*cli, "study", "run", str(path), "--workers", "2"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=1500)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    res = collect_results(load_study(path), results=tmp_path/"results")
    assert res.run_id.nunique() == 30 and res.uar.notna().all(), res
    assert len(res) == 10*(4 + 2 + 2)   # one row per run and fold: 4 EmoDB speakers, 2 RAVDESS folds of 4 actors, 2 corpus pairs
    assert set(res.model) == {"svm_rbf", "logreg", "cnn2d", "bilstm", "bigru", "crnn", "transformer", "ssl_top"}
    r = subprocess.run([*cli, "report", str(tmp_path/"results"/"framework")], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    html = (tmp_path/"results"/"framework"/"report"/"report.html").read_text()
    for name in ("cnn2d", "crnn", "transformer", "ssl_top", "ravdess", "emodb"): assert name in html
    assert "epoch 0: the starting weights" in html   # ssl_top's probed head is scored before fine-tuning, and its curve says so
    assert "of it in linear probes' searches of C" in html   # the cost section counts ssl_top's probes
    assert "over 1 runner session(s)" in html   # the study's end-to-end working time, from its runner's record
    assert "the unit is the test speaker of ravdess" in html and "all scored by the same trained models" in html   # cross-corpus blocks: one trained model per system, tested on every target speaker
    assert "who share its recording conditions and most of each other's training data" in html   # the LOSO and folds blocks keep theirs
