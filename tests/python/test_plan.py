"""capsim plan: the search against --exhaustive, against Erlang C, across threads, after a kill
and --resume, and its outputs (--json, --write-scenario, plan.h5, capsim summary)."""
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import h5py
import numpy as np

import results_digest
from capsim_test_support import REPO_ROOT, capsim_bin, run_capsim

PLANS = REPO_ROOT / "tests" / "scenarios" / "plan"
ERLANG = PLANS / "erlang-sizing.yaml"
GRID = PLANS / "grid-and-nodes.yaml"
TRADEOFF = PLANS / "grid-tradeoff.yaml"


def plan_json(scenario, *args):
    result = run_capsim("plan", scenario, "--json", *args, check=True)
    return json.loads(result.stdout)


def erlang_c_mean_wait_s(servers, arrivals_per_s, mean_service_s):
    """Mean wait in queue of an M/M/c queue (Erlang C), or infinity when it is unstable."""
    load = arrivals_per_s * mean_service_s
    if load >= servers:
        return math.inf
    term, total = 1.0, 1.0  # a^k / k!, summed for k < c
    for k in range(1, servers):
        term *= load / k
        total += term
    last = term * load / servers * servers / (servers - load)  # a^c / c! * c / (c - a)
    waiting = last / (total + last)
    return waiting * mean_service_s / (servers - load)


def candidates(path):
    """The candidates group as plain arrays, without what differs between machines."""
    with h5py.File(path, "r") as f:
        g = f["candidates"]
        return {name: g[name][...].tolist() for name in g}


