#!/usr/bin/env python3
"""Digests of everything capsim writes for the bundled traces, scenarios and small studies, so that a
refactor can show it changes no result, bit for bit.

Each case is one capsim command. A file's digest is one SHA-256 (its first 64 bits) per dataset (its path, type, shape and
raw bytes) and one for each object's attributes, leaving out only what describes the run rather than
its results: wall times and speeds, the revision that wrote the file, the scenario's path, and the
number of scheduling passes (an implementation detail that a faster scheduler may change).

    results_digest.py check [CASE ...]    compare with tests/digests/*.txt (exit 1 on a difference)
    results_digest.py update [CASE ...]   rewrite those files (only for a deliberate change of behaviour,
                                          in its own commit that says why)
    results_digest.py list                the case names

CAPSIM_BIN names the binary (ctest sets it). Cases run two at a time."""
import hashlib
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import h5py
import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]
DIGESTS = REPO_ROOT / "tests" / "digests"
TRACES = REPO_ROOT / "scenarios" / "traces"
SCENARIOS = REPO_ROOT / "scenarios"

# Attributes that describe how a run went on this machine, not what it computed.
VOLATILE_ATTRIBUTES = {"wall_time_s", "simulate_wall_s", "read_wall_s", "jobs_per_second", "capsim_revision",
                       "capsim_version", "source", "passes", "processes"}
# HDF5's own bookkeeping of dimension scales: object references, which differ from file to file.
REFERENCE_ATTRIBUTES = {"DIMENSION_LIST", "REFERENCE_LIST"}


def cases():
    """Case name -> capsim arguments (the output file is appended as -o FILE)."""
    out = {}
    for trace in sorted(TRACES.glob("*.swf.gz")):
        stem = trace.name.removesuffix(".swf.gz")
        for policy in ("fcfs", "easy", "conservative"):
            for order in ("fifo", "sjf"):
                out[f"replay-{stem}-{policy}-{order}"] = ["replay", trace, "--policy", policy, "--order", order]
    out["run-joint-2026"] = ["run", SCENARIOS / "joint-2026.yaml"]
    for name in ("grid-cap", "one-node-day-night", "grid-sweep"):
        out[f"run-small-{name}"] = ["run", SCENARIOS / "small" / f"{name}.yaml"]
    # The scenario path under every policy and queue order, on the small queue study (3 points x 4).
    for policy in ("fcfs", "easy", "conservative"):
        for order in ("fifo", "sjf", "priority", "fairshare"):
            out[f"run-queue-sweep-{policy}-{order}"] = [
                "run", SCENARIOS / "small" / "queue-sweep.yaml",
                "--set", f"scheduler.policy={policy}", "--set", f"scheduler.order={order}"]
    # A deep queue: demand nearly four times the GPUs (two days of the benchmark scenario).
    for policy in ("easy", "conservative"):
        out[f"run-overload-fairshare-{policy}"] = [
            "run", SCENARIOS / "bench" / "overload-fairshare.yaml", "--set", "end=2026-01-02",
            "--set", f"scheduler.policy={policy}"]
    # The M/M/32 yardstick of the benchmarks (three days of it).
    out["run-mm32-load90"] = ["run", SCENARIOS / "bench" / "mm32-load90.yaml", "--set", "end=2026-01-04"]
    # Node failures, checkpoints and spares: the Llama-3-sized run and the ETTR study.
    out["run-failures-llama3-405b"] = ["run", SCENARIOS / "failures" / "llama3-405b.yaml"]
    out["run-failures-ettr-vs-job-size"] = ["run", SCENARIOS / "failures" / "ettr-vs-job-size.yaml"]
    # The planner: every candidate it evaluates, and the plan it chooses.
    plans = REPO_ROOT / "tests" / "scenarios" / "plan"
    for name in ("grid-and-nodes", "grid-tradeoff", "erlang-sizing"):
        out[f"plan-{name}"] = ["plan", plans / f"{name}.yaml", "--quiet"]
    return out


def _attribute_bytes(value):
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode()
    array = np.asarray(value)
    if array.dtype.kind == "O":
        return repr(value).encode()
    return array.dtype.str.encode() + repr(array.shape).encode() + array.tobytes()


