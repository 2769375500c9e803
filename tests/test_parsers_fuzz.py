"Property-based tests of every corpus parser: arbitrary file names and folder layouts never crash a scan, and each file is parsed or reported."
import string
from pathlib import Path
import pytest
from hypothesis import given, settings, HealthCheck, strategies as st
import ser_nb.parsers  # registers the parsers
from ser_nb.corpora import CORPORA, Unparsed, Excluded, list_corpora

_CHARS = string.ascii_letters + string.digits + "_-. ()'éü"
_part = st.text(_CHARS, min_size=1, max_size=24).filter(lambda s: s not in (".", ".."))
# names close to the real conventions, so that the parsers' deeper branches run too
_near = st.sampled_from(["03a01Wa", "Actor_01/03-01-05-01-01-01-01", "OAF_back_angry", "DC_a01", "a01", "1001_DFA_ANG_XX",
                         "Ses01F_impro01_F000", "female1_angry_1a_1", "03-01-01-01-01-01-01", "0011_000001", "dia0_utt0",
                         "bea_amused_1-15_0001", "OA_bite_neutral", "spk01f_angry_t01", "n16"])
_file = st.builds(lambda folders, stem, ext: "/".join([*folders, stem]) + ext,
                  st.lists(_part, max_size=3), st.one_of(_part, _near), st.sampled_from([".wav", ".WAV", ".flac", ".mp3"]))

@pytest.mark.parametrize("name", list_corpora())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(_file, max_size=12, unique=True))
def test_parser_never_crashes(tmp_path, name, files):
    out = list(CORPORA[name].parse(Path(tmp_path), files))
    seen = []
    for rec in out:
        if isinstance(rec, (Unparsed, Excluded)):
            assert rec.path in files and rec.reason, rec
            seen.append(rec.path)
        else:
            assert isinstance(rec, dict) and rec["path"] in files and rec.get("speaker") and rec.get("emotion"), rec
            seen.append(rec["path"])
    assert sorted(seen) == sorted(files)   # every file either parsed or reported, exactly once
