#!/usr/bin/env python3
"""Cross-check capsim's trace replay against the Python reference.

    CAPSIM_BIN=build/capsim python3 -m unittest tests/python/test_reference_agreement.py

Environment:
    CAPSIM_BIN             capsim executable (required; the module is skipped
                           when unset)
    CAPSIM_TRACES          directory of SWF traces (default: scenarios/traces
                           under the repository root)
    CAPSIM_REFERENCE_FULL  "1" adds every *.swf* file in CAPSIM_TRACES (slow)

For every trace, policy (fcfs, easy, conservative) and order (fifo, sjf) this
runs `capsim replay TRACE --policy P --order O -o OUT.h5 --json` and the
reference (reference_replay.simulate), and requires identical start and end
times for every job and JSON summary numbers equal to 1e-9 relative.
"""

import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(HERE))
import reference_replay  # noqa: E402

CAPSIM_BIN = os.environ.get("CAPSIM_BIN", "")
TRACES_DIR = Path(os.environ.get("CAPSIM_TRACES")
                  or REPO_ROOT / "scenarios" / "traces")
FULL = os.environ.get("CAPSIM_REFERENCE_FULL", "") == "1"
DEFAULT_TRACES = ("HPC2N-2002-excerpt.swf.gz", "lublin_256.swf.gz")
POLICIES = reference_replay.POLICIES
ORDERS = reference_replay.ORDERS
REL_TOL = 1e-9
CAPSIM_TIMEOUT_S = 900


def _swf(header, rows):
    """SWF text; rows are (id, submit, run, alloc, req_procs, req_time) strings."""
    lines = list(header)
    for r in rows:
        job_id, submit, run, alloc, req_procs, req_time = r
        lines.append("%s %s -1 %s %s -1 -1 %s %s -1 1 1 1 -1 -1 -1 -1 -1"
                     % (job_id, submit, run, alloc, req_procs, req_time))
    return "\n".join(lines) + "\n"


# Tiny hand-made traces.  HAND_CHECKED lists start times worked out by hand;
# they pin down the reference itself before capsim is compared with it.
TINY_TRACES = {
    # P=10.  Job 2 blocks; job 4 (3 procs, long) fits the EASY shadow's spare
    # processors but would delay job 3, so conservative does not start it.
    "tiny_backfill.swf": _swf(["; MaxProcs: 10"], [
        (1, 0, 100, 6, 6, 100),
        (2, 1, 100, 7, 7, 100),
        (3, 2, 100, 8, 8, 100),
        (4, 3, 1000, 3, 3, 1000),
    ]),
    # P=10.  Job 1 finishes at 50, before its estimate (100): the submissions
    # at 50 are processed first and see the machine busy, so under sjf the
    # shorter job 3 goes first.
    "tiny_early_end.swf": _swf(["; MaxProcs: 10"], [
        (1, 0, 50, 10, 10, 100),
        (2, 50, 100, 10, 10, 100),
        (3, 50, 10, 10, 10, 10),
    ]),
    # Same, but job 1 reaches its estimate at 50: the scheduler sees it free
    # when job 2 is submitted, and job 2 starts at once.
    "tiny_estimate_end.swf": _swf(["; MaxProcs: 10"], [
        (1, 0, 50, 10, 10, 50),
        (2, 50, 100, 10, 10, 100),
        (3, 50, 10, 10, 10, 10),
    ]),
    # Format corner cases: MaxNodes only, blank and comment lines among jobs,
    # decimals, unsorted submit times, field 5 fallback, run capped at the
    # request, skipped and rejected jobs.
    "tiny_mixed.swf": _swf(["; Computer: hand-made", "; MaxNodes: 16", ""], [
        (1, 100, 50, 4, -1, -1),
        (2, "0.0", "500.0", "8.0", "8.0", "300.0"),
        (3, 0, 0, 2, 2, 10),            # skipped: run 0
        (4, 5, 20, -1, -1, 20),         # skipped: no processors
        (5, 5, 20, 17, 17, 20),         # rejected: 17 > 16
        (6, 10, 200, 16, 16, 400),
        (7, 20, 30, 4, 4, 60),
        (8, 20, 30, 4, 4, 1000),
        (9, 1, 40, 8, 8, 40),
        (10, "20.5", 25, 2, 2, 25),
    ]) + "; trailing comment\n\n",
}

