"Render a study's report and open it in headless Chromium: not blank, every section and figure present, no error output."
import shutil, subprocess, tempfile
from pathlib import Path
import numpy as np
import pytest
from conftest import cli

SECTIONS = ["Study design", "Main results", "Significance", "Per-class F1", "Confusion matrices", "Gender", "Learning curves", "Embedding map",
            "Explainability", "Saliency"]
ABSENT = ["Benchmark table", "Cross-corpus"]   # this study has neither: the report leaves the sections out

def test_report_renders_and_opens(tmp_path):
    study = tmp_path/"rep.yaml"
    study.write_text(f"""name: rep
corpora: [{{name: synthetic, root: {tmp_path}/syn, synth: {{speakers: 4, texts: 2}}}}]
protocols: [loso]
features: [egemaps]
models: [logreg, svm_rbf, {{name: cnn1d, features: [mfcc], params: {{epochs: 2, channels: [8, 8]}}}}]
results: {tmp_path}/results
""")
    cli("study", "run", study, "--workers", "2")
    cli("report", tmp_path/"results"/"rep")
    html = (tmp_path/"results"/"rep"/"report"/"report.html").read_text()
    for s in SECTIONS: assert f">{s}<" in html, s
    for s in ABSENT: assert f">{s}<" not in html, s
    assert "4 test speakers" in html and "Holm-corrected p" in html     # comparisons name their unit, n and the corrected p
    assert "fewer than 5 test speakers" in html                          # and say when n is too small to mean much
    assert ">0.0<" not in html                                          # p-values are never printed as 0.0
    assert html.count("data:image/png;base64") >= 8                       # figures embedded: readable with no network
    assert "Traceback" not in html and "output_error" not in html and "ename" not in html
    idx = (tmp_path/"results"/"rep"/"report"/"index.html").read_text()
    assert idx.count("runs/") == 3 and all((tmp_path/"results"/"rep"/"report"/"runs").iterdir())
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium: pytest.skip("chromium not installed (.ci/run installs it)")
    png = tmp_path/"shot.png"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--no-first-run", "--disable-sync", f"--user-data-dir={tempfile.mkdtemp()}", f"--screenshot={png}", "--window-size=1280,2000",
                    (tmp_path/"results"/"rep"/"report"/"report.html").as_uri()], capture_output=True, timeout=180)
    import matplotlib.image as mpimg
    img = mpimg.imread(png)
    assert img.shape[0] >= 1000 and img[..., :3].std() > 0.05              # not a blank page
