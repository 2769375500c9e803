"""The built wheel works outside the checkout: its templates, report template and data cards travel as package data."""
import json, os, shutil, subprocess, sys, sysconfig
from pathlib import Path
import pytest

REPO = Path(__file__).resolve().parent.parent

def _run(cmd, cwd, env, timeout=900):
    r = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, f"{' '.join(map(str, cmd))} failed ({r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r.stdout

def test_wheel_runs_a_study_and_a_report_outside_the_checkout(tmp_path):
    pytest.importorskip("build")
    # build the wheel from a copy of the sources (the checkout itself is left untouched)
    src = tmp_path/"src"
    shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(".venv", ".git", "results", ".cache", "_docs", "build", "*.egg-info", "__pycache__"))
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", tmp_path/"dist", src], tmp_path, os.environ.copy())
    wheel = next((tmp_path/"dist").glob("ser_nb-*.whl"))
    # a fresh virtual environment; the dependencies come from this one (offline), ser_nb only from the wheel
    venv = tmp_path/"venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path, os.environ.copy())
    py = venv/"bin"/"python"
    site = Path(_run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path, os.environ.copy()).strip())
    (site/"deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")   # appended after site-packages: the wheel's ser_nb wins
    _run([sys.executable, "-m", "pip", "--python", py, "install", "-q", "--no-deps", "--no-compile", wheel], tmp_path, os.environ.copy())
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    # this venv's kernel first (it runs the wheel's ser_nb); the borrowed dependencies' data (nbconvert's templates) after it
    env.update(PATH=f"{venv/'bin'}:{env.get('PATH', '')}", JUPYTER_PATH=f"{venv/'share'/'jupyter'}:{Path(sys.prefix)/'share'/'jupyter'}", HF_HUB_OFFLINE="1", MPLBACKEND="Agg")
    _run([py, "-m", "ipykernel", "install", "--sys-prefix", "--name", "ser_nb"], tmp_path, env)
    work = tmp_path/"elsewhere"
    work.mkdir()
    where = _run([py, "-c", "import ser_nb, ser_nb.core as c; print(ser_nb.__file__); print(c.resource_path('templates', 'experiment.ipynb'))"], work, env)
    assert str(REPO) not in where and str(site) in where, where
    cli = [venv/"bin"/"ser_nb"]   # the console script pip installed from the wheel
    _run([*cli, "corpus", "synth", "syn", "--speakers", "4", "--texts", "2"], work, env)
    (work/"tiny.yaml").write_text("name: tiny\ncorpora: [{name: synthetic, root: syn}]\nlabels: ['5']\nfeatures: ['functionals:mfcc']\n"
                                  "models: [{name: logreg}, {name: svm_linear}]\n")
    _run([*cli, "study", "run", "tiny.yaml", "--workers", "1"], work, env)
    envs = [json.loads(p.read_text()) for p in (work/"results"/"tiny").rglob("env.json")]
    assert len(envs) == 2 and all(e["git_commit"] is None for e in envs), envs   # the runs' kernel imported the wheel, not the checkout
    out = _run([*cli, "report", "results/tiny"], work, env)
    html = work/"results"/"tiny"/"report"/"report.html"
    assert html.exists() and html.stat().st_size > 10_000, out
    text = html.read_text()
    assert "logreg" in text and "svm_linear" in text
    card = _run([py, "-c", "from ser_nb.corpora import load_card; print(load_card('emodb')['name'])"], work, env)
    assert card.strip().lower().startswith("emo")
