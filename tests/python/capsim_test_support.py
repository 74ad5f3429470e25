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
