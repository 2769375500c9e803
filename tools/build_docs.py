"""Build the HTML docs without Quarto, the way nbdev shows an API: each exported definition as its `show_doc` (signature with
docments, docstring) instead of its source, then the notebook's examples with their committed outputs; plus the data cards.

Run: .venv/bin/python tools/build_docs.py [--out _docs] [--execute]   (`make docs` uses nbdev-docs instead when Quarto is installed)

The committed outputs are used as they are, so the build refuses notebooks whose outputs are stale or missing (the stamps
of tools/run_nbs.py). With --execute every notebook is run first, and one that fails to execute fails the build: no
partial page is ever published."""
import argparse, ast, html, importlib, os, re, sys
from pathlib import Path
import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/"tools"))
import run_nbs

def _directives(src):
    return {l.replace(" ", "")[2:].split(":")[0] for l in src.splitlines() if l.replace(" ", "").startswith("#|")}

def _module(nb):
    "The module a notebook exports to (`#| default_exp`), or None."
    for c in nb.cells:
        m = re.search(r"#\|\s*default_exp\s+(\S+)", c.source) if c.cell_type == "code" else None
        if m: return m.group(1)
    return None

def _api_cells(src, module):
    "Markdown cells with the show_doc of every public definition of an exported cell."
    from nbdev.showdoc import show_doc
    clean = "\n".join("" if l.lstrip().startswith(("%", "!")) else l for l in src.splitlines())
    mod = importlib.import_module(f"ser_nb.{module}")
    out = []
    for node in ast.parse(clean).body:
        names = [node.name] if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) else []
        for name in names:
            if name.startswith("_") or not hasattr(mod, name): continue
            md = show_doc(getattr(mod, name), title_level=3)._repr_markdown_()
            md = re.sub(r"#LNone\)", ")", md).replace('{target="_blank" style="float:right; font-size:smaller"}', "")
            out.append(nbformat.v4.new_markdown_cell(md))
    return out

def render(nb_path, execute):
    "One page: hidden cells left out, exported cells shown as their API, examples with their outputs."
    nb = nbformat.read(nb_path, 4)
    if execute:
        from nbclient import NotebookClient
        NotebookClient(nb, timeout=1800, kernel_name="ser_nb", resources={"metadata": {"path": str(nb_path.parent)}}).execute()
    module, cells = _module(nb), []
    for c in nb.cells:
        if c.cell_type != "code":
            cells.append(c)
            continue
        d = _directives(c.source)
        if d & {"hide", "default_exp"}: continue
        if d & {"export", "exports"} and module: cells.extend(_api_cells(c.source, module))
        elif "exporti" in d: continue
        else:
            c.source = "\n".join(l for l in c.source.splitlines() if not l.replace(" ", "").startswith("#|"))
            cells.append(c)
    nb.cells = cells
    body, _ = HTMLExporter(exclude_input_prompt=True, exclude_output_prompt=True).from_notebook_node(nb)
    title = next((l[2:] for c in nb.cells if c.cell_type == "markdown" for l in c.source.splitlines() if l.startswith("# ")), nb_path.stem)
    return body, title

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT/"_docs"))
    ap.add_argument("--execute", action="store_true", help="execute every notebook first; one that fails fails the build")
    a = ap.parse_args()
    out = Path(a.out)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("MPLBACKEND", "Agg")
    paths = run_nbs.notebooks()
    if not a.execute:
        stale = run_nbs.check(paths)
        if stale: sys.exit("docs not built: stale or missing outputs (run `make nbs`, or build with --execute):\n" + "\n".join(stale))
    pages = []
    rendered = {}
    for nb_path in paths:
        try: rendered[nb_path] = render(nb_path, a.execute)
        except Exception as e: sys.exit(f"docs not built: {nb_path.relative_to(ROOT)} failed: {type(e).__name__}: {str(e)[-800:]}")
    out.mkdir(parents=True, exist_ok=True)
    for nb_path, (body, title) in rendered.items():
        name = nb_path.relative_to(ROOT/"nbs").with_suffix(".html").as_posix().replace("/", "_").replace("index.html", "readme.html")
        (out/name).write_text(body)
        pages.append((name, title))
        print("rendered", name)
    # the data cards, one section each
    sys.path.insert(0, str(ROOT))
    from ser_nb.corpora import cards_dir, load_card
    cells = [nbformat.v4.new_markdown_cell("# Data cards\n\nOne card per supported corpus: facts, strengths, limitations, licence, citation, download and expected layout.")]
    for p in sorted(cards_dir().glob("*.md")):
        c = load_card(p.stem)
        facts = "\n".join(f"- **{k}**: {v}" for k, v in c.items() if k not in ("body", "card_path", "title"))
        cells.append(nbformat.v4.new_markdown_cell(c["body"].replace("# ", "## ", 1) + "\n\n" + facts))
    body, _ = HTMLExporter().from_notebook_node(nbformat.v4.new_notebook(cells=cells))
    (out/"data_cards.html").write_text(body)
    pages.append(("data_cards.html", "Data cards"))
    links = "".join(f'<li><a href="{n}">{html.escape(t)}</a></li>' for n, t in pages)
    (out/"index.html").write_text(f"<!doctype html><html><head><meta charset='utf-8'><title>ser_nb docs</title></head><body><h1>ser_nb</h1><ul>{links}</ul></body></html>")
    print(f"docs: {out/'index.html'}")

if __name__ == "__main__": main()