def _dataset_bytes(dataset):
    data = dataset[()]
    array = np.asarray(data)
    if array.dtype.kind == "O":  # variable-length strings
        return "\x1f".join(x.decode() if isinstance(x, bytes) else str(x) for x in array.ravel()).encode()
    return array.tobytes()


def file_digests(path):
    """Object path -> hex digest, for every dataset and every object's attributes."""
    out = {}

    def attributes(name, obj):
        h = hashlib.sha256()
        for key in sorted(obj.attrs.keys()):
            if key in VOLATILE_ATTRIBUTES or key in REFERENCE_ATTRIBUTES:
                continue
            h.update(key.encode() + b"=" + _attribute_bytes(obj.attrs[key]) + b";")
        out[f"{name}@attrs"] = h.hexdigest()[:16]

    with h5py.File(path, "r") as f:
        attributes("/", f)

        def visit(name, obj):
            attributes(name, obj)
            if isinstance(obj, h5py.Dataset):
                h = hashlib.sha256()
                h.update(str(obj.dtype).encode() + repr(obj.shape).encode())
                h.update(_dataset_bytes(obj))
                out[name] = h.hexdigest()[:16]

        f.visititems(visit)
    return out


def run_case(binary, name, args, workdir):
    output = Path(workdir) / f"{name}.h5"
    command = [binary, *map(str, args), "-o", str(output), "--force"]
    if args[0] == "run":
        command += ["--quiet", "--threads", "2"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1200)
    if result.returncode != 0:
        raise RuntimeError(f"{name}: {' '.join(command)} failed ({result.returncode}):\n{result.stderr}")
    return file_digests(output)


def digest_path(name):
    return DIGESTS / f"{name}.txt"


def read_digests(name):
    path = digest_path(name)
    if not path.exists():
        return None
    out = {}
    for line in path.read_text().splitlines():
        key, value = line.rsplit(" ", 1)
        out[key] = value
    return out


def write_digests(name, digests):
    DIGESTS.mkdir(parents=True, exist_ok=True)
    digest_path(name).write_text("".join(f"{k} {v}\n" for k, v in sorted(digests.items())))


def differences(expected, actual):
    """Lines naming every object whose digest differs, is missing or is new."""
    lines = []
    for key in sorted(set(expected) | set(actual)):
        if key not in actual:
            lines.append(f"  missing: {key}")
        elif key not in expected:
            lines.append(f"  new: {key}")
        elif expected[key] != actual[key]:
            lines.append(f"  differs: {key}")
    return lines


def compute(binary, names):
    all_cases = cases()
    with tempfile.TemporaryDirectory(prefix="capsim-digest-") as workdir, ThreadPoolExecutor(2) as pool:
        futures = {name: pool.submit(run_case, binary, name, all_cases[name], workdir) for name in names}
        return {name: future.result() for name, future in futures.items()}


def main(argv):
    if not argv or argv[0] not in ("check", "update", "list"):
        print(__doc__, file=sys.stderr)
        return 64
    all_cases = cases()
    if argv[0] == "list":
        print("\n".join(all_cases))
        return 0
    names = argv[1:] or list(all_cases)
    unknown = [n for n in names if n not in all_cases]
    if unknown:
        print(f"results_digest.py: unknown case {', '.join(unknown)}", file=sys.stderr)
        return 64
    binary = os.environ.get("CAPSIM_BIN", str(REPO_ROOT / "build" / "capsim"))
    computed = compute(binary, names)
    if argv[0] == "update":
        for name, digests in computed.items():
            write_digests(name, digests)
        print(f"results_digest.py: wrote {len(computed)} digest files to {DIGESTS}")
        return 0
    failed = 0
    for name, digests in computed.items():
        expected = read_digests(name)
        if expected is None:
            print(f"{name}: no recorded digests ({digest_path(name)})")
            failed += 1
            continue
        diff = differences(expected, digests)
        if diff:
            print(f"{name}: {len(diff)} objects differ from the recorded digests")
            print("\n".join(diff[:40]))
            failed += 1
    print(f"{len(computed) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
