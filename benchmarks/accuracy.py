"""Accuracy of every model family on EmoDB, leave-one-speaker-out, 7 classes (the peers' protocol).

Run: .venv/bin/python benchmarks/accuracy.py [--emodb ../shared/data/emodb] [--whisper ../shared/models/whisper-base-encoder]
                                            [--only NAME,NAME] [--out results/benchmarks/accuracy] [--compare NAME,NAME]
Each configuration is one `run_experiment` (10 folds; one test speaker each). Every choice is made inside the training
side: classical hyper-parameters (and SSL layers/pooling) by speaker-group cross-validation on the training speakers,
neural early stopping on validation speakers drawn from the training speakers. Prints UAR, WA (accuracy) and macro-F1 as
mean ± std over the 10 folds, pooled UAR, and wall time; each finished configuration is appended to results.jsonl in --out,
so an interrupted run keeps what it finished and skips it when run again.
Fine-tuning self-supervised models whole (ssl_finetune, whisper_benchmark) is listed but only run with --finetune (GPU advised);
ssl_top (the top layers on cached frames) runs on CPU.
"""
import argparse, json, os, time
from pathlib import Path
os.environ.setdefault("HF_HUB_OFFLINE", "1")

def configs(whisper):
    from ser_nb.train import recipe
    ssl = {"name": "ssl", "model": whisper, "window": "real"}
    ssl_grid = {"select__layers": ["all", "upper", "last"], "select__pooling": ["mean", "meanstd"]}
    ft_cpu = dict(epochs=3, patience=3, max_frames=16000*3)
    nn = dict(epochs=20, patience=6, lr=1e-3, batch_size=16, max_frames=300)   # 3 s random training crops: half the cost of 8 s on CPU
    rnn = {**nn, "epochs": 12, "patience": 4}
    mel40, mel3d = {"name": "logmel", "n_mels": 40}, {"name": "logmel", "n_mels": 40, "deltas": True}
    # each recipe as it was before the changes the levers below measured: the 2-D CNN scored whole utterances (no `segments`),
    # the BiLSTM read 39 MFCCs, both recurrent families one frame per step (no `subsample`), the BiGRU 2 layers of 64 units per
    # direction, the Transformer 2 frames per token, d_model 64, feed-forward 128, mean pooling; and none refitted its network on
    # the validation speakers after early stopping (`refit`)
    prior_params = {"cnn2d": {"segments": False}, "bilstm": {"subsample": 1}, "bigru": {"subsample": 1, "hidden": 64, "layers": 2},
                    "transformer": {"subsample": 2, "d_model": 64, "ff": 128, "pool": "mean"}}
    prior = lambda fam: {**recipe(fam)["params"], "refit": False, **prior_params.get(fam, {})}
    norefit = lambda fam: {**recipe(fam)["params"], "refit": False}   # each recipe as it is, but for the refit
    prior_features = lambda fam: "mfcc" if fam == "bilstm" else recipe(fam)["features"]
    crnn = dict(epochs=25, patience=6, lr=1e-3, batch_size=32, max_frames=300, spec_augment=True, channels=[16, 32], hidden=64)   # measured per epoch on one thread: BiGRU 21.5 s, BiLSTM 34.4 s; a shorter budget
    return [
        ("egemaps+svm_linear", dict(features="egemaps", model="svm_linear")),
        ("egemaps+svm_linear spk-norm", dict(features="egemaps", model="svm_linear", norm="speaker")),
        ("egemaps+svm_rbf", dict(features="egemaps", model="svm_rbf")),
        ("egemaps+svm_rbf spk-norm", dict(features="egemaps", model="svm_rbf", norm="speaker")),
        ("whisper-base+logreg", dict(features=ssl, model="logreg", grid=ssl_grid)),
        ("whisper-base+logreg spk-norm", dict(features=ssl, model="logreg", grid=ssl_grid, norm="speaker")),
        ("whisper-base all layers mean+logreg", dict(features=ssl, model="logreg", grid={"select__layers": ["all"], "select__pooling": ["mean"]})),
        ("whisper-base all layers mean+logreg spk-norm", dict(features=ssl, model="logreg", norm="speaker", grid={"select__layers": ["all"], "select__pooling": ["mean"]})),
        ("logmel+crnn", dict(features="logmel", model="crnn", model_params={**nn, "spec_augment": True})),
        ("logmel+crnn spk-norm", dict(features="logmel", model="crnn", norm="speaker", model_params={**nn, "spec_augment": True})),
        ("egemaps+logreg", dict(features="egemaps", model="logreg")),
        ("egemaps+logreg spk-norm", dict(features="egemaps", model="logreg", norm="speaker")),
        ("egemaps+rf", dict(features="egemaps", model="rf")),
        ("egemaps+knn", dict(features="egemaps", model="knn")),
        ("egemaps+mlp", dict(features="egemaps", model="mlp")),
        ("egemaps+gmm", dict(features="egemaps", model="gmm")),
        ("whisper-base+ssl_frozen", dict(features=ssl, model="ssl_frozen", model_params=nn)),
        ("logmel+cnn2d", dict(features="logmel", model="cnn2d", model_params=nn)),
        ("mfcc+cnn1d", dict(features="mfcc", model="cnn1d", model_params=nn)),
        ("mfcc+bilstm", dict(features="mfcc", model="bilstm", model_params=rnn)),
        ("mfcc+bigru", dict(features="mfcc", model="bigru", model_params=rnn)),
        ("mfcc+transformer", dict(features="mfcc", model="transformer", model_params=nn)),
        # the CNN-LSTM's levers, one at a time (README ablation): 40-band log-mel, 3 s training crops, SpecAugment, then the 3-D input
        # (static, delta, delta-delta as channels), per-speaker normalisation and mixup
        ("logmel40+crnn-small", dict(features=mel40, model="crnn", model_params=crnn)),
        ("logmel40-3d+crnn-small", dict(features=mel3d, model="crnn", model_params={**crnn, "in_channels": 3})),
        ("logmel40-3d+crnn-small spk-norm", dict(features=mel3d, model="crnn", norm="speaker", model_params={**crnn, "in_channels": 3})),
        ("logmel40-3d+crnn-small spk-norm mixup", dict(features=mel3d, model="crnn", norm="speaker",
                                                       model_params={**crnn, "in_channels": 3, "mixup": 0.2})),
        ("logmel40-3d+crnn-small spk-norm 50 epochs", dict(features=mel3d, model="crnn", norm="speaker",
                                                           model_params={**crnn, "in_channels": 3, "epochs": 50, "patience": 10})),
        ("logmel40-3d+crnn-wide spk-norm 50 epochs", dict(features=mel3d, model="crnn", norm="speaker",
                                                          model_params={**crnn, "in_channels": 3, "epochs": 50, "patience": 10,
                                                                        "channels": [32, 64], "hidden": 128})),
        ("logmel40-3d+crnn-wide spk-norm 50 epochs speed x2", dict(features=mel3d, model="crnn", norm="speaker", augment={"steps": ["speed"], "copies": 2},
                                                                   model_params={**crnn, "in_channels": 3, "epochs": 50, "patience": 10,
                                                                                 "channels": [32, 64], "hidden": 128})),
        # lever: two speed-perturbed copies (factor 0.9-1.1) of every training row (run_experiment's augment), on the CNN-LSTM recipe
        # (measured on the recipe of its day, the small network: pinned here, since the recipe is now the wide one above)
        ("recipe crnn spk-norm speed x2", dict(features=mel3d, model="crnn", norm="speaker", augment={"steps": ["speed"], "copies": 2},
                                              model_params={**crnn, "in_channels": 3, "epochs": 50, "patience": 10})),
        # levers on the recipes: validation and test utterances scored on 3 s windows, half overlapping, their posteriors averaged
        # (TrainConfig.segments); length-bucketed training batches (TrainConfig.bucket)
        *[(f"recipe {fam} spk-norm {lever}", dict(features=prior_features(fam), model=fam, norm="speaker",
                                                 model_params={**prior(fam), lever: True}))
          for fam in ("crnn", "bigru", "cnn2d") for lever in ("segments", "bucket")],
        # the study's recipes (train.RECIPES, what `recipe: true` fills in), each family with per-speaker normalisation
        *[(f"recipe {fam} spk-norm", dict(features=recipe(fam)["features"], model=fam, norm="speaker", model_params=recipe(fam)["params"]))
          for fam in ("cnn2d", "bigru", "bilstm", "transformer", "cnn1d", "crnn")],
        # levers on the 2-D CNN (M1), measured on its earlier recipe, which averaged each frame's conv maps over frequency (pinned
        # here as freq-mean): the class's default width (conv 32/64/128 instead of 16/32/64), attention pooling over time; then
        # the maps flattened over frequency (channels x bands) is now the recipe
        *[(f"recipe cnn2d spk-norm freq-mean{suffix}", dict(features=recipe("cnn2d")["features"], model="cnn2d", norm="speaker",
                                                          model_params={**prior("cnn2d"), "freq": "mean", **extra}))
          for suffix, extra in (("", {}), (" wide", {"channels": [32, 64, 128]}), (" attention", {"pool": "attention"}))],
        ("recipe cnn2d", dict(features=recipe("cnn2d")["features"], model="cnn2d", model_params=norefit("cnn2d"))),   # the training-fold scaler
        ("recipe cnn2d whole", dict(features=recipe("cnn2d")["features"], model="cnn2d", model_params=prior("cnn2d"))),
        # the earlier recipes, pinned
        *[(name, dict(features=prior_features(fam), model=fam, norm="speaker", model_params=prior(fam)))
          for name, fam in (("recipe cnn2d spk-norm whole", "cnn2d"), ("recipe bilstm mfcc spk-norm", "bilstm"), ("recipe bigru spk-norm frames", "bigru"),
                            ("recipe transformer spk-norm stack2", "transformer"))],
        # lever: statistics pooling (mean and standard deviation over time) on the recipes
        *[(f"recipe {fam} spk-norm stats", dict(features=prior_features(fam), model=fam, norm="speaker",
                                               model_params={**prior(fam), "pool": "stats"}))
          for fam in ("cnn2d", "bigru", "bilstm", "transformer")],
        # lever: the recurrent and attention families on the CNN-LSTM's 3-D log-mel input (120 values per frame) instead of 39 MFCCs
        *[(f"recipe {fam} logmel40-3d spk-norm", dict(features=mel3d, model=fam, norm="speaker", model_params=prior(fam)))
          for fam in ("transformer", "bigru")],
        # lever: the recurrent families stack 3 frames of 10 ms into one step of 30 ms (RNN(subsample=3)): a 3 times shorter recurrence
        *[(f"recipe {fam} spk-norm stack3", dict(features=prior_features(fam), model=fam, norm="speaker", model_params={**prior(fam), "subsample": 3}))
          for fam in ("bilstm", "bigru")],
        # the BiLSTM stacking 3 frames of the CNN-LSTM's 3-D log-mel input (as the BiGRU recipe reads) instead of 39 MFCCs (the recipe now)
        ("recipe bilstm logmel40-3d spk-norm stack3", dict(features=mel3d, model="bilstm", norm="speaker", model_params={**prior("bilstm"), "subsample": 3})),
        # 5, then 8 frames per step on the 3-D log-mel input (5 is the recipe now)
        *[(f"recipe {fam} spk-norm stack{k}", dict(features=mel3d, model=fam, norm="speaker", model_params={**prior(fam), "subsample": k}))
          for k in (5, 8) for fam in ("bilstm", "bigru")],
        # the same lever on the Transformer, which stacked 2 frames into a token (TransformerNet's default): 4 frames of 10 ms per token
        # (the recipe now), then 6
        *[(f"recipe transformer spk-norm stack{k}", dict(features=recipe("transformer")["features"], model="transformer", norm="speaker",
                                                        model_params={**prior("transformer"), "subsample": k}))
          for k in (4, 6)],
        # levers on the stacked recipes, named by what they pin: windows scored (segments) on the BiLSTM; the Transformer on the
        # 3-D log-mel input with 4 frames per token
        ("recipe bilstm logmel40-3d stack5 spk-norm segments", dict(features=mel3d, model="bilstm", norm="speaker",
                                                                   model_params={**prior("bilstm"), "subsample": 5, "segments": True})),
        ("recipe transformer logmel40-3d stack4 spk-norm", dict(features=mel3d, model="transformer", norm="speaker",
                                                               model_params={**prior("transformer"), "subsample": 4})),
        # levers on the BiGRU recipe (3-D log-mel, 5 frames per step), each kept or dropped by validation UAR: 128 units per
        # direction instead of 64 (kept); on 128 units, attention pooling over time instead of the mean, validation and test
        # utterances scored on 3 s windows (`segments`), three recurrent layers instead of two (kept, the recipe now)
        *[(f"recipe bigru logmel40-3d stack5 {name}", dict(features=mel3d, model="bigru", norm="speaker",
                                                          model_params={**prior("bigru"), "subsample": 5, **extra}))
          for name, extra in (("spk-norm hidden128", {"hidden": 128}), ("hidden128 spk-norm attention", {"hidden": 128, "pool": "attention"}),
                              ("hidden128 spk-norm segments", {"hidden": 128, "segments": True}), ("hidden128 spk-norm 3 layers", {"hidden": 128, "layers": 3}))],
        # levers on the Transformer recipe (MFCCs, 4 frames per token): d_model 128 and feed-forward 256 (the class's defaults)
        # instead of 64 and 128 (kept); then attention pooling over time instead of the mean (kept, the recipe now)
        *[(f"recipe transformer mfcc stack4 {name}", dict(features="mfcc", model="transformer", norm="speaker",
                                                         model_params={**prior("transformer"), "subsample": 4, "d_model": 128, "ff": 256, **extra}))
          for name, extra in (("spk-norm d128", {}), ("d128 spk-norm attention", {"pool": "attention"}))],
        # the recipes without the refit (TrainConfig.refit: after early stopping, a fresh network trained on the training and
        # validation speakers together for the epochs the validation speakers chose), as they were before it entered them;
        # `recipe FAMILY spk-norm` above is the recipe with it
        *[(f"recipe {fam} spk-norm no-refit", dict(features=recipe(fam)["features"], model=fam, norm="speaker", model_params=norefit(fam)))
          for fam in ("transformer", "bigru", "crnn", "bilstm", "cnn2d", "cnn1d")],
        # the recipes as they are (refit included) on the training-fold scaler instead of per-speaker normalisation: the framework
        # issue asks for each family with and without it (`recipe FAMILY spk-norm` above is the recipe with it)
        *[(f"recipe {fam} fold-scaler", dict(features=recipe(fam)["features"], model=fam, model_params=recipe(fam)["params"]))
          for fam in ("transformer", "bilstm", "cnn2d", "bigru", "crnn")],
        # fine-tuning on CPU: Whisper-base's top three layers on cached layer-3 frames, the head probed first (LP-FT; train.SSL_PRESETS),
        # then probed again and fine-tuned on every training speaker for the chosen epochs (refit); and as it was before the refit
        ("whisper-base top 3 layers fine-tuned (ssl_top)", dict(features={"name": "ssl_frames", "model": whisper}, model="ssl_top")),
        ("whisper-base top 3 layers fine-tuned (ssl_top) no-refit", dict(features={"name": "ssl_frames", "model": whisper}, model="ssl_top",
                                                                        model_params={"refit": False})),
        # the same from the layer-2 frames: the top four layers fine-tuned, the head on the mean of states 2-6 (hidden state 2 scores
        # best alone, the frozen search chose all seven states in most folds: the upper ones alone start the probe lower)
        ("whisper-base top 4 layers fine-tuned on layer-2 frames (ssl_top)", dict(features={"name": "ssl_frames", "model": whisper, "layer": 2}, model="ssl_top")),
        ("whisper-base ssl_finetune", dict(features="waveform", model="ssl_finetune", model_params={"model": whisper}, finetune=True)),
        ("whisper-base whisper_benchmark", dict(features="waveform", model="whisper_benchmark", model_params={"model": whisper}, finetune=True)),
        # CPU-sized fine-tuning (no GPU lent): 3 epochs on 3 s random training crops (test speakers are heard whole)
        ("whisper-base ssl_finetune cpu", dict(features="waveform", model="ssl_finetune", model_params={"model": whisper, **ft_cpu})),
        ("whisper-base whisper_benchmark cpu", dict(features="waveform", model="whisper_benchmark", model_params={"model": whisper, **ft_cpu})),
    ]

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--emodb", default="../shared/data/emodb"); ap.add_argument("--whisper", default="../shared/models/whisper-base-encoder")
    ap.add_argument("--only", default=""); ap.add_argument("--out", default="results/benchmarks/accuracy")
    ap.add_argument("--finetune", action="store_true"); ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch default); run two configurations side by side with 1 each")
    ap.add_argument("--compare", default="", help="two finished configurations, 'NAME,NAME': paired comparison over the 10 test speakers")
    a = ap.parse_args()
    if a.compare: return compare(Path(a.out), *a.compare.split(","))
    if a.threads:
        import torch; torch.set_num_threads(a.threads)
    from ser_nb.corpora import scan_corpus
    from ser_nb.experiment import run_experiment
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True); log = out/"results.jsonl"
    done = {json.loads(l)["name"]: json.loads(l) for l in log.read_text().splitlines()} if log.exists() else {}
    man = scan_corpus("emodb", a.emodb, progress=False).manifest
    only = set(filter(None, a.only.split(",")))
    for name, c in configs(a.whisper):
        if (only and name not in only) or name in done: continue
        if c.pop("finetune", False) and not a.finetune: print(f"skipped {name} (needs --finetune)"); continue
        t = time.perf_counter()
        r = run_experiment(man, labels="original", protocol="loso", seed=a.seed, progress=False,
                           out=out/name.replace(" ", "_").replace("+", "_"), **c)
        rec = dict(name=name, **r["summary"], pooled_uar=r["pooled"]["uar"], seconds=time.perf_counter() - t)
        done[name] = rec
        with open(log, "a") as f: f.write(json.dumps(rec) + "\n")
        print(f"finished {name}: UAR {rec['uar_mean']:.3f} in {rec['seconds']:.0f} s", flush=True)
    print(f"\nEmoDB, leave-one-speaker-out, 7 classes, {len(man)} utterances, seed {a.seed}")
    print(f"{'configuration':46s} {'UAR':>13s} {'WA':>13s} {'macro-F1':>13s} {'pooled UAR':>11s} {'wall s':>8s}")
    for name, _ in configs(a.whisper):
        if name in done:
            r = done[name]
            print(f"{name:46s} {r['uar_mean']:.3f}±{r['uar_std']:.3f}  {r['wa_mean']:.3f}±{r['wa_std']:.3f}  "
                  f"{r['macro_f1_mean']:.3f}±{r['macro_f1_std']:.3f} {r['pooled_uar']:11.3f} {r['seconds']:8.0f}")

def compare(out, a, b):
    "The paired comparison of two finished configurations over the test speakers (UAR per speaker, bootstrap CI, paired t and Wilcoxon)."
    import pandas as pd
    from ser_nb.stats import unit_scores, compare_systems, paired_tests
    runs = {n: out/n.replace(" ", "_").replace("+", "_") for n in (a, b)}
    for n, d in runs.items():
        if not (d/"DONE").exists(): raise SystemExit(f"{n}: no finished run in {d}")
    pred = pd.concat([pd.read_parquet(d/"predictions.parquet").assign(system=n, seed=0) for n, d in runs.items()])
    units = unit_scores(pred, ("system", "seed")).rename(columns={"uar": "score"})
    w = units.pivot(index="speaker", columns="system", values="score")
    print(w.round(3).to_string())
    print(compare_systems(units).round(4).T.to_string())
    print(paired_tests(w[a], w[b], (a, b)).round(4).to_string(index=False))

if __name__ == "__main__": main()
