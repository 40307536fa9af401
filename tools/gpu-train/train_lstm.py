#!/usr/bin/env python3
"""
GPU trainer for the bot's character LSTM, for machines with CUDA and PyTorch (tfjs-node-gpu
needs libtensorflow, which not every GPU machine can install). It trains exactly the network
that src/inference/build-model.ts defines -- one-hot input, stacked LSTMs with sigmoid gates in
Keras' (input, forget, cell, output) order, a softmax layer -- on the corpus that `npm run train
-- --prepare-only` wrote to data/prepared/<id>/, and writes the weights in tfjs' order for
`npm run train:import` to turn into models/<id>/.

Training is stateful like generation: the text is cut into `batch` parallel streams and the LSTM
state is carried from one chunk to the next (truncated backpropagation through time), so the
model learns to use context longer than one chunk, as the stateful engine does when it writes.

Usage:
  python3 tools/gpu-train/train_lstm.py --data data/prepared/scifi --out out/scifi \
      --units 512,512 --minutes 5
  --init-from models/scifi (or an earlier --out folder) continues from those weights, so training
  can go on across sessions from the shipped model when no run folder survived.
Outputs (in --out): weights.f32 (little-endian float32, tfjs order; split into weights.f32.part0,
.part1, ... past 15 MiB, the most a GPU machine hands back per file), weights.json (shapes, vocab,
measured bpc/accuracy, history). See weights_io.py. Every --export-every minutes the best weights
so far are written the same way with "complete": false, so a run cut off by a time limit still
leaves an importable model; the last export, at the end, adds the test figures.
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from weights_io import read_weights, write_weights


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class CharLstm(nn.Module):
    def __init__(self, vocab, units, dropout):
        super().__init__()
        self.vocab = vocab
        self.layers = nn.ModuleList()
        size = vocab
        for u in units:
            self.layers.append(nn.LSTM(size, u, batch_first=True))
            size = u
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(size, vocab)
        with torch.no_grad():
            for lstm in self.layers:
                u = lstm.hidden_size
                # unitForgetBias, as the tfjs model is built: forget gate bias 1.
                lstm.bias_ih_l0.zero_()
                lstm.bias_hh_l0.zero_()
                lstm.bias_ih_l0[u:2 * u].fill_(1.0)

    def forward(self, ids, state):
        x = F.one_hot(ids, self.vocab).float()
        new_state = []
        for i, lstm in enumerate(self.layers):
            x, s = lstm(x, None if state is None else state[i])
            new_state.append(s)
            x = self.drop(x)
        return self.out(x), new_state


def load_split(path, index):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    unknown = set(ch for ch in set(text) if ch not in index)
    if unknown:
        log(f"{path}: {len(unknown)} characters outside the vocabulary are dropped")
    return torch.tensor([index[ch] for ch in text if ch in index], dtype=torch.long)


def streams(data, batch):
    length = data.numel() // batch
    return data[: length * batch].view(batch, length)


@torch.no_grad()
def evaluate(model, data, batch, seq, device):
    model.eval()
    s = streams(data, min(batch, max(1, data.numel() // (seq * 4)))).to(device)
    state = None
    total_loss, total_correct, total = 0.0, 0, 0
    for t in range(0, s.size(1) - 1, seq):
        x = s[:, t : t + seq]
        y = s[:, t + 1 : t + 1 + seq]
        x = x[:, : y.size(1)]
        logits, state = model(x, state)
        total_loss += F.cross_entropy(logits.reshape(-1, logits.size(-1)), y.reshape(-1), reduction="sum").item()
        total_correct += (logits.argmax(-1) == y).sum().item()
        total += y.numel()
    model.train()
    loss = total_loss / max(1, total)
    return {"loss": loss, "bpc": loss / math.log(2), "accuracy": total_correct / max(1, total), "chars": total}


@torch.no_grad()
def reference_check(model, data, device):
    """Probabilities after a short prefix, so the importer can prove the tfjs model agrees."""
    model.eval()
    # Full fp32 here, so the importer can hold the tfjs model to a tight tolerance.
    tf32 = torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32
    torch.backends.cudnn.allow_tf32 = torch.backends.cuda.matmul.allow_tf32 = False
    ids = data[:48].to(device).view(1, -1)
    logits, _ = model(ids, None)
    torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32 = tf32
    model.train()
    return {"ids": ids.view(-1).tolist(), "last_probs": torch.softmax(logits[0, -1].float(), -1).tolist()}


def export(model, units, vocab, out_dir, stats):
    named = []
    for name, tensor in tfjs_arrays(model):
        t = tensor.float().contiguous().cpu()
        if not torch.isfinite(t).all():
            raise RuntimeError(f"refusing to export non-finite weights in {name}")
        named.append((name, t.numpy()))
    files = write_weights(out_dir, named)
    with open(os.path.join(out_dir, "weights.json"), "w") as f:
        json.dump({"format": 1, "vocab": vocab, "units": units, "files": files,
                   "weights": [{"name": n, "shape": list(a.shape)} for n, a in named], **stats}, f, indent=1)


def tfjs_arrays(model):
    """The network's weights in tfjs' order and shapes (PyTorch's gate order i, f, g, o is Keras' i, f, c, o)."""
    arrays = []
    for i, lstm in enumerate(model.layers):
        arrays.append((f"lstm_{i}/kernel", lstm.weight_ih_l0.detach().t()))
        arrays.append((f"lstm_{i}/recurrent_kernel", lstm.weight_hh_l0.detach().t()))
        arrays.append((f"lstm_{i}/bias", (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach()))
    arrays.append(("output/kernel", model.out.weight.detach().t()))
    arrays.append(("output/bias", model.out.bias.detach()))
    return arrays


@torch.no_grad()
def init_from(model, folder, vocab):
    """Starts from earlier weights: a trainer run or a models/<id> folder of the same shape and vocabulary."""
    arrays, their_vocab = read_weights(folder)
    if list(their_vocab) != list(vocab):
        raise SystemExit(f"--init-from {folder}: its vocabulary differs from the prepared corpus's")
    ours = tfjs_arrays(model)
    if [(n, tuple(t.shape)) for n, t in ours] != [(n, a.shape) for n, a in arrays]:
        raise SystemExit(f"--init-from {folder}: its layers differ from --units")
    values = dict(arrays)
    for i, lstm in enumerate(model.layers):
        lstm.weight_ih_l0.copy_(torch.from_numpy(values[f"lstm_{i}/kernel"]).t())
        lstm.weight_hh_l0.copy_(torch.from_numpy(values[f"lstm_{i}/recurrent_kernel"]).t())
        # tfjs keeps one bias per gate; PyTorch adds two, so one carries it all.
        lstm.bias_ih_l0.copy_(torch.from_numpy(values[f"lstm_{i}/bias"]))
        lstm.bias_hh_l0.zero_()
    model.out.weight.copy_(torch.from_numpy(values["output/kernel"]).t())
    model.out.bias.copy_(torch.from_numpy(values["output/bias"]))
    log(f"weights initialised from {folder}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--units", default="512,512")
    p.add_argument("--seq", type=int, default=256)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--min-lr", type=float, default=5e-5)
    p.add_argument("--dropout", type=float, default=0.25)
    p.add_argument("--minutes", type=float, default=5)
    p.add_argument("--eval-every", type=float, default=20, help="seconds between validations")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--init-from", help="start from a trainer run or a models/<id> folder of the same shape")
    p.add_argument("--export-every", type=float, default=2,
                   help="minutes between exports of the best weights so far (0: only at the end)")
    args = p.parse_args()

    torch.manual_seed(args.seed)
    # TF32 tensor cores for cuDNN's LSTM and the matmuls: fp32 weights, a few times the speed.
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.data, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    index = {ch: i for i, ch in enumerate(vocab)}
    train = load_split(os.path.join(args.data, "train.txt"), index)
    valid = load_split(os.path.join(args.data, "valid.txt"), index)
    test = load_split(os.path.join(args.data, "test.txt"), index)
    units = [int(u) for u in args.units.split(",")]
    log(f"device={device} vocab={len(vocab)} units={units} train={train.numel()} valid={valid.numel()} test={test.numel()}")

    model = CharLstm(len(vocab), units, args.dropout)
    if args.init_from:
        init_from(model, args.init_from, vocab)
    model = model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    budget = args.minutes * 60
    start = time.time()
    last_eval = start
    best = {"loss": float("inf")}
    best_state = None
    history = []
    step, seen, epoch, skipped = 0, 0, 0, 0
    gen = torch.Generator().manual_seed(args.seed)

    def run_stats():
        elapsed = time.time() - start
        return {
            "trainer": "tools/gpu-train/train_lstm.py",
            "device": torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu",
            "torch": torch.__version__,
            "minutes": round(elapsed / 60, 2),
            "steps": step,
            "epochs": round(seen / max(1, train.numel()), 2),
            "chars_seen": seen,
            "chars_per_s": round(seen / max(elapsed, 1e-9)),
            "non_finite_steps": skipped,
            "hyper": {"seq": args.seq, "batch": args.batch, "lr": args.lr, "dropout": args.dropout},
            "init_from": args.init_from,
            "validation": best,
            "history": history,
        }

    last_export = time.time()

    def save_best(metrics):
        nonlocal best, best_state, last_export
        if metrics["loss"] < best["loss"]:
            best = metrics
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            # A run cut short (a machine's time limit) still leaves its best weights so far,
            # complete and importable; only the test figures wait for the end.
            if args.export_every > 0 and time.time() - last_export >= args.export_every * 60:
                last_export = time.time()
                export(model, units, vocab, args.out,
                       {**run_stats(), "complete": False, "check": reference_check(model, test, device)})
                log(f"exported the best weights so far (validation bpc {best['bpc']:.4f})")

    done = False
    while not done:
        epoch += 1
        offset = int(torch.randint(0, args.seq, (1,), generator=gen))
        s = streams(train[offset:], args.batch).to(device)
        state = None
        for t in range(0, s.size(1) - 1, args.seq):
            elapsed = time.time() - start
            if elapsed >= budget:
                done = True
                break
            lr = args.min_lr + 0.5 * (args.lr - args.min_lr) * (1 + math.cos(math.pi * min(1.0, elapsed / budget)))
            for g in opt.param_groups:
                g["lr"] = lr
            x = s[:, t : t + args.seq]
            y = s[:, t + 1 : t + 1 + args.seq]
            x = x[:, : y.size(1)]
            if state is not None:
                state = [(h.detach(), c.detach()) for h, c in state]
            logits, state = model(x, state)
            loss = F.cross_entropy(logits.reshape(-1, len(vocab)), y.reshape(-1))
            if not torch.isfinite(loss):
                # Roll back to the best weights, lower the rate, and go on.
                skipped += 1
                log(f"non-finite loss at step {step}; restoring best weights and halving the learning rate")
                if best_state is not None:
                    model.load_state_dict(best_state)
                args.lr /= 2
                opt = torch.optim.Adam(model.parameters(), lr=args.lr)
                state = None
                continue
            opt.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            seen += y.numel()
            if time.time() - last_eval >= args.eval_every:
                last_eval = time.time()
                v = evaluate(model, valid, args.batch, args.seq, device)
                save_best(v)
                row = {"t": round(last_eval - start, 1), "step": step, "epoch": epoch, "chars": seen,
                       "train_loss": loss.item(), "lr": lr, **{f"val_{k}": val for k, val in v.items()}}
                history.append(row)
                log(json.dumps(row))
    v = evaluate(model, valid, args.batch, args.seq, device)
    save_best(v)
    model.load_state_dict(best_state)
    test_metrics = evaluate(model, test, args.batch, args.seq, device)
    stats = {**run_stats(), "complete": True, "test": test_metrics, "check": reference_check(model, test, device)}
    export(model, units, vocab, args.out, stats)
    log(json.dumps({"validation_bpc": best["bpc"], "test_bpc": test_metrics["bpc"], "test_accuracy": test_metrics["accuracy"], "chars_per_s": stats["chars_per_s"]}))


if __name__ == "__main__":
    main()
