"""scripts/plot_results.py and scripts/capsim_results.py on real runs: the default scenario gives every
figure, an infrastructure-only scenario the figures that need no workloads, both files together a
comparison; the goodput figure is skipped with a note for a file written before node failures and drawn
for one where nothing failed; the reader returns every group at its size, decodes the job table and agrees with the
summary; a replication dimension is kept and drawn; bad input fails with a message, not a traceback.
Study files (small sweeps): every figure but the job table's, plus the sweep figure, from the
replications or from the statistics alone; points named by their swept values; a numeric swept value
on a numeric axis in its unit, a text one as categories in point order."""
import struct
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import h5py
import numpy as np
import xarray as xr

from capsim_test_support import REPO_ROOT, TRACES, run_capsim

sys.path.insert(0, str(REPO_ROOT / "scripts"))
import capsim_results  # noqa: E402
import plot_results  # noqa: E402
from capsim_plots.goodput import plot_goodput  # noqa: E402

SCRIPT = REPO_ROOT / "scripts" / "plot_results.py"
DEFAULT = REPO_ROOT / "scenarios" / "joint-2026.yaml"
GRID_CAP = REPO_ROOT / "scenarios" / "small" / "grid-cap.yaml"
QUEUE_SWEEP = REPO_ROOT / "scenarios" / "small" / "queue-sweep.yaml"
GRID_SWEEP = REPO_ROOT / "scenarios" / "small" / "grid-sweep.yaml"
RATE = "workloads[0].arrivals.rate"
CAPACITY = "sites[0].grid[1].capacity"
MEDIAN = "workloads[1].duration.lognormal.median"
FIGURES = ("gpus", "power", "energy", "utilization", "waits", "shares", "goodput", "summary")
WORKLOAD_FIGURES = ("utilization", "waits", "shares", "goodput")
INFRASTRUCTURE_FIGURES = tuple(f for f in FIGURES if f not in WORKLOAD_FIGURES)
STUDY_FIGURES = tuple(f for f in FIGURES if f != "waits") + ("sweep",)  # no job table in a study file
CLASSES = ["urgent", "inference", "training", "fine-tuning", "research"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
EXIT_BAD_INPUT, EXIT_IO = 65, 74


def plot(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                          timeout=600)


def replicate(src, dst, n=3, jobs=20000):
    """A copy of a result file with a leading `replication` dimension of n (the series scaled a little
    differently in each), as a future capsim may write: the job table cut to its first `jobs` rows."""
    rng = np.random.default_rng(7)
    with h5py.File(src, "r") as f:
        groups = [name for name, item in f.items() if isinstance(item, h5py.Group)]
        attrs = dict(f.attrs)
    mode = "w"
    for group in groups:
        with xr.open_dataset(src, group=group, engine="h5netcdf", decode_times=False,
                             decode_timedelta=False) as ds:
            ds = ds.load()
        if group == "jobs":
            ds = ds.isel(job=slice(0, jobs))
        copies = []
        for _ in range(n):
            copy = ds.copy(deep=True)
            for name in copy.data_vars:
                if copy[name].dtype.kind == "f" and name != "time_bounds":
                    copy[name] = copy[name] * (1 + 0.05 * rng.standard_normal())
            copies.append(copy)
        out = xr.concat(copies, dim="replication", data_vars="all", coords="minimal", compat="override")
        if "time_bounds" in out and "replication" in out["time_bounds"].dims:
            out["time_bounds"] = out["time_bounds"].isel(replication=0)
        out.to_netcdf(dst, group=group, mode=mode, engine="h5netcdf")
        mode = "a"
    with h5py.File(dst, "a") as f:
        for key, value in attrs.items():
            f.attrs[key] = value


#: What node failures added to a results file (docs/output.md), by group.
FAILURE_VARIABLES = {"sites": ("node_failures", "nodes_in_repair", "unavailable_gpu_hours"),
                     "summary": ("interruptions", "lost_gpu_hours", "ettr_mean", "ettr_weighted"),
                     "totals": ("interruptions", "lost_gpu_hours")}


def rewrite(src, dst, change):
    """A copy of a result file without its job table, each group's Dataset passed through change(group, ds)."""
    with h5py.File(src, "r") as f:
        groups = [name for name, item in f.items() if isinstance(item, h5py.Group) and name != "jobs"]
        attrs = dict(f.attrs)
    mode = "w"
    for group in groups:
        with xr.open_dataset(src, group=group, engine="h5netcdf", decode_times=False,
                             decode_timedelta=False) as ds:
            ds = change(group, ds.load())
        ds.to_netcdf(dst, group=group, mode=mode, engine="h5netcdf")
        mode = "a"
    with h5py.File(dst, "a") as f:
        for key, value in attrs.items():
            f.attrs[key] = value


def without_failure_variables(group, ds):
    """As a file written before node failures: none of their variables."""
    return ds.drop_vars([v for v in FAILURE_VARIABLES.get(group, ()) if v in ds])


def nothing_failed(group, ds):
    """As a run where no node failed and no job was stopped: zeros, and every ETTR 1."""
    for name in FAILURE_VARIABLES.get(group, ()):
        ds[name] = xr.ones_like(ds[name]) if name.startswith("ettr") else xr.zeros_like(ds[name])
    return ds


class FigureChecks:
    """Assertions on the figures plot_results.py writes into self.tmp."""

    def assert_png(self, path):
        self.assertTrue(path.is_file(), f"{path.name} was not written")
        data = path.read_bytes()
        self.assertGreater(len(data), 1000, f"{path.name} is (nearly) empty")
        self.assertEqual(data[:8], PNG_MAGIC, f"{path.name} is not a PNG")
        width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
        self.assertGreaterEqual(width, 600, path.name)
        self.assertGreaterEqual(height, 300, path.name)

    def assert_plots(self, files, expected, *extra):
        out = self.tmp / ("figures-" + "-".join(Path(f).stem for f in files) + "-".join(extra))
        result = plot(*files, "-o", out, *extra)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        for name in expected:
            self.assert_png(out / f"{name}.png")
        self.assertEqual(sorted(p.stem for p in out.iterdir()), sorted(expected), "unexpected files")
        return result

    def assert_fails(self, args, code, *message_parts):
        result = plot(*args)
        self.assertNotEqual(result.returncode, 0)
        self.assertEqual(result.returncode, code, result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        for part in message_parts:
            self.assertIn(part, result.stderr)
        return result


class PlotsTest(FigureChecks, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.tmp = Path(cls.dir.name)
        cls.joint = cls.tmp / "joint.h5"
        cls.grid = cls.tmp / "grid-cap.h5"
        run_capsim("run", DEFAULT, "-o", cls.joint, check=True)
        run_capsim("run", GRID_CAP, "-o", cls.grid, check=True)

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    # ------------------------------------------------------------------------------------------
    # plot_results.py

    def test_default_scenario_gives_every_figure(self):
        self.assert_plots([self.joint], FIGURES)

    def test_infrastructure_only_scenario_skips_the_workload_figures_with_a_note(self):
        result = self.assert_plots([self.grid], INFRASTRUCTURE_FIGURES)
        self.assertIn("no workloads", result.stderr)
        for name in WORKLOAD_FIGURES:
            self.assertIn(name, result.stderr)

    def test_goodput_is_skipped_with_a_note_for_a_file_written_before_node_failures(self):
        old = self.tmp / "before-failures.h5"
        rewrite(self.joint, old, without_failure_variables)
        result = self.assert_plots([old], ("shares",), "--only", "goodput", "--only", "shares")
        self.assertIn("written before node failures", result.stderr)
        self.assertIn("skipping goodput", result.stderr)
        # Beside a file that has them, it is left out of the figure, and said so.
        result = self.assert_plots([self.joint, old], ("goodput",), "--only", "goodput")
        self.assertIn("left out of goodput", result.stderr)

    def test_goodput_works_where_nothing_failed(self):
        path = self.tmp / "nothing-failed.h5"
        rewrite(self.joint, path, nothing_failed)
        self.assert_plots([path], ("goodput",), "--only", "goodput")
        series, _ = plot_results.load_series([path], need_jobs=False)
        fig = plot_goodput(series)
        self.addCleanup(plot_results.plt.close, fig)
        titles = [ax.get_title(loc="left") for ax in fig.axes]
        self.assertIn("ETTR of completed jobs, by tenant", titles)
        self.assertIn("ETTR of completed jobs, by job class", titles)
        self.assertIn("il-north: 0 node failures, 0 GPU-hours in repair", titles)
        self.assertIn("az-baku: 0 node failures, 0 GPU-hours in repair", titles)

    def test_comparison_of_both_files(self):
        result = self.assert_plots([self.joint, self.grid], FIGURES)
        self.assertIn("Grid cap strands nodes", result.stderr)  # left out of the workload figures, said so

    def test_other_formats_and_help(self):
        out = self.tmp / "formats"
        result = plot(self.grid, "-o", out, "--format", "svg", "--format", "pdf", "--only", "summary")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(sorted(p.name for p in out.iterdir()), ["summary.pdf", "summary.svg"])
        self.assertTrue((out / "summary.pdf").read_bytes().startswith(b"%PDF"))
        self.assertIn(b"<svg", (out / "summary.svg").read_bytes()[:2000])
        help_text = plot("--help")
        self.assertEqual(help_text.returncode, 0)
        for name in FIGURES:
            self.assertIn(name, help_text.stdout)

    def test_replication_dimension_is_kept_and_drawn(self):
        path = self.tmp / "replicated.h5"
        replicate(self.joint, path)
        r = capsim_results.open_results(path)
        self.assertEqual(r.sites.powered_gpus.dims, ("replication", "time", "site", "gpu"))
        self.assertEqual(r.tenants.sizes["replication"], 3)
        self.assertEqual(r.ensemble_dims, ("replication",))
        self.assertEqual(sorted(r.jobs["replication"].unique()), [0, 1, 2])
        self.assertEqual(len(r.jobs), 3 * 20000)
        self.assertEqual(len(r.summary.loc["all"]), 3)
        self.assert_plots([path], FIGURES)

    def test_missing_file_fails_with_a_message(self):
        missing = self.tmp / "absent.h5"
        result = self.assert_fails([missing, "-o", self.tmp / "never"], EXIT_IO, str(missing), "no such file")
        self.assertEqual(result.stdout, "")
        self.assertFalse((self.tmp / "never").exists())
        # One bad file among good ones fails the whole command.
        self.assert_fails([self.grid, missing, "-o", self.tmp / "never"], EXIT_IO, "no such file")

    def test_file_that_is_not_a_capsim_result_fails_with_a_message(self):
        self.assert_fails([REPO_ROOT / "README.md", "-o", self.tmp / "never"], EXIT_BAD_INPUT, "not an HDF5 file")
        other = self.tmp / "other.h5"
        with h5py.File(other, "w") as f:
            f.create_dataset("x", data=[1, 2, 3])
        self.assert_fails([other, "-o", self.tmp / "never"], EXIT_BAD_INPUT, "not a file written by capsim")
        self.assertEqual(plot(self.grid).returncode, 64, "-o is required")

    # ------------------------------------------------------------------------------------------
    # capsim_results.py

    def test_open_results_returns_every_group_at_its_size(self):
        r = capsim_results.open_results(self.joint)
        self.assertEqual(r.kind, "run")
        self.assertEqual(r.label, "Joint national AI compute, 2026-2031")
        self.assertEqual(capsim_results.label(self.joint), r.label)
        days = (np.datetime64(r.attrs["end"][:10]) - np.datetime64(r.attrs["start"][:10])).astype(int)
        self.assertEqual(r.sites.powered_gpus.dims, ("time", "site", "gpu"))
        self.assertEqual(dict(r.sites.powered_gpus.sizes), {"time": days, "site": 2, "gpu": 4})
        self.assertEqual(list(r.sites.site.values), ["il-north", "az-baku"])
        self.assertTrue(np.issubdtype(r.sites.time.dtype, np.datetime64))
        self.assertEqual(dict(r.tenants.busy_gpus.sizes), {"time": days, "tenant": 4})
        self.assertEqual(len(r.jobs), r.attrs["jobs"])
        tenants = [str(t) for t in r.tenants.tenant.values]
        expected_groups = ([f"tenant:{t}" for t in tenants] + [f"class:{c}" for c in CLASSES] +
                           [f"tenant:{t}/class:{c}" for t in tenants for c in CLASSES] + ["all"])
        self.assertEqual(list(r.summary.index), expected_groups)
        self.assertEqual(r.summary.loc["all", "submitted"], r.attrs["jobs"])
        self.assertEqual(r.attrs["currency"], "USD")
        self.assertIsInstance(r.attrs["total_energy_mwh"], float)

    def test_job_table_is_decoded_and_agrees_with_the_summary(self):
        r = capsim_results.open_results(self.joint)
        jobs = r.jobs
        self.assertEqual(list(jobs["class"].cat.categories), CLASSES)
        self.assertEqual(list(jobs["tenant"].cat.categories), [str(t) for t in r.tenants.tenant.values])
        self.assertEqual(set(jobs["state"].dropna().unique()) - {"completed", "running", "queued", "rejected"}, set())
        self.assertEqual(list(jobs["gpu_type"].cat.categories), [str(g) for g in r.sites.gpu.values])
        # Jobs that never started have no site (code -1 becomes missing), and no start time.
        never = jobs["first_start"].isna()
        self.assertTrue(jobs.loc[never, "site"].isna().all())
        self.assertTrue(jobs.loc[never, "start_time"].isna().all())
        self.assertFalse(jobs.loc[~never, "site"].isna().any())
        # Datetime columns: the scenario start plus the seconds.
        start = np.datetime64(r.attrs["start"].replace(" ", "T"))
        for seconds, column in (("submit", "submit_time"), ("start", "start_time"), ("end", "end_time")):
            self.assertTrue(np.issubdtype(jobs[column].dtype, np.datetime64), column)
            known = jobs[seconds].notna()
            delta = (jobs.loc[known, column].values - start) / np.timedelta64(1, "s")
            np.testing.assert_allclose(delta, jobs.loc[known, seconds].values, atol=1e-6)
        # Per tenant and per class, the job table's counts are the summary's `submitted`.
        per_tenant = jobs.groupby("tenant").size()
        for tenant, count in per_tenant.items():
            self.assertEqual(count, r.summary.loc[f"tenant:{tenant}", "submitted"], tenant)
        per_class = jobs.groupby("class").size()
        for cls in CLASSES:
            self.assertEqual(per_class.get(cls, 0), r.summary.loc[f"class:{cls}", "submitted"], cls)
        self.assertEqual(per_tenant.sum(), r.summary.loc["all", "submitted"])

    def test_infrastructure_only_file_has_no_workload_groups(self):
        r = capsim_results.open_results(self.grid)
        self.assertEqual(r.label, "Grid cap strands nodes")
        self.assertIsNotNone(r.sites)
        self.assertEqual(dict(r.sites.stranded_gpus.sizes), {"time": 4, "site": 1, "gpu": 1})
        self.assertIsNone(r.tenants)
        self.assertIsNone(r.jobs)
        self.assertIsNone(r.summary)
        self.assertFalse(r.has_workloads)

    def test_replay_file_gives_its_job_table(self):
        trace = TRACES / "HPC2N-2002-excerpt.swf.gz"
        if not trace.exists():
            self.skipTest(f"{trace} not found")
        path = self.tmp / "replay.h5"
        run_capsim("replay", trace, "--policy", "easy", "-o", path, check=True)
        r = capsim_results.open_results(path)
        self.assertEqual(r.kind, "replay")
        self.assertIsNone(r.sites)
        self.assertIsNone(r.summary)
        self.assertEqual(len(r.jobs), r.attrs["jobs"])
        self.assertTrue({"id", "submit", "start", "end", "wait", "processors"} <= set(r.jobs.columns))
        self.assertNotIn("submit_time", r.jobs.columns, "a replay runs on the trace's clock: no dates")
        self.assertIn("HPC2N-2002-excerpt", capsim_results.label(path))
        self.assert_fails([path, "-o", self.tmp / "never"], EXIT_BAD_INPUT, "capsim replay")

    def test_open_results_errors(self):
        with self.assertRaises(FileNotFoundError):
            capsim_results.open_results(self.tmp / "absent.h5")
        with self.assertRaises(capsim_results.NotCapsimResult):
            capsim_results.open_results(REPO_ROOT / "README.md")


class StudyPlotsTest(FigureChecks, unittest.TestCase):
    """Study files of the small sweeps: 3 points x 4 replications each, a fraction of a second to run."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.tmp = Path(cls.dir.name)
        cls.sweep = cls.tmp / "queue-sweep.h5"
        cls.stats_only = cls.tmp / "queue-sweep-stats.h5"
        cls.grid_sweep = cls.tmp / "grid-sweep.h5"
        run_capsim("run", QUEUE_SWEEP, "-o", cls.sweep, "--quiet", check=True)
        run_capsim("run", QUEUE_SWEEP, "-o", cls.stats_only, "--quiet", "--set", "output.replications=stats",
                   check=True)
        run_capsim("run", GRID_SWEEP, "-o", cls.grid_sweep, "--quiet", check=True)

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    loaded = {}

    def load(self, path):
        """plot_results.load_series of a file, read once for all the tests."""
        if path not in self.loaded:
            self.loaded[path] = plot_results.load_series([path], need_jobs=False)
        return self.loaded[path]

    def sweep_figure(self, path, x_key=None):
        """The sweep figure drawn in this process: its panels by title, their x labels, and the legend's texts."""
        files = self.load(path)[1]
        fig = plot_results.plot_sweep(files, x_key or files[0].swept[0])
        self.addCleanup(plot_results.plt.close, fig)
        panels = {ax.get_title(loc="left"): ax for ax in fig.axes if ax.axison}
        xlabels = {ax.get_xlabel() for ax in panels.values()} - {""}  # under the bottom panel of each column
        legend = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
        return panels, xlabels, legend

    def test_study_gives_every_figure_and_the_sweep(self):
        result = self.assert_plots([self.sweep], STUDY_FIGURES)
        self.assertIn("no job table", result.stderr)  # waits, from the job table, skipped with a note
        self.assertIn("waits", result.stderr)

    def test_study_from_its_statistics_alone_gives_the_same_figures(self):
        r = capsim_results.open_results(self.stats_only)
        self.assertIsNone(r.sites)
        self.assertIsNone(r.tenants)
        self.assertIsNotNone(r.stats_sites)
        self.assertIsNotNone(r.stats_tenants)
        self.assert_plots([self.stats_only], STUDY_FIGURES)

    def test_lines_from_statistics_are_the_files_p50_and_bands_its_p10_p90(self):
        r = capsim_results.open_results(self.stats_only)
        members = plot_results.quantile_members(r.stats_tenants)
        self.assertEqual(members.queued_jobs.dims[:2], ("point", "replication"))
        lines = np.nanpercentile(members.queued_jobs.values, [10, 50, 90], axis=1)
        for statistic, drawn in zip(("p10", "p50", "p90"), lines):
            np.testing.assert_array_equal(drawn, r.stats_tenants.queued_jobs.sel(statistic=statistic).values,
                                          statistic)

    def test_points_are_named_by_their_swept_values(self):
        series, _ = self.load(self.sweep)
        self.assertEqual([s.label for s in series], ["rate=20/day", "rate=40/day", "rate=80/day"])
        self.assertTrue(all(s.study == "Queue sweep on one small cluster" and s.replications == 4 for s in series))
        series, _ = self.load(self.grid_sweep)
        self.assertEqual([s.label for s in series], ["capacity=30 kW", "capacity=45 kW", "capacity=60 kW"])

    def test_numeric_swept_value_is_a_numeric_axis_in_its_unit(self):
        self.assert_plots([self.grid_sweep], INFRASTRUCTURE_FIGURES + ("sweep",))
        panels, xlabels, _ = self.sweep_figure(self.grid_sweep)
        self.assertEqual(len(panels), 4, list(panels))  # energy, cost, carbon, GPU-hours stranded: no workloads
        self.assertEqual(xlabels, {f"{CAPACITY} (kW)"})
        stranded = next(ax for title, ax in panels.items() if "stranded" in title)
        self.assertEqual(stranded.get_ylabel(), "thousand GPU-hours")
        line = next(line for line in stranded.get_lines() if len(line.get_xdata()) == 3)
        np.testing.assert_allclose(np.asarray(line.get_xdata(), dtype=float), [30, 45, 60])
        np.testing.assert_allclose(np.asarray(line.get_ydata(), dtype=float), [2.304, 1.536, 1.152])

    def test_text_swept_value_is_categories_in_point_order(self):
        panels, xlabels, _ = self.sweep_figure(self.sweep)
        for what in ("energy", "cost", "Carbon", "stranded", "Jobs completed", "Mean wait"):
            self.assertTrue(any(what in title for title in panels), f"{what} not in {list(panels)}")
        for ax in panels.values():
            self.assertEqual([t.get_text() for t in ax.get_xticklabels()], ["20/day", "40/day", "80/day"])
        self.assertEqual(xlabels, {f"{RATE} (in point order)"})

    def test_other_swept_keys_are_lines_and_sweep_x_picks_the_axis(self):
        path = self.tmp / "two-keys.h5"
        run_capsim("run", QUEUE_SWEEP, "-o", path, "--quiet", "--set", f"sweep.{MEDIAN}=[2h, 8h]", check=True)
        _, xlabels, legend = self.sweep_figure(path)
        self.assertEqual(xlabels, {f"{RATE} (in point order)"})
        self.assertIn("median=2 h", legend)
        self.assertIn("median=8 h", legend)
        _, xlabels, legend = self.sweep_figure(path, MEDIAN)
        self.assertEqual(xlabels, {f"{MEDIAN} (h)"})
        self.assertIn("rate=40/day", legend)
        self.assert_plots([path], ["sweep"], "--only", "sweep", "--sweep-x", "median")
        self.assert_fails([path, "-o", self.tmp / "never", "--sweep-x", "nope"], 64, "--sweep-x nope", RATE)

    def test_replications_without_a_sweep_are_one_run_and_no_sweep_figure(self):
        path = self.tmp / "replications.h5"
        run_capsim("run", QUEUE_SWEEP, "-o", path, "--quiet", "--set", "sweep={}", check=True)
        series, _ = plot_results.load_series([path], need_jobs=False)
        self.assertEqual([s.label for s in series], ["Queue sweep on one small cluster"])
        self.assertEqual(series[0].replications, 4)
        result = self.assert_plots([path], ["summary"], "--only", "summary", "--only", "sweep")
        self.assertIn("no sweep", result.stderr)
        self.assertIn("sweep", plot("--help").stdout)

    def test_open_results_on_a_study_gives_its_statistics_and_swept_keys(self):
        r = capsim_results.open_results(self.sweep)
        self.assertTrue(r.is_study)
        self.assertEqual(r.kind, "run")
        self.assertEqual(r.swept, [RATE])
        self.assertIsNone(r.jobs)
        self.assertEqual(r.sites.powered_gpus.dims, ("point", "replication", "time", "site", "gpu"))
        self.assertEqual(r.ensemble_dims, ("replication", "point"))
        self.assertEqual(r.totals.total_energy_cost.dims, ("point", "replication"))
        self.assertEqual(list(r.stats_totals.statistic.values), list(capsim_results.STATISTICS))
        self.assertEqual(r.stats_totals.total_carbon_t.dims, ("point", "statistic"))
        self.assertEqual(r.stats_sites.powered_gpus.dims, ("point", "statistic", "time", "site", "gpu"))
        self.assertEqual(r.stats_tenants.busy_gpus.dims, ("point", "statistic", "time", "tenant"))
        self.assertEqual(r.stats_summary.wait_mean_s.dims, ("point", "statistic", "group"))
        for ds in (r.sites, r.tenants, r.totals, r.stats_sites, r.stats_tenants, r.stats_summary, r.stats_totals):
            self.assertEqual(list(ds[RATE].values), ["20/day", "40/day", "80/day"])
            self.assertEqual(ds[RATE].dims, ("point",))
        self.assertEqual(sorted(r.summary[RATE].unique()), ["20/day", "40/day", "80/day"])
        mean = r.stats_totals.total_energy_cost.sel(statistic="mean").values
        np.testing.assert_allclose(mean, r.totals.total_energy_cost.mean("replication").values, rtol=1e-12)
        grid = capsim_results.open_results(self.grid_sweep)
        self.assertEqual(grid.swept, [CAPACITY])
        self.assertEqual(grid.stats_totals[CAPACITY].attrs["units"], "W")
        np.testing.assert_array_equal(grid.stats_totals[CAPACITY].values, [30000, 45000, 60000])
        self.assertIsNone(grid.stats_tenants)
        self.assertFalse(grid.has_workloads)

    def test_single_run_is_not_a_study(self):
        path = self.tmp / "grid-cap.h5"
        run_capsim("run", GRID_CAP, "-o", path, check=True)
        r = capsim_results.open_results(path)
        self.assertFalse(r.is_study)
        self.assertEqual(r.swept, [])
        self.assertIsNone(r.stats_totals)
        self.assertEqual(r.ensemble_dims, ())


if __name__ == "__main__":
    unittest.main()
