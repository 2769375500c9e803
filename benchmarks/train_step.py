"""Seconds per training step of each from-scratch family's recipe network (forward, loss, backward), one torch thread.

Run: .venv/bin/python benchmarks/train_step.py [--batch 32] [--steps 6]
A batch of `--batch` random sequences of 150-300 frames (the recipes' 3 s training crops) in each family's input
(3-D log-mel: 120 values per frame; MFCC with deltas: 39). Also prints the recipes' networks as they were before this
script: bidirectional RNNs over packed sequences and conv blocks with ReLU before pooling in the default memory layout,
so the figures compare on one machine (median of the steps after the first)."""
import argparse, time
import numpy as np
import torch
from torch import nn

def _packed(rnn, x, lengths):   # the packed run (what RNN and CRNN did before `bidirectional`)
    h, _ = rnn(nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False))
    return nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])[0]

def _plain_blocks(model):   # ReLU before pooling, contiguous weights (the conv blocks before)
    if hasattr(model, "blocks"):
        for b in model.blocks: b[2], b[3] = b[3], b[2]
        model.blocks.to(memory_format=torch.contiguous_format)
    return model

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--steps", type=int, default=6)
    a = ap.parse_args()
    import ser_nb.models as M
    from ser_nb.models import build_model
    from ser_nb.train import recipe
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(0)
    lengths = torch.randint(150, 301, (a.batch,), generator=g)
    lengths[0] = 300
    y = torch.randint(0, 7, (a.batch,), generator=g)
    fast = M.bidirectional
    print(f"{'family':12s} {'input':>6s} {'s/step now':>11s} {'s/step before':>14s} {'speed-up':>9s}")
    for fam in ("cnn2d", "crnn", "bilstm", "bigru", "transformer"):
        r = recipe(fam)
        n_in = 120 if isinstance(r["features"], dict) else 39
        x = torch.randn(a.batch, 300, n_in, generator=g)
        params = {k: v for k, v in r["params"].items() if k not in ("epochs", "patience", "lr", "batch_size", "max_frames", "spec_augment")}
        times = {}
        for mode in ("now", "before"):
            torch.manual_seed(0)
            model = build_model(fam, n_in, 7, **params).train()
            if mode == "before": _plain_blocks(model)
            M.bidirectional = fast if mode == "now" else _packed
            ts = []
            for _ in range(a.steps):
                t = time.perf_counter()
                nn.functional.cross_entropy(model(x, lengths), y).backward()
                ts.append(time.perf_counter() - t)
            times[mode] = float(np.median(ts[1:]))
        M.bidirectional = fast
        print(f"{fam:12s} {n_in:6d} {times['now']:11.3f} {times['before']:14.3f} {times['before']/times['now']:8.1f}x", flush=True)

if __name__ == "__main__": main()
