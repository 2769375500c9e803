"""ser_nb against the peer toolkit on the peers' job: EmoDB, 7 classes, eGeMAPS functionals + SVM, leave-one-speaker-out,
cold caches, end to end (process start, imports, extraction, fitting, results), as paired runs in alternating order.

    .venv/bin/python benchmarks/peers.py [--runs 3] [--install] [--emodb ../shared/data/emodb]

ser_nb runs with its defaults (`ser_nb experiment --corpus emodb --labels original`: eGeMAPS, RBF SVM with its C and
gamma chosen by speaker-group cross-validation inside every training side, LOSO); nkululeko 1.14.1 runs the configuration
in ../shared/peers/exp_os_svm_standard.ini (no search). nkululeko lives in its own venv (--venv); `--install` creates it
with the CPU torch wheel (../shared/TOOLCHAIN.md); without it and without the venv the script says so and exits 0.
Prints each pair's wall times and pooled UARs, then the ser_nb/nkululeko ratio (min and median)."""
import argparse, re, shutil, statistics, subprocess, sys, tempfile, time, json
from pathlib import Path

def _install(venv):
    c = Path(tempfile.mkdtemp())/"constraints.txt"
    c.write_text("torch==2.13.0\n")   # the CPU wheel; anything else pulls CUDA packages
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv/"bin/python"), "-m", "pip", "install", "-q", "-c", str(c), "nkululeko==1.14.1"], check=True)

def _nkululeko(venv, ini_src, emodb, scratch):
    "One cold nkululeko run: (seconds, pooled UAR)."
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    from ser_nb.corpora import scan_corpus, audio_path   # EmoDB's speakers, genders and emotions, as ser_nb's parser reads them
    m = scan_corpus("emodb", emodb, progress=False).manifest
    rows = ["file,speaker,gender,emotion"] + [f"{audio_path(m, u)},{r.speaker},{r.gender},{r.emotion}" for u, r in m.iterrows()]
    (scratch/"emodb.csv").write_text("\n".join(rows) + "\n")
    ini = ini_src.read_text().replace("RESULTS_DIR", str(scratch/"results")).replace("CSV_FILE", str(scratch/"emodb.csv"))
    (scratch/"exp.ini").write_text(ini)
    t = time.perf_counter()
    r = subprocess.run([str(venv/"bin/python"), "-m", "nkululeko.nkululeko", "--config", str(scratch/"exp.ini")],
                       capture_output=True, text=True, cwd=scratch)
    dt = time.perf_counter() - t
    if r.returncode: sys.exit(f"nkululeko failed:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    m = re.findall(r"test: ([0-9.]+) UAR", r.stdout + r.stderr)
    return dt, float(m[-1]) if m else float("nan")

def _ser_nb(emodb, scratch):
    "One cold ser_nb run with its defaults: (seconds, pooled UAR)."
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    cli = Path(sys.executable).parent/"ser_nb"
    t = time.perf_counter()
    r = subprocess.run([str(cli), "experiment", "--corpus", "emodb", "--root", str(emodb), "--labels", "original",
                        "--cache", str(scratch/"cache"), "--out", str(scratch/"run")], capture_output=True, text=True)
    dt = time.perf_counter() - t
    if r.returncode: sys.exit(f"ser_nb failed:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return dt, json.loads((scratch/"run"/"metrics.json").read_text())["pooled"]["uar"]

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--emodb", default="../shared/data/emodb")
    ap.add_argument("--peers", default="../shared/peers/exp_os_svm_standard.ini")
    ap.add_argument("--venv", default="results/benchmarks/peers/nkululeko-venv")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--install", action="store_true")
    a = ap.parse_args()
    venv, emodb, ini = Path(a.venv).resolve(), Path(a.emodb).resolve(), Path(a.peers)
    if not (emodb/"wav").is_dir() or not ini.exists(): return print(f"skipped: no EmoDB at {emodb} or no peer configuration at {ini}")
    if not (venv/"bin/python").exists():
        if not a.install: return print(f"skipped: no nkululeko venv at {venv} (run with --install to create it)")
        _install(venv)
    scratch = Path(tempfile.mkdtemp(prefix="peers-"))
    pairs = []
    for i in range(a.runs):   # alternate which goes first, so neither always meets a warmer page cache
        order = ("ser_nb", "nkululeko") if i % 2 == 0 else ("nkululeko", "ser_nb")
        res = {}
        for who in order:
            res[who] = _ser_nb(emodb, scratch/"ser_nb") if who == "ser_nb" else _nkululeko(venv, ini, emodb, scratch/"nk")
        pairs.append(res)
        print(f"pair {i + 1}: ser_nb {res['ser_nb'][0]:.1f} s (UAR {res['ser_nb'][1]:.3f}), nkululeko {res['nkululeko'][0]:.1f} s "
              f"(UAR {res['nkululeko'][1]:.3f}), ratio {res['ser_nb'][0]/res['nkululeko'][0]:.2f}", flush=True)
    ratios = [p["ser_nb"][0]/p["nkululeko"][0] for p in pairs]
    print(f"\nser_nb / nkululeko wall time over {len(pairs)} paired cold runs: min {min(ratios):.2f}, median {statistics.median(ratios):.2f} "
          f"(target <= 0.6); pooled UAR ser_nb {statistics.median(p['ser_nb'][1] for p in pairs):.3f}, "
          f"nkululeko {statistics.median(p['nkululeko'][1] for p in pairs):.3f} (medians)")
    shutil.rmtree(scratch, ignore_errors=True)

if __name__ == "__main__": main()