HAND_CHECKED = [
    # (trace, policy, order, {id: start})
    ("tiny_backfill.swf", "fcfs", "fifo", {1: 0, 2: 100, 3: 200, 4: 300}),
    ("tiny_backfill.swf", "easy", "fifo", {1: 0, 2: 100, 3: 1003, 4: 3}),
    ("tiny_backfill.swf", "conservative", "fifo",
     {1: 0, 2: 100, 3: 200, 4: 300}),
    ("tiny_early_end.swf", "fcfs", "fifo", {1: 0, 2: 50, 3: 150}),
    ("tiny_early_end.swf", "fcfs", "sjf", {1: 0, 2: 60, 3: 50}),
    ("tiny_early_end.swf", "easy", "sjf", {1: 0, 2: 60, 3: 50}),
    ("tiny_early_end.swf", "conservative", "sjf", {1: 0, 2: 60, 3: 50}),
    ("tiny_estimate_end.swf", "fcfs", "sjf", {1: 0, 2: 50, 3: 150}),
    ("tiny_estimate_end.swf", "easy", "sjf", {1: 0, 2: 50, 3: 150}),
    ("tiny_estimate_end.swf", "conservative", "sjf", {1: 0, 2: 50, 3: 150}),
]


def _trace_list():
    names = list(DEFAULT_TRACES)
    if FULL and TRACES_DIR.is_dir():
        for p in sorted(TRACES_DIR.glob("*.swf*")):
            if p.is_file() and p.name not in names:
                names.append(p.name)
    return names


def setUpModule():
    if not CAPSIM_BIN:
        raise unittest.SkipTest(
            "CAPSIM_BIN is not set (path of the capsim executable); "
            "skipping the capsim/reference agreement tests")
    try:
        import h5py  # noqa: F401
        import numpy  # noqa: F401
    except ImportError as e:
        raise unittest.SkipTest("numpy/h5py not available: %s" % e)
    if not (os.path.isfile(CAPSIM_BIN) and os.access(CAPSIM_BIN, os.X_OK)):
        raise RuntimeError("CAPSIM_BIN=%r is not an executable file"
                           % CAPSIM_BIN)


def _parse_json(stdout):
    text = stdout.strip()
    try:
        return json.loads(text)
    except ValueError:
        pass
    for line in reversed(text.splitlines()):       # last JSON line
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                continue
    i, j = text.find("{"), text.rfind("}")          # a multi-line object
    if i >= 0 and j > i:
        return json.loads(text[i:j + 1])
    raise ValueError("no JSON object in capsim output:\n" + stdout[-2000:])


