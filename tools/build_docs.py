"""Build the HTML docs without Quarto: every library notebook executed and rendered with nbconvert, the data cards, an index.

Run: .venv/bin/python tools/build_docs.py [--out _docs] [--no-execute]   (`make docs` uses nbdev-docs instead when Quarto is installed)
"""
import argparse, html, os, sys
from pathlib import Path
import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import ExecutePreprocessor

ROOT = Path(__file__).resolve().parents[1]

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT/"_docs")); ap.add_argument("--no-execute", action="store_true")
    a = ap.parse_args(); out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("HF_HUB_OFFLINE", "1"); os.environ.setdefault("MPLBACKEND", "Agg")
    pages = []
    for nb_path in sorted((ROOT/"nbs").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in nb_path.parts: continue
        nb = nbformat.read(nb_path, 4)
        if not a.no_execute:   # run every cell (hidden ones hold the test imports), then leave the hidden ones out of the page
            try: ExecutePreprocessor(timeout=900, kernel_name="python3").preprocess(nb, {"metadata": {"path": str(nb_path.parent)}})
            except Exception as e: print(f"warning: {nb_path.name} did not execute fully: {type(e).__name__}", file=sys.stderr)
        nb.cells = [c for c in nb.cells if not (c.cell_type == "code" and c.source.lstrip().startswith(("#| hide", "#|hide")))]
        body, _ = HTMLExporter(exclude_input_prompt=True, exclude_output_prompt=True).from_notebook_node(nb)
        name = nb_path.relative_to(ROOT/"nbs").with_suffix(".html").as_posix().replace("/", "_").replace("index.html", "readme.html")
        (out/name).write_text(body); title = next((l[2:] for c in nb.cells if c.cell_type == "markdown" for l in c.source.splitlines() if l.startswith("# ")), nb_path.stem)
        pages.append((name, title)); print("rendered", name)
    # the data cards, one section each
    sys.path.insert(0, str(ROOT))
    from ser_nb.corpora import cards_dir, load_card, cards_table
    cells = [nbformat.v4.new_markdown_cell("# Data cards\n\nOne card per supported corpus: facts, strengths, limitations, licence, citation, download and expected layout.")]
    cells.append(nbformat.v4.new_markdown_cell(cards_table().to_markdown() if hasattr(cards_table(), "to_markdown") else ""))
    for p in sorted(cards_dir().glob("*.md")):
        c = load_card(p.stem)
        facts = "\n".join(f"- **{k}**: {v}" for k, v in c.items() if k not in ("body", "card_path", "title"))
        cells.append(nbformat.v4.new_markdown_cell(c["body"].replace("# ", "## ", 1) + "\n\n" + facts))
    body, _ = HTMLExporter().from_notebook_node(nbformat.v4.new_notebook(cells=cells))
    (out/"data_cards.html").write_text(body); pages.append(("data_cards.html", "Data cards"))
    links = "".join(f'<li><a href="{n}">{html.escape(t)}</a></li>' for n, t in pages)
    (out/"index.html").write_text(f"<!doctype html><html><head><meta charset='utf-8'><title>ser_nb docs</title></head><body><h1>ser_nb</h1><ul>{links}</ul></body></html>")
    print(f"docs: {out/'index.html'}")

if __name__ == "__main__": main()
