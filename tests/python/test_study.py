"""Studies: replications and sweep points in parallel, shards and their merge, resume, and the
determinism that makes them one dataset (issue: same scenario and seed, bit-identical datasets
whatever the threads, shards or MPI ranks)."""
import os
import re
import resource
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

import h5py
import numpy as np
import xarray as xr

from capsim_test_support import REPO_ROOT, capsim_bin, run_capsim

STUDY = REPO_ROOT / "scenarios" / "small" / "queue-sweep.yaml"
RATE = "workloads[0].arrivals.rate"
T_975_DF3 = 3.182446305284263  # Student t, 0.975 quantile, 3 degrees of freedom (4 replications)


def datasets(path):
    """Every dataset of a results file: name -> (dtype, values)."""
    out = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            out[name] = (obj.dtype, obj[()])

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return out


class StudyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = Path(cls.tmp.name)
        cls.one_thread = cls.dir / "threads1.h5"
        run_capsim("run", STUDY, "-o", cls.one_thread, "--threads", 1, "--quiet", check=True)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def assert_same_datasets(self, a, b):
        da, db = datasets(a), datasets(b)
        self.assertEqual(sorted(da), sorted(db))
        for name, (dtype, values) in da.items():
            self.assertEqual(dtype, db[name][0], name)
            if values.dtype.kind == "f":
                # Bit for bit, NaN included.
                bits = np.dtype(f"u{values.dtype.itemsize}")
                self.assertTrue(np.array_equal(values.view(bits), db[name][1].view(bits)), name)
            else:
                self.assertTrue(np.array_equal(values, db[name][1]), name)

    def shards(self, count, *extra, prefix="shard"):
        paths = []
        for i in range(count):
            path = self.dir / f"{prefix}-{i}-of-{count}.h5"
            run_capsim("run", STUDY, "--shard", f"{i}/{count}", "-o", path, "--quiet", "--force", *extra, check=True)
            paths.append(path)
        return paths

    def test_threads_give_bit_identical_datasets(self):
        two = self.dir / "threads2.h5"
        run_capsim("run", STUDY, "-o", two, "--threads", 2, "--quiet", check=True)
        self.assert_same_datasets(self.one_thread, two)

    def test_merged_shards_give_bit_identical_datasets(self):
        for count in (2, 5):
            merged = self.dir / f"merged-{count}.h5"
            result = run_capsim("merge", *self.shards(count), "-o", merged, "--force", check=True)
            self.assertIn("12 runs from", result.stdout)
            self.assert_same_datasets(self.one_thread, merged)

    @unittest.skipUnless(os.environ.get("CAPSIM_MPI_BIN") and shutil.which("mpirun"), "no MPI build (CAPSIM_MPI_BIN)")
    def test_mpi_ranks_give_bit_identical_datasets(self):
        out = self.dir / "mpi.h5"
        command = ["mpirun", "-n", "2", "--oversubscribe"]
        if os.geteuid() == 0:
            command.append("--allow-run-as-root")
        command += [os.environ["CAPSIM_MPI_BIN"], "run", str(STUDY), "-o", str(out), "--threads", "1", "--quiet"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("on 2 ranks", result.stdout)
        self.assert_same_datasets(self.one_thread, out)
        # The loader's notes come once, from rank 0, not once per rank.
        noted = command[:-7] + ["run", str(STUDY), "-o", str(self.dir / "mpi-noted.h5"), "--threads", "1", "--quiet",
                                "--set", "workloads[0].gpu_types=[B200]", "--set", "replications=2"]
        result = subprocess.run(noted, capture_output=True, text=True, timeout=600)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr.count("note: workloads[0].gpu_types"), 1, result.stderr)

    def test_layout_opens_in_xarray_with_the_sweep_as_coordinate(self):
        with xr.open_dataset(self.one_thread, group="tenants", engine="h5netcdf") as ds:
            self.assertEqual(ds.busy_gpus.dims, ("point", "replication", "time", "tenant"))
            self.assertEqual(ds.sizes["point"], 3)
            self.assertEqual(ds.sizes["replication"], 4)
            self.assertEqual(list(ds[RATE].values), ["20/day", "40/day", "80/day"])
            self.assertIn(RATE, ds.busy_gpus.coords)
            by_rate = ds.swap_dims(point=RATE)
            self.assertEqual(by_rate.busy_gpus.sel({RATE: "80/day"}).dims, ("replication", "time", "tenant"))
            self.assertTrue(np.issubdtype(ds.time.dtype, np.datetime64))
        with xr.open_dataset(self.one_thread, group="totals", engine="h5netcdf") as totals:
            self.assertTrue((totals.completed == 1).all())
            # More research jobs arrive at higher rates: the sweep reached the runs.
            jobs = totals.jobs.mean("replication").values
            self.assertTrue(jobs[0] < jobs[1] < jobs[2], jobs)
            # Replications differ (their own random streams), and so do points.
            self.assertGreater(float(totals.jobs.std("replication").min()), 0)

    def test_statistics_agree_with_the_replications(self):
        with xr.open_dataset(self.one_thread, group="tenants", engine="h5netcdf") as raw, \
             xr.open_dataset(self.one_thread, group="stats/tenants", engine="h5netcdf") as stats:
            values = raw.queued_jobs.values  # point, replication, time, tenant
            mean = values.mean(axis=1)
            std = values.std(axis=1, ddof=1)
            q = stats.queued_jobs
            np.testing.assert_allclose(q.sel(statistic="mean").values, mean, rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(q.sel(statistic="std").values, std, rtol=1e-9, atol=1e-12)
            half = T_975_DF3 * std / np.sqrt(4)
            np.testing.assert_allclose(q.sel(statistic="ci95_high").values, mean + half, rtol=1e-9, atol=1e-9)
            np.testing.assert_allclose(q.sel(statistic="ci95_low").values, mean - half, rtol=1e-9, atol=1e-9)
            for name, pct in (("p5", 5), ("p10", 10), ("p50", 50), ("p90", 90), ("p95", 95)):
                np.testing.assert_allclose(q.sel(statistic=name).values, np.percentile(values, pct, axis=1),
                                           rtol=1e-12, atol=1e-12)

    def test_stats_only_output_leaves_out_the_replication_series(self):
        out = self.dir / "stats-only.h5"
        run_capsim("run", STUDY, "-o", out, "--quiet", "--set", "output.replications=stats", check=True)
        with h5py.File(out, "r") as f:
            self.assertNotIn("sites", f)
            self.assertNotIn("tenants", f)
            self.assertIn("stats/sites", f)
            self.assertIn("totals", f)
        with h5py.File(out, "r") as f, h5py.File(self.one_thread, "r") as g:
            np.testing.assert_array_equal(f["stats/sites/energy_mwh"][()], g["stats/sites/energy_mwh"][()])

    def test_merge_rejects_missing_duplicate_and_foreign_shards(self):
        shards = self.shards(3, prefix="check")
        out = self.dir / "bad.h5"
        missing = run_capsim("merge", shards[0], shards[2], "-o", out)
        self.assertEqual(missing.returncode, 65)
        self.assertIn("missing shard 1/3", missing.stderr)
        self.assertFalse(out.exists())
        duplicate = run_capsim("merge", *shards, shards[1], "-o", out)
        self.assertEqual(duplicate.returncode, 65)
        self.assertIn("are both shard 1/3", duplicate.stderr)
        foreign = self.shards(3, "--set", "seed=8", prefix="foreign")
        mixed = run_capsim("merge", shards[0], foreign[1], shards[2], "-o", out)
        self.assertEqual(mixed.returncode, 65)
        self.assertIn("shard of another study", mixed.stderr)
        self.assertIn(str(foreign[1]), mixed.stderr)
        self.assertFalse(out.exists())
        whole = run_capsim("merge", self.one_thread, "-o", out)
        self.assertIn("not a shard", whole.stderr)

    def test_an_interrupted_run_resumes_where_it_stopped(self):
        # Long enough runs that the study can be stopped part way, as a cluster's time limit would.
        longer = ["--set", "end=2026-12-31", "--threads", "1", "--quiet"]
        out = self.dir / "resumed.h5"
        parts = Path(str(out) + ".parts")
        process = subprocess.Popen([capsim_bin(), "run", str(STUDY), "-o", str(out), *longer])
        deadline = time.time() + 300
        while time.time() < deadline and process.poll() is None:
            if parts.is_dir() and len(list(parts.glob("*.h5"))) >= 3:
                break
            time.sleep(0.01)
        if process.poll() is not None:
            self.skipTest("the study finished before it could be interrupted")
        process.send_signal(signal.SIGKILL)
        process.wait()
        self.assertFalse(out.exists())
        self.assertEqual(len(list(self.dir.glob("resumed.h5.tmp.*"))), 1)  # a kill leaves its temporary file
        kept = len(list(parts.glob("*.h5")))
        self.assertGreaterEqual(kept, 3)

        again = run_capsim("run", STUDY, "-o", out, *longer)
        self.assertEqual(again.returncode, 64)
        self.assertIn("--resume", again.stderr)

        resumed = run_capsim("run", STUDY, "-o", out, "--resume", *longer, check=True)
        self.assertIn(f"({kept} kept from an earlier run)", resumed.stdout)
        self.assertFalse(parts.exists())
        self.assertEqual(list(self.dir.glob("resumed.h5.tmp.*")), [])  # and the resumed run removes it
        fresh = self.dir / "uninterrupted.h5"
        run_capsim("run", STUDY, "-o", fresh, *longer, check=True)
        self.assert_same_datasets(fresh, out)

    def start_and_stop(self, out, sig, *args, parts_before=1):
        """Starts `capsim run STUDY -o out args`, sends `sig` once `parts_before` runs are finished (at
        once if 0, after a moment), and returns (exit code, stderr, seconds from the signal to the exit)."""
        parts = Path(str(out) + ".parts")
        process = subprocess.Popen([capsim_bin(), "run", str(STUDY), "-o", str(out), *map(str, args)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 300
        while time.time() < deadline and process.poll() is None:
            if parts_before == 0 or (parts.is_dir() and len(list(parts.glob("*.h5"))) >= parts_before):
                break
            time.sleep(0.01)
        if parts_before == 0:
            time.sleep(0.5)
        if process.poll() is not None:
            self.skipTest("the run finished before it could be stopped")
        process.send_signal(sig)
        sent = time.monotonic()
        _, stderr = process.communicate(timeout=60)
        return process.returncode, stderr, time.monotonic() - sent

    def test_sigint_and_sigterm_stop_a_study_keeping_its_finished_runs(self):
        # SIGTERM is what Slurm sends at a time limit, SIGINT what Ctrl-C sends: the study stops at once,
        # exits 128 + the signal, keeps the finished runs and says how to go on; nothing looks complete.
        longer = ["--set", "end=2026-12-31", "--threads", "1", "--quiet"]
        for sig, code, name in ((signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "SIGINT")):
            out = self.dir / f"stopped-{name}.h5"
            parts = Path(str(out) + ".parts")
            returncode, stderr, latency_s = self.start_and_stop(out, sig, *longer)
            self.assertEqual(returncode, code, stderr)
            self.assertLess(latency_s, 10)  # a bound for a loaded machine; it takes milliseconds
            kept = len(list(parts.glob("*.h5")))
            self.assertGreaterEqual(kept, 1)
            self.assertRegex(stderr, rf"capsim: the study stopped by {name}; {kept} of 12 runs are kept in "
                                     rf"'{parts}': run the same command with --resume to go on")
            self.assertFalse(out.exists())
            self.assertEqual(list(self.dir.glob(f"{out.name}.tmp.*")), [])
        resumed = run_capsim("run", STUDY, "-o", out, "--resume", *longer, check=True)
        self.assertIn(f"({kept} kept from an earlier run)", resumed.stdout)
        fresh = self.dir / "never-stopped.h5"
        run_capsim("run", STUDY, "-o", fresh, *longer, check=True)
        self.assert_same_datasets(fresh, out)

    def run_with_file_size_limit(self, limit_bytes, *args):
        """Runs capsim as under `ulimit -f`: a write past the limit fails, as on a full disk."""
        def limit():
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))
        return subprocess.run([capsim_bin(), *map(str, args)], capture_output=True, text=True, timeout=600,
                              preexec_fn=limit)

    @unittest.skipIf("TSAN_OPTIONS" in os.environ,
                     "ThreadSanitizer's runtime faults (SIGBUS) under a file size limit; the release and "
                     "AddressSanitizer builds run this test")
    def test_a_full_disk_exits_74_naming_the_file_and_keeps_the_finished_runs(self):
        # Every part (80 kB) fits under the limit, the study file does not: the runs are all kept.
        out = self.dir / "full.h5"
        parts = Path(str(out) + ".parts")
        result = self.run_with_file_size_limit(300_000, "run", STUDY, "-o", out, "--threads", "1", "--quiet")
        self.assertEqual(result.returncode, 74, result.stderr)
        self.assertRegex(result.stderr, rf"capsim: error: cannot write '{out}\.tmp\.\d+': File too large .*; "
                                        rf"12 of 12 runs are kept in '{parts}': run the same command with "
                                        rf"--resume once there is room")
        self.assertFalse(out.exists())
        self.assertEqual(list(self.dir.glob("full.h5.tmp*")), [])
        self.assertEqual(len(list(parts.glob("*.h5"))), 12)
        resumed = run_capsim("run", STUDY, "-o", out, "--threads", "1", "--quiet", "--resume", check=True)
        self.assertIn("(12 kept from an earlier run)", resumed.stdout)
        self.assert_same_datasets(self.one_thread, out)
        # A single run: nothing is left behind, not even its temporary file.
        single = self.dir / "single-full.h5"
        result = self.run_with_file_size_limit(20_000, "run", STUDY, "-o", single, "--set", "sweep={}",
                                               "--set", "replications=1", "--quiet")
        self.assertEqual(result.returncode, 74, result.stderr)
        self.assertRegex(result.stderr, rf"cannot write '{single}\.tmp\.\d+': File too large")
        self.assertEqual(list(self.dir.glob("single-full.h5*")), [])

    def test_a_study_that_cannot_fit_on_the_disk_stops_after_its_first_run(self):
        # A million runs of a year at an hourly step: about 12 TB of finished runs, beyond any disk here.
        out = self.dir / "huge.h5"
        huge = ["--set", "sweep={}", "--set", "replications=1000000", "--set", "end=2027-01-01",
                "--set", "output.timestep=1h", "--quiet"]
        result = run_capsim("run", STUDY, "-o", out, "--threads", "1", *huge)
        self.assertEqual(result.returncode, 74, result.stderr)
        self.assertRegex(result.stderr, r"capsim: error: the study's other 999999 runs need about [\d.]+ TB in "
                                        rf"'{out}\.parts' \([\d.]+ MB each, kept until the results file is assembled\), "
                                        r"but [\d.]+ [kMGT]?B are free there: .* or add --ignore-disk-space to start anyway")
        self.assertFalse(out.exists())
        # Asked to, it goes on (and is stopped here once it has).
        returncode, stderr, _ = self.start_and_stop(out, signal.SIGTERM, *huge, "--ignore-disk-space", "--force",
                                                    parts_before=2)
        self.assertEqual(returncode, 143, stderr)

    def test_a_signal_while_the_points_load_stops_at_once(self):
        out = self.dir / "loading.h5"
        seeds = "[" + ", ".join(str(k) for k in range(1, 20001)) + "]"
        returncode, stderr, latency_s = self.start_and_stop(out, signal.SIGINT, "--set", f"sweep.seed={seeds}",
                                                            "--quiet", parts_before=0)
        self.assertEqual(returncode, 130, stderr)
        self.assertLess(latency_s, 10)
        self.assertIn("capsim: stopped by SIGINT while loading the study's 60000 points; nothing was simulated or "
                      "written", stderr)
        self.assertEqual(list(self.dir.glob("loading.h5*")), [])

    def test_a_stopped_single_run_writes_nothing_and_says_so(self):
        out = self.dir / "single-stopped.h5"
        returncode, stderr, _ = self.start_and_stop(out, signal.SIGINT, "--set", "sweep={}", "--set", "replications=1",
                                                    "--set", "end=2031-12-31", "--set",
                                                    "workloads[0].arrivals.rate=4000/day", parts_before=0)
        self.assertEqual(returncode, 130, stderr)
        self.assertIn(f"capsim: the run stopped by SIGINT; nothing was written to '{out}' (a single run does not "
                      "resume: run it again)", stderr)
        self.assertEqual(list(self.dir.glob("single-stopped.h5*")), [])

    def test_sweep_coordinates_are_numeric_in_base_units(self):
        out = self.dir / "grid.h5"
        run_capsim("run", REPO_ROOT / "scenarios" / "small" / "grid-sweep.yaml", "-o", out, "--quiet", check=True)
        key = "sites[0].grid[1].capacity"
        with xr.open_dataset(out, group="stats/sites", engine="h5netcdf") as ds:
            self.assertEqual(list(ds[key].values), [30e3, 45e3, 60e3])
            self.assertEqual(ds[key].attrs["units"], "W")
            powered = ds.powered_gpus.sel(statistic="mean").isel(time=-1).sum(["site", "gpu"]).values
            self.assertTrue(powered[0] < powered[1] < powered[2], powered)

    def test_summary_shows_cost_waits_and_shares_per_point(self):
        out = run_capsim("summary", self.one_thread, check=True).stdout
        lines = out.splitlines()
        with xr.open_dataset(self.one_thread, group="stats/totals", engine="h5netcdf") as totals, \
             xr.open_dataset(self.one_thread, group="stats/summary", engine="h5netcdf") as summary:
            mean = totals.sel(statistic="mean")
            np.testing.assert_allclose(mean.total_cost.values, (mean.total_capex_hardware + mean.total_capex_facility
                                                               + mean.total_energy_cost).values, rtol=1e-12)
            rates = ["20/day", "40/day", "80/day"]
            for p in range(3):
                self.assertIn(f"point {p:<5} {RATE}={rates[p]}", out)
                row = next(l for l in lines if l.startswith(f"  {p:<6} "))
                self.assertTrue(row.split()[1].startswith(f"{float(mean.total_cost[p]):,.0f}"[:5]), row)
                cells = re.split(r"\s{2,}", row.strip())  # cost, energy, carbon, stranded, nodes, PFLOP/s, jobs
                self.assertEqual(cells[5], f"{float(mean.nodes_powered_at_end[p]):.0f}", row)
            capex = mean.total_capex_hardware + mean.total_capex_facility
            self.assertIn("capex (USD) by point: " + " ".join(f"{float(c):,.0f}" for c in capex.values), out)
            # The p95 waits by group and point, as means over the replications, in readable units.
            header = lines.index("  p95 wait, mean over replications (jobs still waiting at the end count with "
                                 "their wait so far)")
            self.assertEqual(lines[header + 1].split(), ["point", "0", "point", "1", "point", "2"])
            industry = next(l for l in lines[header:] if l.strip().startswith("tenant:industry "))
            p95 = summary.wait_p95_s.sel(statistic="mean", group="tenant:industry").values
            self.assertLess(p95[0], p95[2])
            self.assertRegex(industry, r"\d+(\.\d)? (s|min|h|d)\s*$")
            self.assertNotIn("class:training", out)  # no such jobs at any point
            # With common random numbers the industry tenant asks for the same GPU-hours at every point.
            asked = lines.index("  GPU-hours asked for, mean over replications")
            cells = next(l for l in lines[asked:] if l.strip().startswith("tenant:industry")).split()[-3:]
            self.assertEqual(len(set(cells)), 1, cells)
            demand = summary.demand_gpu_hours.sel(statistic="mean", group="tenant:industry").values
            self.assertEqual(cells[0], f"{demand[0]:,.0f}")

    def test_common_random_numbers_give_every_point_the_same_jobs(self):
        # Two build-outs of the queue sweep: by default replication r of both sees the same arrivals,
        # so only the waits differ; with independent streams the arrivals differ too.
        sweep = ["--set", "sweep={'buildout[0].count': [4, 8]}", "--set", "replications=2", "--quiet"]
        for common in (True, False):
            out = self.dir / f"crn-{common}.h5"
            run_capsim("run", STUDY, "-o", out, *sweep, "--set", f"common_random_numbers={str(common).lower()}",
                       check=True)
            with xr.open_dataset(out, group="tenants", engine="h5netcdf") as ds:
                arrivals = ds.submitted_jobs.values  # point, replication, time, tenant
            self.assertEqual(np.array_equal(arrivals[0], arrivals[1]), common)
            self.assertFalse(np.array_equal(arrivals[:, 0], arrivals[:, 1]))  # replications still differ
            with xr.open_dataset(out, group="summary", engine="h5netcdf") as summary:
                waits = summary.wait_mean_s.sel(group="all").values
            self.assertTrue((waits[0] > waits[1]).all(), waits)  # half the GPUs: longer waits

    def test_a_node_type_sweep_shares_one_gpu_axis_with_zeros_where_a_point_has_none(self):
        # Point p orders 8 nodes of its own type: the file's gpu axis is the union, newest first, and
        # each point has GPUs (and peak FLOP/s and capex) of its own type only.
        out = self.dir / "node-sweep.h5"
        nodes = {"hgx-a100": ("A100", 0.312, 170000), "hgx-h100": ("H100", 0.989, 350000),
                 "hgx-b200": ("B200", 2.25, 470000)}
        run_capsim("run", STUDY, "-o", out, "--quiet", "--set", "replications=1",
                   "--set", "sweep={'buildout[0].node': [" + ", ".join(nodes) + "]}", check=True)
        with xr.open_dataset(out, group="sites", engine="h5netcdf") as sites, \
             xr.open_dataset(out, group="totals", engine="h5netcdf") as totals, \
             xr.open_dataset(out, group="tenants", engine="h5netcdf") as tenants:
            self.assertEqual(list(sites.gpu.values), ["B200", "H100", "A100"])
            end = sites.isel(replication=0, time=-1).sum("site")
            for p, (gpu, pflops, price) in enumerate(nodes.values()):
                installed = end.installed_gpus.isel(point=p)
                self.assertEqual(float(installed.sel(gpu=gpu)), 64)
                self.assertEqual(float(installed.sum()), 64)
                self.assertAlmostEqual(float(end.powered_peak_pflops.isel(point=p).sel(gpu=gpu)), 64 * pflops, places=9)
                self.assertEqual(float(totals.total_capex_hardware.isel(point=p, replication=0)), 8 * price)
            # Common random numbers: the same jobs arrive whatever the GPU type. Their work is given as
            # run times, not FLOPs, so the type changes the power drawn and not the schedule.
            arrivals = tenants.submitted_jobs.isel(replication=0).values
            self.assertTrue(np.array_equal(arrivals[0], arrivals[2]))
            energy = totals.total_it_energy_mwh.isel(replication=0).values
            self.assertTrue(energy[0] < energy[1] < energy[2], energy)
        with xr.open_dataset(out, group="summary", engine="h5netcdf") as summary:
            waits = summary.wait_mean_s.sel(group="all").isel(replication=0).values
        self.assertEqual(waits[0], waits[2])

    def test_points_with_different_sites_share_one_site_axis_with_zeros_where_a_point_has_none(self):
        # Point 0 runs the cluster at "lab"; point 1 moves it to a new site "annex" (and orders a second
        # lot of 0 nodes there, "no second order" as a sweep value). The site axis is the union: lab has
        # no grid and no GPUs in point 1, annex none in point 0; the jobs are the same (common random numbers).
        out = self.dir / "site-sweep.h5"
        text = STUDY.read_text().replace(
            "  - {site: lab, node: hgx-h100, count: 8, ordered: 2026-01-01}\n",
            "  - {site: lab, node: hgx-h100, count: 8, ordered: 2026-01-01}\n"
            "  - {site: lab, node: hgx-h100, count: 1, ordered: 2026-01-01}\n")
        text = text[:text.index("sweep:")] + """sweep:
  zip:
    sites[0]:
      - {name: lab, grid: 2 MW, pue: 1.3, electricity: 100 USD/MWh, carbon: 400 g/kWh}
      - {name: annex, grid: 3 MW, pue: 1.1, electricity: 50 USD/MWh, carbon: 20 g/kWh}
    buildout[0].site: [lab, annex]
    buildout[1].site: [lab, annex]
  buildout[1].count: [0, 2]
"""
        scenario = self.dir / "site-sweep.yaml"
        scenario.write_text(text)
        run_capsim("run", scenario, "-o", out, "--quiet", "--set", "replications=1", check=True)
        with xr.open_dataset(out, group="sites", engine="h5netcdf") as sites, \
             xr.open_dataset(out, group="tenants", engine="h5netcdf") as tenants:
            self.assertEqual(list(sites.site.values), ["lab", "annex"])
            end = sites.isel(replication=0, time=-1)
            gpus = end.installed_gpus.sum("gpu")
            # Points: (lab, 0 more), (lab, 2 more), (annex, 0 more), (annex, 2 more).
            self.assertEqual(gpus.sel(site="lab").values.tolist(), [64, 80, 0, 0])
            self.assertEqual(gpus.sel(site="annex").values.tolist(), [0, 0, 64, 80])
            grid = sites.grid_capacity_mw.isel(replication=0, time=0)
            np.testing.assert_allclose(grid.sel(site="annex").values, [0, 0, 3, 3], rtol=1e-12)
            np.testing.assert_allclose(grid.sel(site="lab").values, [2, 2, 0, 0], rtol=1e-12)
            energy = sites.it_energy_mwh.isel(replication=0).sum("time")
            self.assertTrue(np.all(energy.sel(site="lab").values[2:] == 0))
            self.assertTrue(np.all(energy.sel(site="annex").values[:2] == 0))
            arrivals = tenants.submitted_jobs.isel(replication=0).values
            for p in range(1, 4):
                self.assertTrue(np.array_equal(arrivals[0], arrivals[p]))

    def test_the_year_the_p95_wait_passes_a_day_under_demand_growing_60_percent_a_year(self):
        # One 8-GPU node and one-GPU jobs of 4.53 h on average (lognormal, median 4 h, sigma 0.5) arriving
        # at 20/day growing 60 %/year: the load is 90.7 / 192 = 47 % at the start, 75 % at the end of
        # 2026, and reaches 1 when 1.6^t = 2.12, t = 1.6 years (August 2027). So the p95 wait by year of
        # submission stays under a day in 2026, passes it in 2027, and in 2028, overloaded all year with
        # a backlog that only grows, is longer still; in every replication, and `capsim summary` says so.
        scenario = self.dir / "growing.yaml"
        scenario.write_text("""name: growing demand on one node
start: 2026-01-01
end: 2028-12-31
seed: 3
replications: 3
output: {timestep: 7d}
sites:
  - {name: lab, grid: 1 MW, pue: 1.2, electricity: 100 USD/MWh, carbon: 300 g/kWh}
buildout:
  - {site: lab, node: hgx-h100, count: 1, ordered: 2026-01-01}
tenants:
  - {name: research, share: 1}
workloads:
  - name: research-jobs
    tenant: research
    class: research
    arrivals: {rate: 20/day, growth: 60%/year}
    gpus: 1
    duration: {lognormal: {median: 4h, sigma: 0.5}}
scheduler: {policy: fcfs}
""")
        out = self.dir / "growing.h5"
        run_capsim("run", scenario, "-o", out, "--quiet", check=True)
        with xr.open_dataset(out, group="summary_by_year", engine="h5netcdf") as years:
            self.assertEqual(list(years.year.values), [2026, 2027, 2028])
            p95_d = years.wait_p95_s.sel(group="all", point=0).values / 86400  # replication, year
        self.assertTrue((p95_d[:, 0] < 1).all(), p95_d)
        self.assertTrue((p95_d[:, 1] > 1).all(), p95_d)
        self.assertTrue((p95_d[:, 2] > p95_d[:, 1]).all(), p95_d)
        lines = run_capsim("summary", out, check=True).stdout.splitlines()
        header = lines.index("  p95 wait of all jobs by year of submission, mean over replications")
        self.assertEqual(lines[header + 1].split(), ["point", "2026", "2027", "2028"])
        mean = p95_d.mean(axis=0)
        self.assertEqual(lines[header + 2].split(), ["0", f"{mean[0] * 24:.1f}", "h", f"{mean[1]:.1f}", "d",
                                                     f"{mean[2]:.1f}", "d"])

    def test_common_random_numbers_is_a_setting_of_the_study(self):
        result = run_capsim("validate", STUDY, "--set", "sweep={common_random_numbers: [true, false]}")
        self.assertEqual(result.returncode, 65)
        self.assertIn("'common_random_numbers' cannot be swept", result.stderr)
        result = run_capsim("validate", STUDY, "--set", "common_random_numbers=sometimes")
        self.assertEqual(result.returncode, 65)
        self.assertIn("error: common_random_numbers: 'sometimes', expected true or false", result.stderr)


if __name__ == "__main__":
    unittest.main()