def _is_missing(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


class AgreementTest(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="capsim_reference_")
        for name, text in TINY_TRACES.items():
            with open(os.path.join(cls.tmp, name), "w") as f:
                f.write(text)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    # ---- helpers ---------------------------------------------------------

    def trace_path(self, name):
        if name in TINY_TRACES:
            return os.path.join(self.tmp, name)
        path = TRACES_DIR / name
        if not path.is_file():
            self.skipTest("trace %s not found in %s" % (name, TRACES_DIR))
        return str(path)

    def run_capsim(self, trace, policy, order):
        out_dir = tempfile.mkdtemp(dir=self.tmp)
        h5 = os.path.join(out_dir, "out.h5")
        cmd = [CAPSIM_BIN, "replay", trace, "--policy", policy,
               "--order", order, "-o", h5, "--json"]
        proc = subprocess.run(cmd, cwd=out_dir, capture_output=True,
                              text=True, timeout=CAPSIM_TIMEOUT_S)
        if proc.returncode != 0:
            self.fail("%s exited with %d\nstdout:\n%s\nstderr:\n%s"
                      % (" ".join(cmd), proc.returncode,
                         proc.stdout[-2000:], proc.stderr[-2000:]))
        summary = _parse_json(proc.stdout)
        if isinstance(summary.get("summary"), dict):
            summary = summary["summary"]
        import h5py
        with h5py.File(h5, "r") as f:
            g = f["jobs"]
            cols = {k: g[k][()] for k in ("id", "submit", "start", "end",
                                          "run", "estimate", "wait",
                                          "processors")}
        return cols, summary

    def compare(self, name, policy, order):
        trace = self.trace_path(name)
        jobs, ref = reference_replay.simulate(trace, policy=policy,
                                              order=order)
        cols, got = self.run_capsim(trace, policy, order)
        what = "%s %s/%s" % (name, policy, order)

        # ---- per job ----
        n = len(cols["id"])
        self.assertEqual(n, len(jobs), "%s: number of simulated jobs" % what)
        for name_ in cols:
            self.assertEqual(len(cols[name_]), n,
                             "%s: jobs/%s length" % (what, name_))
        for i, j in enumerate(jobs):
            cid = int(cols["id"][i])
            if cid != j.id:
                self.fail("%s: row %d has id %d, reference has id %d "
                          "(rows must be simulated jobs in trace order)"
                          % (what, i, cid, j.id))
            inputs = (("submit", j.submit), ("run", j.run),
                      ("estimate", j.estimate), ("processors", j.procs))
            for col, want in inputs:
                if cols[col][i] != want:
                    self.fail("%s: job %d %s: capsim %r, reference %r"
                              % (what, j.id, col, cols[col][i].item(), want))
        for i, j in enumerate(jobs):
            cs, ce = float(cols["start"][i]), float(cols["end"][i])
            if cs != j.start or ce != j.end:
                self.fail("%s: first differing job id %d (row %d), submit %r: "
                          "capsim start %r end %r, reference start %r end %r"
                          % (what, j.id, i, j.submit, cs, ce, j.start, j.end))
            cw = float(cols["wait"][i])
            if not math.isclose(cw, j.start - j.submit, rel_tol=REL_TOL,
                                abs_tol=REL_TOL):
                self.fail("%s: job %d wait: capsim %r, reference %r"
                          % (what, j.id, cw, j.start - j.submit))

        # ---- summary ----
        for key, want in ref.items():
            self.assertIn(key, got, "%s: key %r missing from capsim --json"
                          % (what, key))
            have = got[key]
            if _is_missing(want):
                self.assertTrue(_is_missing(have), "%s: %s: capsim %r, "
                                "reference %r" % (what, key, have, want))
            elif isinstance(want, int):
                self.assertEqual(have, want, "%s: %s" % (what, key))
            else:
                self.assertTrue(
                    have is not None and math.isclose(
                        float(have), want, rel_tol=REL_TOL, abs_tol=REL_TOL),
                    "%s: %s: capsim %r, reference %r" % (what, key, have, want))

    # ---- the reference itself ---------------------------------------------

    def test_reference_hand_checked(self):
        for name, policy, order, starts in HAND_CHECKED:
            with self.subTest(trace=name, policy=policy, order=order):
                jobs, _ = reference_replay.simulate(
                    self.trace_path(name), policy=policy, order=order)
                self.assertEqual({j.id: j.start for j in jobs}, starts)

    def test_reference_tiny_mixed_counts(self):
        jobs, s = reference_replay.simulate(self.trace_path("tiny_mixed.swf"))
        self.assertEqual((s["processors"], s["jobs"], s["skipped"],
                          s["rejected"]), (16, 7, 2, 1))
        by_id = {j.id: j for j in jobs}
        self.assertEqual((by_id[1].procs, by_id[1].estimate), (4, 50.0))
        self.assertEqual((by_id[2].run, by_id[2].estimate), (300.0, 300.0))


def _add_tests():
    for name in list(TINY_TRACES) + _trace_list():
        for policy in POLICIES:
            for order in ORDERS:
                def test(self, name=name, policy=policy, order=order):
                    self.compare(name, policy, order)
                stem = re.sub(r"\W", "_", name.split(".swf")[0])
                test.__name__ = "test_%s_%s_%s" % (stem, policy, order)
                test.__doc__ = "capsim == reference: %s %s/%s" % (
                    name, policy, order)
                setattr(AgreementTest, test.__name__, test)


_add_tests()

if __name__ == "__main__":
    unittest.main()
