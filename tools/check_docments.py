"""List public functions and classes of ser_nb whose parameters lack docments (the `# comment` after each parameter).

    .venv/bin/python tools/check_docments.py      # exit 1 and name them when any is missing"""
import importlib, inspect, pkgutil, sys
from fastcore.docments import docments
import ser_nb

def missing():
    out = []
    for m in pkgutil.iter_modules(ser_nb.__path__):
        if m.name.startswith("_"): continue
        mod = importlib.import_module(f"ser_nb.{m.name}")
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name)
            if inspect.isclass(obj):
                if not any(k in vars(obj) for k in ("__init__", "__dataclass_fields__")): continue
                f, label = obj, f"{m.name}.{name}"
            elif inspect.isfunction(obj): f, label = obj, f"{m.name}.{name}"
            else: continue
            try: sig = inspect.signature(f)
            except (TypeError, ValueError): continue
            params = [p for p in sig.parameters if p not in ("self", "cls") and sig.parameters[p].kind not in (inspect.Parameter.VAR_KEYWORD, inspect.Parameter.VAR_POSITIONAL)]
            if not params: continue
            try: d = docments(f, full=False)
            except Exception: d = {}
            typer_help = lambda p: bool(getattr(sig.parameters[p].default, "help", None))   # CLI options document themselves in --help
            gaps = [p for p in params if not d.get(p) and not typer_help(p)]
            if gaps: out.append(f"{label}: {', '.join(gaps)}")
    return out

if __name__ == "__main__":
    gaps = missing()
    for g in gaps: print(g)
    if gaps: sys.exit(f"{len(gaps)} public definitions with undocumented parameters")
    print("every public parameter has a docment")
