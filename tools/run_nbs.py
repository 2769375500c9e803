"""Execute the library notebooks and tutorials in place, keeping their outputs, and stamp every code cell with a hash of the code
that produced its output; `--check` fails when a notebook's committed outputs are missing or stale.

    .venv/bin/python tools/run_nbs.py [NOTEBOOK ...]     # execute (default: every notebook under nbs/), stamp, nbdev-clean
    .venv/bin/python tools/run_nbs.py --check            # make test: no execution, only the stamps

A cell's stamp is the hash of its own source and of every code cell above it, so editing a cell makes its output and every
later output stale until the notebook is executed again. Cells marked `#| eval: false` are not run (as nbdev does) but
stamped. Templates under experiments/ and reports/ are not library notebooks: they stay output-free and are not checked."""
import argparse, hashlib, json, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY = "ser_nb"   # the cell metadata key nbdev-clean is told to keep (pyproject: allowed_cell_metadata_keys)

def notebooks(): return sorted((ROOT/"nbs").glob("*.ipynb")) + sorted((ROOT/"nbs"/"tutorials").glob("*.ipynb"))

def _no_eval(src): return any(l.replace(" ", "").lower() == "#|eval:false" for l in src.splitlines())

def stamps(nb):
    "The stamp of each code cell: the hash of its source and of every code cell above it."
    h, out = hashlib.sha256(), []
    for c in nb["cells"]:
        if c["cell_type"] != "code": continue
        h.update("".join(c["source"]).encode() + b"\0")
        out.append(h.hexdigest()[:16])
    return out

def check(paths):
    "Names of notebooks whose outputs are stale or missing, with the first cell concerned."
    bad = []
    for p in paths:
        nb = json.loads(p.read_text())
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        for i, (c, s) in enumerate(zip(code, stamps(nb))):
            got = c.get("metadata", {}).get(KEY, {}).get("stamp")
            if got != s:
                first = next((l for l in "".join(c["source"]).splitlines() if l.strip()), "")[:60]
                why = "never executed by tools/run_nbs.py" if got is None else "its code (or code above it) changed since its outputs were made"
                bad.append(f"{p.relative_to(ROOT)}: code cell {i + 1} ({first!r}): {why}")
                break
    return bad

def execute(p, timeout):
    "Run one notebook top to bottom in its folder with the ser_nb kernel; stamp its cells; clean its metadata."
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(p, as_version=4)
    skipped = {}
    for i, c in enumerate(nb.cells):   # `#| eval: false` cells are shown, not run
        if c.cell_type == "code" and _no_eval(c.source): skipped[i], c.source = c.source, "# (eval: false)"
    t = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="ser_nb", resources={"metadata": {"path": str(p.parent)}}).execute()
    for i, src in skipped.items():
        nb.cells[i].source, nb.cells[i].outputs = src, []
    code = [c for c in nb.cells if c.cell_type == "code"]
    for c, s in zip(code, stamps(nb)): c.metadata[KEY] = {"stamp": s}
    nbformat.write(nb, p)
    subprocess.run([str(Path(sys.executable).parent/"nbdev-clean"), "--fname", str(p)], check=True, cwd=ROOT)
    return time.perf_counter() - t

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--check", action="store_true", help="only check the stamps (no execution)")
    ap.add_argument("--timeout", type=int, default=3600, help="seconds per cell")
    a = ap.parse_args()
    paths = [p.resolve() for p in a.paths] or notebooks()
    if a.check:
        bad = check(paths)
        for b in bad: print(b)
        if bad: sys.exit(f"{len(bad)} notebook(s) with stale or missing outputs: run `make nbs NB=<notebook>` (tools/run_nbs.py) and commit")
        print(f"{len(paths)} notebooks: committed outputs current")
        return
    failed = []
    for p in paths:
        try: print(f"{p.relative_to(ROOT)}: executed in {execute(p, a.timeout):.0f} s", flush=True)
        except Exception as e:
            failed.append(p)
            print(f"{p.relative_to(ROOT)}: FAILED ({type(e).__name__}: {str(e)[-500:]})", flush=True)
    if failed: sys.exit(f"{len(failed)} notebook(s) failed; their outputs were left as they were")

if __name__ == "__main__": main()
