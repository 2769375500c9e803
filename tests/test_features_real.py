"Every feature set gives finite arrays of the documented shapes on real EmoDB and RAVDESS files (a few of each)."
import os
import numpy as np
import pytest
from conftest import SHARED, shared_corpus

SHAPES = {"logmel": (None, 64), "logmel:n_mels=80": (None, 80), "mfcc": (None, 39), "mfcc:n_mfcc=40": (None, 120),
          "spectral": (None, 21), "prosody": (15,), "functionals:mfcc": (312,), "functionals:logmel": (512,),
          "egemaps": (88,), "compare": (6373,)}

@pytest.fixture(scope="module", params=["emodb", "ravdess"])
def sample(request, tmp_path_factory):
    from ser_nb.corpora import scan_corpus
    m = scan_corpus(request.param, shared_corpus(request.param), progress=False).manifest
    # a few files: every emotion's first file, and RAVDESS's stereo files are among the ones checked below
    sub = m.groupby("emotion").head(1)
    if request.param == "ravdess": sub = m[m.channels > 1].head(2).combine_first(sub)
    sub.attrs = dict(m.attrs)
    return sub, tmp_path_factory.mktemp("cache")

@pytest.mark.parametrize("name", list(SHAPES))
def test_feature_shapes(sample, name):
    from ser_nb.features import extract_features
    m, cache = sample
    F = extract_features(m, name, cache=cache, workers=1, progress=False)
    assert len(F.ids) == len(m) and F.failed.empty
    arrays = F.data if F.kind == "frames" else list(F.X)
    for a, dur in zip(arrays, m.loc[F.ids].duration_s):
        assert np.isfinite(a).all()
        want = SHAPES[name]
        if want[0] is None:
            assert a.shape[1] == want[1] and abs(a.shape[0] - dur*100) <= 2
        else: assert a.shape == want

def test_ssl_whisper_base(sample):
    model = SHARED/"models"/"whisper-base-encoder"
    if not model.is_dir(): pytest.skip("whisper-base encoder not present")
    from ser_nb.features import extract_features
    m, cache = sample
    F = extract_features(m.head(3), f"ssl:{model}", cache=cache, progress=False)
    assert F.X.shape == (3, 7, 1024) and np.isfinite(F.X).all()
