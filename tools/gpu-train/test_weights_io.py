"""python3 -m unittest discover -s tools/gpu-train  (numpy only; no torch, no GPU)"""
import json
import os
import tempfile
import unittest

import numpy as np

from weights_io import read_weights, write_weights

SPECS = [("lstm_0/kernel", [5, 8]), ("lstm_0/recurrent_kernel", [2, 8]), ("lstm_0/bias", [8]),
         ("output/kernel", [2, 5]), ("output/bias", [5])]


def arrays(seed=0):
    rng = np.random.default_rng(seed)
    return [(n, rng.standard_normal(s).astype(np.float32)) for n, s in SPECS]


def run_folder(d, named, part_bytes):
    write_weights(d, named, part_bytes=part_bytes)
    with open(os.path.join(d, "weights.json"), "w", encoding="utf-8") as f:
        json.dump({"format": 1, "vocab": list("abcde"), "units": [2],
                   "weights": [{"name": n, "shape": list(a.shape)} for n, a in named]}, f)


class WeightsIoTest(unittest.TestCase):
    def test_run_folder_round_trip_whole_and_in_parts(self):
        named = arrays()
        for part_bytes, files in [(1 << 20, ["weights.f32"]), (24, None)]:
            with tempfile.TemporaryDirectory() as d:
                run_folder(d, named, part_bytes)
                written = sorted(os.listdir(d))
                if files:
                    self.assertIn("weights.f32", written)
                else:
                    self.assertNotIn("weights.f32", written)
                    self.assertIn("weights.f32.part10", written)  # numeric order matters past 9
                back, vocab = read_weights(d)
                self.assertEqual(vocab, list("abcde"))
                self.assertEqual([n for n, _ in back], [n for n, _ in named])
                for (_, a), (_, b) in zip(named, back):
                    np.testing.assert_array_equal(a, b)

    def test_rewriting_removes_stale_parts(self):
        with tempfile.TemporaryDirectory() as d:
            run_folder(d, arrays(1), 64)
            run_folder(d, arrays(2), 1 << 20)
            self.assertFalse(any(n.startswith("weights.f32.part") for n in os.listdir(d)))
            np.testing.assert_array_equal(read_weights(d)[0][0][1], arrays(2)[0][1])

    def test_tfjs_model_folder_float32_and_float16(self):
        named = arrays(3)
        with tempfile.TemporaryDirectory() as d:
            specs, blobs = [], []
            for i, (n, a) in enumerate(named):
                half = i % 2 == 1
                blobs.append(a.astype("<f2" if half else "<f4").tobytes())
                spec = {"name": n, "shape": list(a.shape), "dtype": "float32"}
                if half:
                    spec["quantization"] = {"dtype": "float16", "original_dtype": "float32"}
                specs.append(spec)
            with open(os.path.join(d, "weights.bin"), "wb") as f:
                f.write(b"".join(blobs))
            with open(os.path.join(d, "model.json"), "w", encoding="utf-8") as f:
                json.dump({"weightsManifest": [{"paths": ["weights.bin"], "weights": specs}]}, f)
            with open(os.path.join(d, "meta.json"), "w", encoding="utf-8") as f:
                json.dump({"vocab": list("abcde")}, f)
            back, vocab = read_weights(d)
            self.assertEqual(vocab, list("abcde"))
            for i, ((_, a), (_, b)) in enumerate(zip(named, back)):
                expected = a.astype(np.float16).astype(np.float32) if i % 2 == 1 else a
                np.testing.assert_array_equal(expected, b)

    def test_truncated_run_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            run_folder(d, arrays(), 1 << 20)
            path = os.path.join(d, "weights.f32")
            with open(path, "rb") as f:
                data = f.read()
            with open(path, "wb") as f:
                f.write(data[:-8])
            with self.assertRaisesRegex(ValueError, "weights end inside output/bias"):
                read_weights(d)


if __name__ == "__main__":
    unittest.main()