class PlanTest(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        capsim_bin()
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def test_erlang_c_sizing(self):
        # 120 jobs/h of mean 30 min on 8-GPU nodes; the limit is a mean wait of 2 minutes.
        arrivals_per_s, mean_service_s, limit_s = 120 / 3600, 1800, 120
        theory = next(n for n in range(1, 100) if erlang_c_mean_wait_s(8 * n, arrivals_per_s, mean_service_s) <= limit_s)
        out = plan_json(ERLANG, "--write-scenario", self.dir / "chosen.yaml")
        self.assertEqual(out["status"], "feasible")
        chosen = int(out["chosen"]["decisions"]["buildout[0].count"])
        self.assertLessEqual(abs(chosen - theory), 1, f"planner chose {chosen} nodes, Erlang C allows {theory}")
        # The written scenario reproduces the evaluation: the same cost, replication by replication.
        run_capsim("run", self.dir / "chosen.yaml", "-o", self.dir / "chosen.h5", "--quiet", check=True)
        with h5py.File(self.dir / "chosen.h5", "r") as f:
            costs = f["totals/total_cost"][...].ravel()
        self.assertEqual(len(costs), 6)
        self.assertAlmostEqual(sum(costs) / len(costs), out["chosen"]["cost"], delta=1e-9 * out["chosen"]["cost"])
        # Its cost is that node count's cost: one node less is cheaper, one more dearer.
        fewer = plan_json(ERLANG, "--exhaustive")
        self.assertEqual(fewer["chosen"]["decisions"], out["chosen"]["decisions"])

    def test_search_finds_the_exhaustive_plan_with_fewer_runs(self):
        for scenario, extra in [(ERLANG, []), (GRID, []), (TRADEOFF, []), (TRADEOFF, ["--set", "sites[0].grid=300kW"]), (GRID, ["--set", "plan.constraints[0].at_most=3h"]),
                                (GRID, ["--set", "plan.confidence=1"])]:
            with self.subTest(scenario=scenario.name, extra=extra):
                searched = plan_json(scenario, *extra)
                exhaustive = plan_json(scenario, "--exhaustive", *extra)
                self.assertEqual(searched["status"], exhaustive["status"])
                if exhaustive["status"] == "feasible":
                    self.assertEqual(searched["chosen"]["decisions"], exhaustive["chosen"]["decisions"])
                    self.assertEqual(searched["chosen"]["cost"], exhaustive["chosen"]["cost"])
                self.assertLess(searched["runs"], exhaustive["runs"])

    def test_newer_generation_wins_only_under_a_tight_grid(self):
        # grid-tradeoff.yaml's comment works the numbers: MI300X nodes are cheaper per FLOP/s, B200
        # nodes per watt; under 70 kW too few MI300X nodes can be powered to keep up.
        loose = plan_json(TRADEOFF, "--set", "sites[0].grid=300kW")["chosen"]
        tight = plan_json(TRADEOFF)["chosen"]
        self.assertEqual(loose["decisions"]["buildout[1].count"], "0", loose)
        self.assertGreater(int(loose["decisions"]["buildout[0].count"]), 0, loose)
        self.assertGreater(int(tight["decisions"]["buildout[1].count"]), 0, tight)
        mi300x, b200 = int(tight["decisions"]["buildout[0].count"]), int(tight["decisions"]["buildout[1].count"])
        self.assertLessEqual((mi300x * 10.6 + b200 * 14.3) * 1.2, 70, "the chosen nodes must fit under the grid")
        self.assertGreater(tight["cost"], loose["cost"])

    def test_same_plan_on_one_and_two_threads(self):
        run_capsim("plan", GRID, "-o", self.dir / "one.h5", "--threads", "1", "--quiet", check=True)
        run_capsim("plan", GRID, "-o", self.dir / "two.h5", "--threads", "2", "--quiet", check=True)
        self.assertEqual(candidates(self.dir / "one.h5"), candidates(self.dir / "two.h5"))

    def test_a_killed_plan_resumes_to_the_same_result(self):
        args = ["plan", GRID, "--set", "plan.replications=12", "--threads", "1"]
        run_capsim(*args, "-o", self.dir / "whole.h5", "--quiet", check=True)
        out = self.dir / "killed.h5"
        with subprocess.Popen([capsim_bin(), *map(str, args), "-o", str(out)], stderr=subprocess.PIPE,
                              text=True) as process:
            for _ in range(4):  # a progress line per candidate: stop after a few
                process.stderr.readline()
            process.send_signal(signal.SIGTERM)
            rest = process.stderr.read()
        self.assertEqual(process.wait(timeout=60), 143, rest)
        self.assertIn("--resume", rest)
        self.assertFalse(out.exists(), "a stopped plan must not leave a results file")
        journal = Path(str(out) + ".journal")
        self.assertTrue(journal.exists())
        refused = run_capsim(*args, "-o", out)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("--resume", refused.stderr)
        resumed = run_capsim(*args, "-o", out, "--resume", "--quiet", check=True)
        self.assertIn("kept from an earlier run", resumed.stdout)
        self.assertFalse(journal.exists(), "a finished plan removes its journal")
        self.assertEqual(candidates(self.dir / "whole.h5"), candidates(out))
        with h5py.File(out, "r") as f:
            self.assertGreater(f.attrs["runs_resumed"], 0)

    def test_a_small_budget_is_shared_by_the_order_dates(self):
        # The full search needs 92 runs; with 30, first come first served would spend them all on the
        # first order date. Each date gets its share, and the plan says the budget cut it short.
        out = self.dir / "small.h5"
        plan = plan_json(GRID, "--set", "plan.budget=30", "--threads", "1", "-o", out)
        self.assertEqual(plan["budget_spent"], "true")
        self.assertLessEqual(plan["runs"], 30)
        with h5py.File(out, "r") as f:
            dates = {d.decode() for d in f["candidates"]["decision_3_text"][...]}
        self.assertEqual(dates, {"2026-01-01", "2026-01-05"})

    def shard(self, index, count, out, *extra):
        command = [capsim_bin(), "plan", str(GRID), "-o", str(out), "--threads", "1", "--shard", f"{index}/{count}",
                   *map(str, extra)]
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def assert_same_plan_file(self, expected, actual):
        self.assertEqual(candidates(expected), candidates(actual))
        self.assertEqual(results_digest.differences(results_digest.file_digests(expected),
                                                    results_digest.file_digests(actual)), [])

    @unittest.skipIf("TSAN_OPTIONS" in os.environ,
                     "each shard runs one thread, so ThreadSanitizer checks nothing here that the other builds do not, "
                     "and the processes run several times slower under it")
    def test_shards_share_their_runs_and_choose_the_same_plan(self):
        run_capsim("plan", GRID, "-o", self.dir / "one.h5", "--threads", "1", "--quiet", check=True)
        for count in (2, 3):
            out = self.dir / f"shards-{count}.h5"
            shards = [self.shard(k, count, out) for k in range(count)]
            outputs = [s.communicate(timeout=300) for s in shards]
            for k, shard in enumerate(shards):
                self.assertEqual(shard.returncode, 0, outputs[k][1])
            self.assertIn(f"in each of {count} shards", outputs[0][0])
            self.assertIn("shard 0 writes the results", outputs[1][0])
            self.assert_same_plan_file(self.dir / "one.h5", out)
            with h5py.File(out, "r") as f:
                self.assertEqual(f.attrs["processes"], count)
            self.assertEqual(list(self.dir.glob(f"shards-{count}.h5.journal*")), [], "journals left behind")

    @unittest.skipIf("TSAN_OPTIONS" in os.environ,
                     "each shard runs one thread, so ThreadSanitizer checks nothing here that the other builds do not, "
                     "and the processes run several times slower under it")
    def test_a_stopped_shard_resumes_and_the_others_wait_for_it(self):
        extra = ["--set", "plan.replications=12"]
        run_capsim("plan", GRID, *extra, "-o", self.dir / "whole.h5", "--threads", "1", "--quiet", check=True)
        out = self.dir / "plan.h5"
        first = self.shard(0, 2, out, *extra)
        second = self.shard(1, 2, out, *extra)
        for _ in range(4):  # a progress line per candidate: stop after a few
            second.stderr.readline()
        second.send_signal(signal.SIGTERM)
        _, rest = second.communicate(timeout=60)
        self.assertEqual(second.returncode, 143, rest)
        self.assertIn("shard-1-of-2", rest)
        self.assertIn("--resume", rest)
        self.assertIsNone(first.poll(), "shard 0 must wait for shard 1's runs, not finish without them")
        refused = run_capsim("plan", GRID, *extra, "-o", out, "--threads", "1", "--shard", "1/2")
        self.assertEqual(refused.returncode, 64, refused.stderr)
        resumed = self.shard(1, 2, out, *extra, "--resume")
        _, resumed_err = resumed.communicate(timeout=300)
        self.assertEqual(resumed.returncode, 0, resumed_err)
        _, first_err = first.communicate(timeout=300)
        self.assertEqual(first.returncode, 0, first_err)
        self.assert_same_plan_file(self.dir / "whole.h5", out)
        self.assertEqual(list(self.dir.glob("plan.h5.journal*")), [])

    def test_shard_needs_an_output_and_a_valid_index(self):
        no_output = run_capsim("plan", GRID, "--shard", "0/2", "--quiet")
        self.assertEqual(no_output.returncode, 64)
        self.assertIn("--shard needs -o", no_output.stderr)
        past_the_end = run_capsim("plan", GRID, "--shard", "2/2", "-o", self.dir / "p.h5", "--quiet")
        self.assertEqual(past_the_end.returncode, 64)
        self.assertIn("0 to n-1", past_the_end.stderr)

    @unittest.skipUnless(os.environ.get("CAPSIM_MPI_BIN") and shutil.which("mpirun"), "no MPI build (CAPSIM_MPI_BIN)")
    def test_mpi_ranks_choose_the_same_plan(self):
        run_capsim("plan", GRID, "-o", self.dir / "one.h5", "--threads", "1", "--quiet", check=True)
        command = ["mpirun", "-n", "2", "--oversubscribe"]
        if os.geteuid() == 0:
            command.append("--allow-run-as-root")
        out = self.dir / "mpi.h5"
        command += [os.environ["CAPSIM_MPI_BIN"], "plan", str(GRID), "-o", str(out), "--threads", "1"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("in each of 2 ranks", result.stdout)
        self.assertEqual(result.stdout.count("capsim plan:"), 1, "only rank 0 prints the summary")
        self.assert_same_plan_file(self.dir / "one.h5", out)
        self.assertEqual(list(self.dir.glob("mpi.h5.journal*")), [])

    def test_plan_file_and_summary(self):
        run_capsim("plan", GRID, "-o", self.dir / "plan.h5", "--quiet", check=True)
        with h5py.File(self.dir / "plan.h5", "r") as f:
            self.assertEqual(f.attrs["file_kind"], "plan")
            g = f["candidates"]
            chosen = int(f.attrs["chosen"])
            self.assertEqual(int(np.sum(g["chosen"][...])), 1)
            self.assertEqual(g["chosen"][chosen], 1)
            self.assertEqual(g["verdict"][chosen].decode(), "feasible")
            feasible = g["feasible"][...] == 1
            self.assertEqual(g["cost"][chosen], np.min(g["cost"][...][feasible]))
            self.assertEqual(g["decision_0"].attrs["key"], "buildout[0].count")
            self.assertEqual(len(f["constraints/metric"]), 2)
        summary = run_capsim("summary", self.dir / "plan.h5", check=True).stdout
        self.assertIn("chosen", summary)
        self.assertIn("frontier", summary)

    def test_plot_results_draws_the_frontier(self):
        run_capsim("plan", GRID, "-o", self.dir / "plan.h5", "--quiet", check=True)
        result = subprocess.run([sys.executable, str(REPO_ROOT / "scripts" / "plot_results.py"), str(self.dir / "plan.h5"),
                                 "-o", str(self.dir / "figures")], capture_output=True, text=True, timeout=300)
        self.assertEqual(result.returncode, 0, result.stderr)
        figure = self.dir / "figures" / "frontier.png"
        self.assertTrue(figure.exists())
        self.assertGreater(figure.stat().st_size, 20000)
        sys.path.insert(0, str(REPO_ROOT / "scripts"))
        from capsim_plots.frontier import plot_frontier
        fig = plot_frontier(self.dir / "plan.h5")
        fig.canvas.draw()
        for ax in fig.axes:  # both panels drawn, neither collapsed
            self.assertGreater(ax.get_window_extent().height, 100)
        mixed = subprocess.run([sys.executable, str(REPO_ROOT / "scripts" / "plot_results.py"), str(self.dir / "plan.h5"),
                                str(REPO_ROOT / "scenarios" / "joint-2026.yaml"), "-o", str(self.dir / "mixed")],
                               capture_output=True, text=True, timeout=300)
        self.assertEqual(mixed.returncode, 65, mixed.stderr)

    def test_no_feasible_candidate_reports_the_closest(self):
        # One H100 node for 90 research jobs a day of 2 GPU-hours and more: no wait limit is met.
        out = plan_json(GRID, "--set", "plan.decide[0].to=1", "--set", "plan.decide[1].to=0",
                        "--write-scenario", self.dir / "none.yaml")
        self.assertEqual(out["status"], "infeasible")
        self.assertIn("closest", out)
        self.assertFalse((self.dir / "none.yaml").exists())

    def test_a_plan_needs_a_plan_block(self):
        result = run_capsim("plan", REPO_ROOT / "scenarios" / "small" / "queue-sweep.yaml")
        self.assertEqual(result.returncode, 65)
        self.assertIn("no plan: block", result.stderr)

    def test_building_nothing_meets_no_wait(self):
        # With no nodes every job is turned away: that must not pass for a wait of zero.
        out = plan_json(GRID, "--set", "plan.decide[0].to=0", "--set", "plan.decide[1].to=0")
        self.assertEqual(out["status"], "infeasible")


if __name__ == "__main__":
    unittest.main()
