"Shared fixtures: the read-only corpora in ../shared/data (tests needing them skip where they are absent)."
import os, shutil, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SER_NB_SHARED", ROOT.parent/"shared"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

def shared_corpus(name):
    p = SHARED/"data"/name
    if not p.is_dir(): pytest.skip(f"{p} not present")
    return p

def cli(*args, check=True):
    "Run the installed `ser_nb` console script."
    exe = Path(sys.executable).parent/"ser_nb"
    cmd = [str(exe) if exe.exists() else shutil.which("ser_nb"), *map(str, args)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if check and r.returncode != 0: raise AssertionError(f"{cmd} exited {r.returncode}\n{r.stdout}\n{r.stderr}")
    return r
