"""The docs show each API as nbdev does (show_doc, not source), and a notebook that fails to execute fails the build."""
import sys
from pathlib import Path
import nbformat, pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT/"tools"))
import build_docs, run_nbs

def test_api_shown_by_show_doc_not_source():
    body, title = build_docs.render(ROOT/"nbs"/"10_metrics.ipynb", execute=False)
    assert title == "Metrics"
    assert "resample whole speakers" in body          # the docments of bootstrap_ci's parameters
    assert "np.bincount(t*k + p" not in body           # not the exported source
    assert "#| export" not in body and "#| hide" not in body

def test_failing_notebook_fails_the_build(tmp_path, monkeypatch):
    bad = tmp_path/"bad.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Bad"), nbformat.v4.new_code_cell("1/0")]), bad)
    monkeypatch.setattr(run_nbs, "notebooks", lambda: [bad])
    monkeypatch.setattr(build_docs, "ROOT", tmp_path)
    monkeypatch.setattr(sys, "argv", ["build_docs.py", "--out", str(tmp_path/"_docs"), "--execute"])
    with pytest.raises(SystemExit, match="bad.ipynb failed"): build_docs.main()
    assert not (tmp_path/"_docs").exists()           # nothing published

def test_stale_outputs_refuse_the_build(tmp_path, monkeypatch):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")])
    p = tmp_path/"stale.ipynb"
    nbformat.write(nb, p)
    monkeypatch.setattr(run_nbs, "notebooks", lambda: [p])
    monkeypatch.setattr(run_nbs, "ROOT", tmp_path)
    monkeypatch.setattr(sys, "argv", ["build_docs.py", "--out", str(tmp_path/"_docs")])
    with pytest.raises(SystemExit, match="stale or missing outputs"): build_docs.main()
