"""The command line as a user meets it: bad input exits non-zero, explains itself on stderr, prints
nothing on stdout and leaves no output file behind; `capsim run` and `capsim summary` add what node
failures cost the jobs only when something failed."""
import json
import tempfile
import unittest
from pathlib import Path

import xarray as xr

from capsim_test_support import REPO_ROOT, TRACES, run_capsim

EXIT_USAGE, EXIT_BAD_INPUT, EXIT_IO = 64, 65, 74

GOOD_TRACE = (
    "; MaxProcs: 10\n"
    "1 0 -1 100 6 -1 -1 6 100 -1 1 1 1 -1 -1 -1 -1 -1\n"
    "2 1 -1 50 8 -1 -1 8 50 -1 1 1 1 -1 -1 -1 -1 -1\n"
    "3 2 -1 50 4 -1 -1 4 90 -1 1 1 1 -1 -1 -1 -1 -1\n"
)


class CliTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.tmp = Path(self.dir.name)
        self.trace = self.tmp / "good.swf"
        self.trace.write_text(GOOD_TRACE)

    def tearDown(self):
        self.dir.cleanup()

    def assert_fails(self, args, code, *message_parts, output=None):
        result = run_capsim(*args)
        self.assertEqual(result.returncode, code, result.stderr)
        self.assertEqual(result.stdout, "", "a failure prints nothing on stdout")
        for part in message_parts:
            self.assertIn(part, result.stderr)
        if output is not None:
            self.assertFalse(output.exists(), "a failed run must leave no output file")
            self.assertEqual([p.name for p in output.parent.iterdir() if p.name.startswith(output.name)], [])
        return result

    def test_a_shortened_horizon_leaves_later_orders_out_with_a_note(self):
        # The default scenario's first two years: its 2028 orders fall after the new end. They are
        # noted on stderr, at their position, and left out; the run goes ahead.
        default = REPO_ROOT / "scenarios" / "joint-2026.yaml"
        out = self.tmp / "first-years.h5"
        result = run_capsim("run", default, "--set", "end=2027-12-31", "--set", "output.jobs=false", "-o", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        for i, date in ((2, "2028-01-01"), (3, "2028-09-01")):
            self.assertRegex(result.stderr, rf"joint-2026.yaml:\d+:\d+: note: buildout\[{i}\].ordered: ordered after "
                                            r"the end of the horizon \(2027-12-31\): outside the run, left out")
        self.assertNotIn("error", result.stderr)
        with xr.open_dataset(out, group="sites", engine="h5netcdf") as sites:
            self.assertEqual(list(sites.gpu.values), ["H200", "H100"])  # no B200 or GB200 ordered in time
        with xr.open_dataset(out, engine="h5netcdf") as root:
            self.assertEqual(root.attrs["total_capex_hardware"], 512 * 350000 + 320 * 365000)
        # An order that arrives too late to run is noted too: its capex is booked for nothing.
        late = run_capsim("validate", default, "--set", "end=2028-03-31")
        self.assertEqual(late.returncode, 0, late.stderr)
        self.assertIn("note: buildout[2].ordered: its nodes enter service on 2028-10-07, after the end of the "
                      "horizon: its capex is in the results, its nodes never run", late.stderr)
        # Every bundled scenario runs its first month.
        for scenario in sorted((REPO_ROOT / "scenarios").rglob("*.yaml")):
            check = run_capsim("validate", scenario, "--set", "end=2026-04-30")
            self.assertEqual(check.returncode, 0, (scenario, check.stderr))

    def test_jobs_the_build_out_can_never_hold_are_noted_before_the_run_and_counted_by_reason(self):
        # The queue sweep's 8 H100 nodes (64 GPUs): industry jobs of 128 GPUs cannot fit, and research
        # jobs restricted to B200 GPUs have none to run on.
        study = REPO_ROOT / "scenarios" / "small" / "queue-sweep.yaml"
        out = self.tmp / "rejected.h5"
        result = run_capsim("run", study, "--set", "sweep={}", "--set", "replications=1",
                            "--set", "workloads[1].gpus={choice: [8, 128]}", "--set", "workloads[0].gpu_types=[B200]",
                            "-o", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("--set workloads[0].gpu_types=[B200]: note: workloads[0].gpu_types: no order in the build-out "
                      "has its sites and GPU types: all its jobs will be rejected", result.stderr)
        self.assertIn("--set workloads[1].gpus={choice: [8, 128]}: note: workloads[1].gpus: jobs of up to 128 GPUs, "
                      "more than the 64 of the largest pool it may use (hgx-h100 at lab): those jobs will be rejected",
                      result.stderr)
        with xr.open_dataset(out, group="summary", engine="h5netcdf") as summary:
            everyone = summary.sel(group="all")
            too_large, no_gpus = int(everyone.rejected_too_large), int(everyone.rejected_no_matching_gpus)
            research = int(summary.sel(group="tenant:research").submitted)
        self.assertGreater(too_large, 0)
        self.assertEqual(no_gpus, research)
        self.assertIn(f"    {too_large:,} rejected: more GPUs than the allowed pools will ever have\n", result.stdout)
        self.assertIn(f"    {no_gpus:,} rejected: no GPUs of the allowed sites and types in the build-out\n", result.stdout)

    def test_summary_and_merge_say_why_a_file_cannot_be_read(self):
        missing = self.tmp / "missing.h5"
        for args in (("summary", missing), ("merge", "-o", self.tmp / "merged.h5", missing)):
            self.assert_fails(args, EXIT_IO, f"'{missing}' does not exist")
        self.assert_fails(("summary", self.tmp), EXIT_IO, f"'{self.tmp}' is a folder, expected a results file")
        self.assert_fails(("summary", self.trace), EXIT_IO, f"'{self.trace}' is not an HDF5 file")

    def test_help_and_version(self):
        self.assertEqual(run_capsim("--help").returncode, 0)
        self.assertIn("replay", run_capsim("--help").stdout)
        self.assertEqual(run_capsim("replay", "--help").returncode, 0)
        self.assertIn("capsim", run_capsim("--version").stdout)

    def test_missing_trace(self):
        out = self.tmp / "r.h5"
        self.assert_fails(["replay", self.tmp / "absent.swf", "-o", out], EXIT_IO, "cannot open trace", output=out)

    def test_malformed_trace_names_file_line_and_field(self):
        bad = self.tmp / "bad.swf"
        bad.write_text(GOOD_TRACE + "4 3 -1 ten 4 -1 -1 4 90 -1 1 1 1 -1 -1 -1 -1 -1\n")
        out = self.tmp / "r.h5"
        self.assert_fails(["replay", bad, "-o", out], EXIT_BAD_INPUT, f"{bad}:5: field 4 (run time): 'ten'",
                          output=out)

    def test_short_line(self):
        bad = self.tmp / "short.swf"
        bad.write_text(GOOD_TRACE + "4 3 -1 10 4\n")
        self.assert_fails(["replay", bad], EXIT_BAD_INPUT, "short.swf:5: expected 18 fields, found 5")

    def test_unknown_policy_suggests(self):
        out = self.tmp / "r.h5"
        self.assert_fails(["replay", self.trace, "--policy", "conservativ", "-o", out], EXIT_BAD_INPUT,
                          "unknown scheduling policy 'conservativ'", "did you mean 'conservative'?", output=out)

    def test_unknown_order(self):
        self.assert_fails(["replay", self.trace, "--order", "lifo"], EXIT_BAD_INPUT, "unknown queue order 'lifo'",
                          "'fifo' or 'sjf'")

    def test_bad_machine_size(self):
        self.assert_fails(["replay", self.trace, "--procs", "0"], EXIT_BAD_INPUT, "at least one processor")
        self.assert_fails(["replay", self.trace, "--procs", "many"], EXIT_USAGE, "--procs")

    def test_trace_without_machine_size_needs_procs(self):
        bare = self.tmp / "bare.swf"
        bare.write_text("\n".join(GOOD_TRACE.splitlines()[1:]) + "\n")
        self.assert_fails(["replay", bare], EXIT_BAD_INPUT, "no machine size", "--procs")
        self.assertEqual(run_capsim("replay", bare, "--procs", "10").returncode, 0)

    def test_unknown_option_is_a_usage_error(self):
        result = run_capsim("replay", self.trace, "--polcy", "easy")
        self.assertEqual(result.returncode, EXIT_USAGE)

    def test_output_directory_missing(self):
        out = self.tmp / "no" / "such" / "dir" / "r.h5"
        self.assert_fails(["replay", self.trace, "-o", out], EXIT_IO, "does not exist")

    def test_existing_output_needs_force(self):
        out = self.tmp / "r.h5"
        out.write_text("earlier results")
        self.assert_fails(["replay", self.trace, "-o", out], EXIT_USAGE, "--force")
        self.assertEqual(out.read_text(), "earlier results")
        result = run_capsim("replay", self.trace, "-o", out, "--force")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(out.read_bytes()[:8], b"\x89HDF\r\n\x1a\n")

    def test_json_is_one_object_and_nothing_else(self):
        result = run_capsim("replay", self.trace, "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.count("\n"), 1)
        summary = json.loads(result.stdout)
        self.assertEqual(summary["jobs"], 3)
        self.assertEqual(summary["processors"], 10)
        self.assertEqual(summary["policy"], "easy")
        # EASY backfills job 3 at t=2 (hand-computed in the unit tests): waits 0, 99, 0.
        self.assertAlmostEqual(summary["wait_mean_s"], 33.0, places=12)

    def test_human_summary_lists_the_metrics(self):
        result = run_capsim("replay", self.trace, "--policy", "fcfs")
        self.assertEqual(result.returncode, 0, result.stderr)
        for word in ("jobs", "wait", "p95", "p99", "bounded", "utilization", "makespan", "jobs/s"):
            self.assertIn(word, result.stdout)

    def test_gzip_trace(self):
        kth = TRACES / "HPC2N-2002-excerpt.swf.gz"
        if not kth.exists():
            self.skipTest(f"{kth} not found")
        summary = json.loads(run_capsim("replay", kth, "--json").stdout)
        self.assertEqual(summary["jobs"] + summary["skipped"] + summary["rejected"], summary["records"])


# One tenant's research jobs on two nodes for four days; FAILED_NODES makes its nodes fail about once a day.
SMALL_RUN = """name: Research on two nodes
start: 2026-01-01
end: 2026-01-04
seed: 3
output: {timestep: 1d}
sites:
  - {name: lab, grid: 1 MW, pue: 1.2, electricity: 100 USD/MWh, carbon: 400 g/kWh}
buildout:
  - {site: lab, node: hgx-h100, count: 2, ordered: 2026-01-01}
tenants:
  - {name: research, share: 1}
workloads:
  - name: research-jobs
    tenant: research
    class: research
    arrivals: {rate: 30/day}
    gpus: {choice: [1, 8, 16], weights: [0.4, 0.4, 0.2]}
    duration: {lognormal: {median: 2h, sigma: 0.8}}
"""
FAILED_NODES = "failures:\n  - {rate: 1/day, repair: 3h}\n"


class FailureOutputTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.tmp = Path(self.dir.name)

    def tearDown(self):
        self.dir.cleanup()

    def run_scenario(self, text):
        scenario, out = self.tmp / "small.yaml", self.tmp / "small.h5"
        scenario.write_text(text)
        run = run_capsim("run", scenario, "-o", out, "--force", check=True).stdout
        return run, run_capsim("summary", out, check=True).stdout, out

    def test_failures_block_lists_interruptions_lost_gpu_hours_and_ettr(self):
        run, summary, out = self.run_scenario(SMALL_RUN + FAILED_NODES)
        with xr.open_dataset(out, group="summary", engine="h5netcdf") as s, \
             xr.open_dataset(out, group="sites", engine="h5netcdf") as sites:
            interruptions = int(s.interruptions.sel(group="all"))
            lost = float(s.lost_gpu_hours.sel(group="all"))
            weighted = float(s.ettr_weighted.sel(group="all"))
            failures = int(sites.node_failures.sum())
        self.assertGreater(interruptions, 0, "the scenario should interrupt some job")
        lines = run.splitlines()
        line = next(l for l in lines if l.strip().startswith("failures "))
        self.assertIn(f"{interruptions:,} interruptions", line)
        self.assertIn(f"ETTR {weighted:.3f}", line)
        block = lines[lines.index(line) + 1:]
        self.assertEqual(block[0].split(), ["tenant", "interruptions", "lost", "GPU-h", "ETTR", "mean", "ETTR", "wtd"])
        self.assertEqual(block[1].split()[:2], ["research", f"{interruptions:,}"])  # the tenant
        self.assertEqual(block[2].split()[0], "class")
        self.assertEqual(block[3].split()[:2], ["research", f"{interruptions:,}"])  # the class
        self.assertEqual(block[3].split()[-1], f"{weighted:.3f}")
        line = next(l for l in summary.splitlines() if l.strip().startswith("failures "))
        self.assertIn(f"{failures:,} node failures, {interruptions:,} interruptions of jobs", line)
        self.assertIn(f"{lost:.4g} GPU-hours lost" if lost < 1000 else "GPU-hours lost", line)
        after = summary.splitlines()[summary.splitlines().index(line):]
        everything = next(l.split() for l in after if l.strip().startswith("all "))
        self.assertEqual(everything[1], f"{interruptions:,}")
        self.assertEqual(everything[4], f"{weighted:.3f}")

    def test_no_failures_block_without_failures(self):
        run, summary, _ = self.run_scenario(SMALL_RUN)
        for text in (run, summary):
            self.assertNotIn("failures", text)
            self.assertNotIn("ETTR", text)
            self.assertNotIn("interruptions", text)


if __name__ == "__main__":
    unittest.main()
