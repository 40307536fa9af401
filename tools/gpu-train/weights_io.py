"""
Weight files for the GPU trainer, with numpy alone (no torch), so they can be tested anywhere.

Two layouts hold the same arrays in the same order (lstm_0/kernel, lstm_0/recurrent_kernel,
lstm_0/bias, ..., output/kernel, output/bias), in tfjs' shapes ([in, 4u] kernels, Keras gate
order i, f, c, o):

- a trainer run: weights.json (names and shapes) with weights.f32, little-endian float32, or, when
  that would exceed `part_bytes`, weights.f32.part0, .part1, ... to be read back in order (the
  device machine returns files of at most 16 MiB);
- a tfjs model folder (models/<id>/): model.json's weightsManifest with weights.bin, float32 or
  float16 (tfjs quantization), which is what `npm run train:import` writes.

read_weights() takes either, so training can resume from a shipped model as well as from a run.
"""
import json
import os

import numpy as np

PART_BYTES = 15 * 1024 * 1024


def write_weights(out_dir, named_arrays, part_bytes=PART_BYTES):
    """Writes the arrays as float32; returns the file names written, in reading order."""
    data = b"".join(np.ascontiguousarray(a, dtype="<f4").tobytes() for _, a in named_arrays)
    for name in os.listdir(out_dir):
        if name == "weights.f32" or name.startswith("weights.f32.part"):
            os.remove(os.path.join(out_dir, name))
    if len(data) <= part_bytes:
        names = ["weights.f32"]
        chunks = [data]
    else:
        chunks = [data[i : i + part_bytes] for i in range(0, len(data), part_bytes)]
        names = [f"weights.f32.part{i}" for i in range(len(chunks))]
    for name, chunk in zip(names, chunks):
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(chunk)
    return names


def run_weight_files(run_dir):
    """weights.f32, or its parts in numeric order."""
    whole = os.path.join(run_dir, "weights.f32")
    if os.path.exists(whole):
        return [whole]
    parts = [n for n in os.listdir(run_dir) if n.startswith("weights.f32.part")]
    parts.sort(key=lambda n: int(n[len("weights.f32.part") :]))
    if not parts:
        raise FileNotFoundError(f"{run_dir}: no weights.f32 or weights.f32.part0")
    return [os.path.join(run_dir, n) for n in parts]


def read_weights(folder):
    """[(name, float32 array)] from a trainer run or a tfjs model folder, plus its vocabulary."""
    if os.path.exists(os.path.join(folder, "model.json")):
        return _read_tfjs_model(folder)
    with open(os.path.join(folder, "weights.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    data = b"".join(_read_bytes(p) for p in run_weight_files(folder))
    floats = np.frombuffer(data, dtype="<f4")
    return _split(floats, [(w["name"], w["shape"]) for w in manifest["weights"]], folder), manifest["vocab"]


def _read_tfjs_model(folder):
    with open(os.path.join(folder, "model.json"), encoding="utf-8") as f:
        model = json.load(f)
    with open(os.path.join(folder, "meta.json"), encoding="utf-8") as f:
        vocab = json.load(f)["vocab"]
    arrays = []
    for group in model["weightsManifest"]:
        data = b"".join(_read_bytes(os.path.join(folder, os.path.basename(p))) for p in group["paths"])
        offset = 0
        for spec in group["weights"]:
            size = int(np.prod(spec["shape"], dtype=np.int64))
            stored = (spec.get("quantization") or {}).get("dtype", spec["dtype"])
            if stored == "float32":
                values = np.frombuffer(data, dtype="<f4", count=size, offset=offset)
                offset += 4 * size
            elif stored == "float16":
                values = np.frombuffer(data, dtype="<f2", count=size, offset=offset).astype(np.float32)
                offset += 2 * size
            else:
                raise ValueError(f"{folder}: {spec['name']} is stored as {stored}, expected float32 or float16")
            arrays.append((spec["name"], values.reshape(spec["shape"]).copy()))
        if offset != len(data):
            raise ValueError(f"{folder}: weights hold {len(data)} bytes, the manifest describes {offset}")
    return arrays, vocab


def _read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def _split(floats, specs, where):
    arrays, offset = [], 0
    for name, shape in specs:
        size = int(np.prod(shape, dtype=np.int64))
        if offset + size > floats.size:
            raise ValueError(f"{where}: weights end inside {name}")
        arrays.append((name, floats[offset : offset + size].reshape(shape).copy()))
        offset += size
    if offset != floats.size:
        raise ValueError(f"{where}: {floats.size - offset} values too many")
    return arrays
