"""Shared helpers for capsim's Python tests: where the binary and the traces are, and running it."""
import json
import os
import subprocess
import unittest
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TRACES = Path(os.environ.get("CAPSIM_TRACES", REPO_ROOT / "scenarios" / "traces"))


def capsim_bin():
    path = os.environ.get("CAPSIM_BIN")
    if not path:
        raise unittest.SkipTest("CAPSIM_BIN is not set (ctest sets it to the built capsim)")
    return path


def run_capsim(*args, check=False):
    """Runs capsim with the given arguments; returns the CompletedProcess (text mode)."""
    result = subprocess.run([capsim_bin(), *map(str, args)], capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"capsim {' '.join(map(str, args))} failed ({result.returncode}): {result.stderr}")
    return result


def replay_json(*args):
    """Runs `capsim replay ... --json` and returns the summary dictionary."""
    result = run_capsim("replay", *args, "--json", check=True)
    return json.loads(result.stdout)


def different_datasets(a, b):
    """The datasets that two results files do not share, or whose types, shapes or bits differ (NaN
    included): an empty list when one is the other bit for bit."""
    import h5py
    import numpy as np

    def read(path):
        out = {}
        with h5py.File(path, "r") as f:
            f.visititems(lambda name, obj: out.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
        return out

    da, db = read(a), read(b)
    differ = sorted(set(da) ^ set(db))
    for name in sorted(set(da) & set(db)):
        x, y = np.asarray(da[name]), np.asarray(db[name])
        if x.dtype != y.dtype or x.shape != y.shape:
            differ.append(name)
        elif x.dtype.kind == "f":
            bits = np.dtype(f"u{x.dtype.itemsize}")
            if not np.array_equal(x.view(bits), y.view(bits)):
                differ.append(name)
        elif not np.array_equal(x, y):
            differ.append(name)
    return differ
