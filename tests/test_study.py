"Kill `ser_nb study run` with SIGKILL in the middle of a grid, run it again: every run completes exactly once."
import os, signal, subprocess, sys, time
from pathlib import Path
import pandas as pd
import psutil
from conftest import cli

def test_kill_and_resume(tmp_path):
    study = tmp_path/"kill.yaml"
    study.write_text(f"""name: kill
corpora: [{{name: synthetic, root: {tmp_path}/syn, synth: {{speakers: 4, texts: 2}}}}]
protocols: [loso]
features: ["functionals:mfcc"]
models: [logreg, knn, gmm]
seeds: [0, 1]
results: {tmp_path}/results
""")
    exe = Path(sys.executable).parent/"ser_nb"
    d = tmp_path/"results"/"kill"
    p = subprocess.Popen([str(exe), "study", "run", str(study), "--workers", "2"], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.time()
    while time.time() - t0 < 300:   # wait until some, but not all, runs are finished
        done = [x for x in d.glob("*/DONE") if not x.parent.name.startswith(".")] if d.exists() else []
        if done: break
        time.sleep(0.2)
    assert done, "no run finished within 300 s"
    procs = psutil.Process(p.pid).children(recursive=True)   # the workers and the kernels of their runs
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    _, alive = psutil.wait_procs(procs, timeout=15)   # nothing the study started may write after the count (nbs/13_study checks how kernels die)
    assert not alive, [" ".join(x.cmdline()[:4]) for x in alive]
    n_before = len([x for x in d.glob("*/DONE") if not x.parent.name.startswith(".")])
    promoted = len([x for x in d.glob(".tmp-*/DONE")])   # finished but killed before the rename: promoted on the rerun
    assert 1 <= n_before < 6, n_before
    r = cli("study", "run", study, "--workers", "2")
    runs = [x for x in d.iterdir() if x.is_dir() and x.name not in ("manifests", "runners")]
    assert sorted(x.name.startswith(".") for x in runs) == [False]*6, [x.name for x in runs]   # no temporary folder left
    assert all((x/"DONE").exists() for x in runs) and len(runs) == 6
    assert f"ran {6 - n_before - promoted}" in r.stdout, (r.stdout, n_before, promoted)
    cli("study", "collect", study)
    res = pd.read_parquet(d/"results.parquet")
    assert res.run_id.nunique() == 6 and len(res) == 6*4 and not res.duplicated(["run_id", "fold"]).any()

def test_emodb_loso_study_agrees_with_experiment(tmp_path, monkeypatch):
    "The shipped EmoDB study gives, fold by fold, the metrics `ser_nb experiment` gives for the same settings."
    import json, os
    from conftest import shared_corpus, ROOT
    shared_corpus("emodb")
    monkeypatch.chdir(ROOT)
    env_results = tmp_path/"results"
    os.environ["SER_NB_RESULTS"] = str(env_results)
    try:
        cli("study", "run", "studies/emodb_loso.yaml", "--workers", "1", "--only", "model=svm_rbf,norm=speaker")
        cli("study", "collect", "studies/emodb_loso.yaml")
    finally: del os.environ["SER_NB_RESULTS"]
    res = pd.read_parquet(env_results/"emodb_loso"/"results.parquet")
    cli("experiment", "--corpus", "emodb", "--root", "../shared/data/emodb", "--labels", "original", "--protocol", "loso",
        "--features", "egemaps", "--model", "svm_rbf", "--norm", "speaker", "--out", tmp_path/"exp")
    m = json.loads((tmp_path/"exp"/"metrics.json").read_text())
    exp = pd.DataFrame([f for f in m["folds"] if f["group"] == "all"]).set_index("fold")
    got = res.set_index("fold")
    assert len(got) == 10 and (got.loc[exp.index, "uar"].values == exp["uar"].values).all()
    assert (got.loc[exp.index, "wa"].values == exp["wa"].values).all()


def test_emodb_loso_report_compares_over_speakers(tmp_path, monkeypatch):
    "The EmoDB study's comparisons: n is the 10 test speakers, and each p-value is a paired t-test over per-speaker UAR computed here."
    import os
    from scipy import stats as ss
    from sklearn.metrics import recall_score
    from conftest import shared_corpus, ROOT
    from ser_nb.report import StudyResults, significance_blocks
    shared_corpus("emodb")
    monkeypatch.chdir(ROOT)
    os.environ["SER_NB_RESULTS"] = str(tmp_path/"results")
    try:
        for only in ("model=svm_linear,norm=speaker", "model=logreg,norm=speaker", "model=logreg,norm=global"):
            cli("study", "run", "studies/emodb_loso.yaml", "--workers", "1", "--only", only)
    finally: del os.environ["SER_NB_RESULTS"]
    R = StudyResults(tmp_path/"results"/"emodb_loso")
    (block,) = significance_blocks(R, n_boot=500)
    pairs = block["pairs"]
    assert len(pairs) == 3 and (pairs.n == 10).all() and (pairs.units == "10 test speakers").all()
    per_speaker = {}
    for rid, d in R.runs.items():   # independently: per-speaker UAR (recall averaged over the emotions the speaker expressed), scikit-learn
        p = pd.read_parquet(d/"predictions.parquet")
        system = R.results[R.results.run_id == rid].system.iloc[0]
        per_speaker[system] = p.groupby("speaker").apply(lambda g: recall_score(g.true, g.pred, labels=sorted(set(g.true)), average="macro"))
    for r in pairs.itertuples():
        ref = ss.ttest_rel(per_speaker[r.A], per_speaker[r.B].loc[per_speaker[r.A].index])
        assert abs(r.p - ref.pvalue) < 1e-9, (r.A, r.B, r.p, ref.pvalue)
        assert abs(r.delta - (per_speaker[r.A] - per_speaker[r.B]).mean()) < 1e-12

def _tiny_study(tmp_path, name="tiny", models="[logreg, knn]"):
    study = tmp_path/f"{name}.yaml"
    study.write_text(f"""name: {name}
corpora: [{{name: synthetic, root: {tmp_path}/syn, synth: {{speakers: 4, texts: 2}}}}]
protocols: [loso]
features: ["functionals:mfcc"]
models: {models}
results: {tmp_path}/results
""")
    return study

def test_study_under_contention_and_broken_runs(tmp_path):
    "A second runner is refused while one holds the study; a truncated metrics.json is named, marked broken, left out, and rerun on request."
    from filelock import FileLock
    study = _tiny_study(tmp_path)
    d = tmp_path/"results"/"tiny"
    r = cli("study", "run", study, "--dry-run")
    assert "would run" in r.stdout and not (tmp_path/"results").exists() and not (tmp_path/"syn").exists()   # --dry-run writes nothing
    d.mkdir(parents=True)
    (d/".tmp-someone-elses-run-1234abcd").mkdir()
    with FileLock(str(d/".runner.lock")):   # another runner holds the study
        r = cli("study", "run", study, check=False)
    assert r.returncode == 2 and "another `ser_nb study run` is running" in r.stderr, r.stderr
    assert (d/".tmp-someone-elses-run-1234abcd").exists()   # its work was not cleaned up
    (d/".tmp-someone-elses-run-1234abcd").rmdir()
    cli("study", "run", study, "--workers", "1")
    run = sorted(p for p in d.iterdir() if (p/"DONE").exists())[0]
    (run/"metrics.json").write_text((run/"metrics.json").read_text()[:50])   # truncated
    r = cli("study", "status", study)
    assert "broken" in r.stdout and run.name in r.stdout and "unreadable metrics.json" in r.stdout, r.stdout
    r = cli("study", "collect", study)
    assert "from 1 runs" in r.stdout and run.name in r.stderr, (r.stdout, r.stderr)
    cli("study", "run", study, "--retry-broken", "--workers", "1")
    assert "broken" not in cli("study", "status", study).stdout
    (d/".partial-a-run-the-grid-lost"/"models"/"f0").mkdir(parents=True)   # an attempt of a run no longer in the study is named, not touched
    (d/".partial-a-run-the-grid-lost"/"models"/"f0"/"model.json").write_text("{}")
    r = cli("study", "status", study)
    assert ".partial-a-run-the-grid-lost: an interrupted attempt (1 trained fold(s))" in r.stdout, r.stdout
    assert (d/".partial-a-run-the-grid-lost"/"models"/"f0"/"model.json").exists()

def test_study_run_fails_loudly_and_refuses_bad_names(tmp_path):
    "A failed run makes `study run` exit 1 naming it; a study named '..' is refused before anything is written."
    study = _tiny_study(tmp_path, models="[logreg, knn]")
    study.write_text(study.read_text() + "balance: [class_weight]\n")   # k-NN takes no class weights: that run fails when it runs
    r = cli("study", "run", study, "--workers", "1", check=False)
    assert r.returncode == 1 and "failed: " in r.stderr and "knn" in r.stderr, (r.stdout, r.stderr)
    bad = tmp_path/"dots.yaml"
    bad.write_text(study.read_text().replace("name: tiny", "name: '..'"))
    r = cli("study", "run", bad, check=False)
    assert r.returncode == 2 and "simple name" in r.stderr
    assert not (tmp_path/"study.yaml").exists() and not (tmp_path/"manifests").exists()

def test_real_cluster_survives_a_killed_worker(tmp_path):
    "A study on a real `dask scheduler` with two `dask worker` processes: one worker is killed mid-study, every run still ends exactly once."
    import json, signal
    exe = Path(sys.executable).parent
    study = tmp_path/"clu.yaml"
    study.write_text(f"""name: clu
corpora: [{{name: synthetic, root: {tmp_path}/syn, synth: {{speakers: 4, texts: 2}}}}]
protocols: [loso]
features: ["functionals:mfcc"]
models: [logreg, knn, gmm, svm_linear]
seeds: [0, 1]
results: {tmp_path}/results
""")
    sf = tmp_path/"scheduler.json"
    procs = [subprocess.Popen([str(exe/"dask"), "scheduler", "--scheduler-file", str(sf), "--port", "0", "--no-dashboard", "--host", "127.0.0.1"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)]
    try:
        t0 = time.time()
        while not sf.exists() and time.time() - t0 < 60: time.sleep(0.2)
        for _ in range(2):
            procs.append(subprocess.Popen([str(exe/"dask"), "worker", "--scheduler-file", str(sf), "--nthreads", "1", "--no-dashboard",
                                           "--nworkers", "1", "--no-nanny"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        address = json.loads(sf.read_text())["address"]
        runner = subprocess.Popen([str(exe/"ser_nb"), "study", "run", str(study), "--scheduler", address], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
        d = tmp_path/"results"/"clu"
        t0 = time.time()
        while time.time() - t0 < 300 and not (d.exists() and any(d.glob("*/DONE")) and any(d.glob(".tmp-*"))): time.sleep(0.1)
        os.killpg(procs[1].pid, signal.SIGKILL)   # a worker dies in the middle of the study
        out, err = runner.communicate(timeout=600)
        assert runner.returncode == 0, (out, err, {p.name: (p/"traceback.txt").read_text()[-3000:] for p in d.glob("*.failed")})   # why a run failed
        runs = sorted(p for p in d.iterdir() if p.is_dir() and p.name not in ("manifests", "runners"))
        assert len(runs) == 8 and all((p/"DONE").exists() for p in runs), [p.name for p in d.iterdir()]
        assert not list(d.glob(".tmp-*")), "a temporary run folder was left behind"
        res = cli("study", "collect", study)
        assert "from 8 runs" in res.stdout
    finally:
        for p in procs:
            try: os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError: pass

def test_gpu_workers_by_simulation(tmp_path):
    "`--gpus 0,1` on a GPU-less machine: each local worker is pinned to one device id, neural runs ask for one, every run records what it saw."
    import json
    study = _tiny_study(tmp_path, name="gpu", models="[logreg, {name: cnn1d, features: [mfcc], params: {epochs: 1, channels: [8, 8]}}]")
    cli("study", "run", study, "--gpus", "0,1", "--workers", "2")
    envs = {p.name: json.loads((p/"env.json").read_text()) for p in (tmp_path/"results"/"gpu").iterdir() if (p/"DONE").exists()}
    assert len(envs) == 2
    for name, e in envs.items():
        assert e["cuda_visible_devices"] in ("0", "1"), (name, e["cuda_visible_devices"])
        assert e["device"] == "cpu"   # no GPU here: torch falls back to the CPU, and says so

def test_misspelt_study_keys_fail_at_load(tmp_path):
    "A misspelt protocol, model or training parameter is refused by `study run` before anything runs, naming the key."
    for body, msg in (("protocols: [{name: speaker_kfold, kk: 4}]", "unknown parameter(s) ['kk']"),
                      ("models: [{name: cnn1d, features: [mfcc], params: {epoch: 6}}]", "unknown parameter(s) ['epoch']"),
                      ("models: [{name: svm_rbf, params: {gama: 0.1}}]", "unknown parameter(s) ['gama']")):
        study = tmp_path/"bad.yaml"
        study.write_text(f"name: bad\ncorpora: [{{name: synthetic, root: {tmp_path}/syn}}]\n{body}\nresults: {tmp_path}/results\n")
        r = cli("study", "run", study, check=False)
        assert r.returncode == 2 and msg in r.stderr, (body, r.stderr)
        assert not (tmp_path/"results").exists()
