"""scripts/plot_results.py and scripts/capsim_results.py on real runs: the default scenario gives every
figure, an infrastructure-only scenario the figures that need no workloads, both files together a
comparison; the goodput figure is skipped with a note for a file written before node failures and drawn
for one where nothing failed; the reader returns every group at its size, decodes the job table and agrees with the
summary; a replication dimension is kept and drawn; bad input fails with a message, not a traceback.
Study files (small sweeps): every figure but the job table's, plus the sweep figure, from the
replications or from the statistics alone; points named by their swept values; a numeric swept value
(or a text of one number and unit, 40/day) on a numeric axis in its unit, a text one as categories in
point order; zipped keys as one axis; the p95 wait and --target lines; waits by job class from the
summary. A study of 20 points: every figure drawn with no two texts overlapping and no panel collapsed.
Replay files: their own utilization, waits and summary figures."""
import contextlib
import io
import struct
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import h5py
import matplotlib.text
import numpy as np
import xarray as xr

from capsim_test_support import REPO_ROOT, TRACES, run_capsim

sys.path.insert(0, str(REPO_ROOT / "scripts"))
import capsim_results  # noqa: E402
import plot_results  # noqa: E402
from capsim_plots.cli import PLOTTERS  # noqa: E402
from capsim_plots.goodput import plot_goodput  # noqa: E402
from capsim_plots.loading import swept_axes, swept_keys_of  # noqa: E402
from capsim_plots.replay import (mean_level, plot_replay_summary, plot_replay_utilization,  # noqa: E402
                                 plot_replay_waits)
from capsim_plots.shares import plot_shares  # noqa: E402
from capsim_plots.targets import parse_target  # noqa: E402
from capsim_plots.waits_by_class import plot_waits_by_class  # noqa: E402

SCRIPT = REPO_ROOT / "scripts" / "plot_results.py"
DEFAULT = REPO_ROOT / "scenarios" / "joint-2026.yaml"
GRID_CAP = REPO_ROOT / "scenarios" / "small" / "grid-cap.yaml"
QUEUE_SWEEP = REPO_ROOT / "scenarios" / "small" / "queue-sweep.yaml"
GRID_SWEEP = REPO_ROOT / "scenarios" / "small" / "grid-sweep.yaml"
RATE = "workloads[0].arrivals.rate"
CAPACITY = "sites[0].grid[1].capacity"
MEDIAN = "workloads[1].duration.lognormal.median"
FIGURES = ("gpus", "power", "energy", "utilization", "waits", "waits_by_class", "shares", "goodput", "summary")
WORKLOAD_FIGURES = ("utilization", "waits", "waits_by_class", "shares", "goodput")
REPLAY_FIGURES = ("utilization", "waits", "summary")
POLICY = "scheduler.policy"
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


def drawn_texts(fig):
    """The texts a draw of the figure puts on the canvas: visible, not empty, and drawn (a tick label
    outside the axis' limits is not), each once."""
    drawn = []
    original = matplotlib.text.Text.draw

    def record(text, renderer):
        if text.get_visible() and text.get_text().strip():
            drawn.append(text)
        return original(text, renderer)

    matplotlib.text.Text.draw = record
    try:
        fig.canvas.draw()
    finally:
        matplotlib.text.Text.draw = original
    return list(dict.fromkeys(drawn))


def texts_outside(fig, tolerance_px=1.0):
    """Drawn texts that run off the canvas (a legend longer than the figure is tall)."""
    renderer = fig.canvas.get_renderer()
    canvas = fig.bbox
    out = []
    for text in drawn_texts(fig):
        box = text.get_window_extent(renderer)
        if (box.x0 < canvas.x0 - tolerance_px or box.y0 < canvas.y0 - tolerance_px
                or box.x1 > canvas.x1 + tolerance_px or box.y1 > canvas.y1 + tolerance_px):
            out.append(text.get_text())
    return out


def overlapping_texts(fig, tolerance_px=1.0):
    """Pairs of drawn texts whose boxes on the canvas overlap by more than tolerance_px each way."""
    texts = drawn_texts(fig)
    renderer = fig.canvas.get_renderer()
    boxes = np.array([t.get_window_extent(renderer).extents for t in texts])  # x0, y0, x1, y1
    out = []
    for i in range(len(texts)):
        w = np.minimum(boxes[i, 2], boxes[i + 1:, 2]) - np.maximum(boxes[i, 0], boxes[i + 1:, 0])
        h = np.minimum(boxes[i, 3], boxes[i + 1:, 3]) - np.maximum(boxes[i, 1], boxes[i + 1:, 1])
        for j in np.flatnonzero((w > tolerance_px) & (h > tolerance_px)):
            out.append((texts[i].get_text(), texts[i + 1 + j].get_text()))
    return out


class FigureChecks:
    """Assertions on the figures plot_results.py writes into self.tmp, and on figures drawn in this process."""

    def assert_legible(self, fig, name):
        """No two drawn texts overlap, none runs off the canvas, and every axes (panels, keys, legends' rows)
        has a positive size; a panel with data is at least an inch tall."""
        self.addCleanup(plot_results.plt.close, fig)
        self.assertEqual(overlapping_texts(fig), [], f"{name}: texts overlap")
        self.assertEqual(texts_outside(fig), [], f"{name}: texts off the canvas")
        renderer = fig.canvas.get_renderer()
        for ax in fig.axes:
            box = ax.get_window_extent(renderer)
            what = f"{name}: axes '{ax.get_title(loc='left')}'"
            self.assertGreater(box.height, 0, f"{what} collapsed")
            self.assertGreater(box.width, 0, f"{what} collapsed")
            if ax.axison and ax.get_lines():
                self.assertGreaterEqual(box.height / fig.dpi, 1.0, f"{what} is squeezed")

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

    def test_waits_by_class_of_a_run_are_the_summary_and_by_year(self):
        series, _ = plot_results.load_series([self.joint], need_jobs=False)
        r = series[0].r
        fig = plot_waits_by_class(series)
        self.assert_legible(fig, "waits_by_class")
        horizon = next(ax for ax in fig.axes if ax.get_title(loc="left") == "Over the horizon")
        labels = [t.get_text().split("\n")[0] for t in horizon.get_xticklabels()]
        with_jobs = [c for c in CLASSES if r.summary.loc[f"class:{c}", "submitted"] > 0]
        self.assertEqual(labels, with_jobs)
        bars = horizon.patches  # p50, mean, p95 of each class, statistic by statistic
        p95 = [bar.get_height() for bar in bars[2 * len(labels):3 * len(labels)]]
        np.testing.assert_allclose(p95, [r.summary.loc[f"class:{c}", "wait_p95_s"] for c in labels], rtol=1e-12)
        # Six years: a panel per class of the p95 (and mean) by year of submission, as summary_by_year has it.
        yearly = {ax.get_title(loc="left"): ax for ax in fig.axes if ax.get_xlabel() == "year of submission"}
        self.assertEqual(list(yearly), labels)
        years = r.summary_by_year["year"].values
        self.assertEqual(list(years), list(range(2026, 2032)))
        line = yearly["training"].get_lines()[0]
        np.testing.assert_array_equal(line.get_xdata(), years)
        np.testing.assert_allclose(line.get_ydata(), r.summary_by_year.wait_p95_s.sel(group="class:training"),
                                   rtol=1e-12)

    def test_replays_of_one_trace_are_compared_in_their_own_figures(self):
        trace = TRACES / "HPC2N-2002-excerpt.swf.gz"
        if not trace.exists():
            self.skipTest(f"{trace} not found")
        easy, fcfs = self.tmp / "replay-easy.h5", self.tmp / "replay-fcfs.h5"
        run_capsim("replay", trace, "--policy", "easy", "-o", easy, "--force", check=True)
        run_capsim("replay", trace, "--policy", "fcfs", "-o", fcfs, "--force", check=True)
        self.assert_plots([easy, fcfs], REPLAY_FIGURES)
        self.assert_plots([easy], ["waits"], "--only", "waits")
        series, _ = plot_results.load_series([easy, fcfs], need_jobs=False)
        for name, plotter in zip(REPLAY_FIGURES, (plot_replay_utilization, plot_replay_waits, plot_replay_summary)):
            self.assert_legible(plotter(series), f"replay {name}")
        fig = plot_replay_utilization(series)
        self.addCleanup(plot_results.plt.close, fig)
        legend = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
        self.assertEqual(legend, ["easy / fifo", "fcfs / fifo"])  # what differs between the files
        # The mean busy processors of each step, integrated, are the processor-seconds of the jobs: the
        # replay's utilization.
        for s in series:
            jobs, attrs = s.r.jobs, s.r.attrs
            edges = np.linspace(0, attrs["last_end_s"] + 1000, 97)
            busy = mean_level(jobs.start.to_numpy(float), jobs.end.to_numpy(float), jobs.processors.to_numpy(float),
                              edges)
            self.assertAlmostEqual(busy @ np.diff(edges) / (attrs["processors"] * attrs["makespan_s"]),
                                   attrs["utilization"], delta=1e-9)
        # Beside a run's results they cannot be drawn (no dates): a clear error, nothing written.
        self.assert_fails([easy, self.grid, "-o", self.tmp / "never"], EXIT_BAD_INPUT, "capsim replay",
                          "plot them apart")
        self.assertFalse((self.tmp / "never").exists())

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
        result = self.assert_plots([path], REPLAY_FIGURES)  # its own figures; the others skipped, said so
        self.assertIn("`capsim replay` results", result.stderr)
        self.assertIn("skipping gpus, power, energy, waits_by_class, shares, goodput, sweep", result.stderr)

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
        path = self.tmp / "policies.h5"
        run_capsim("run", QUEUE_SWEEP, "-o", path, "--quiet", "--set",
                   f"sweep={{{POLICY}: [fcfs, easy, conservative]}}", "--set", "replications=2", check=True)
        panels, xlabels, _ = self.sweep_figure(path)
        for what in ("energy", "cost", "Carbon", "stranded", "Jobs completed", "Mean wait", "p95 wait"):
            self.assertTrue(any(what in title for title in panels), f"{what} not in {list(panels)}")
        for ax in panels.values():
            self.assertEqual([t.get_text() for t in ax.get_xticklabels()], ["fcfs", "easy", "conservative"])
        self.assertEqual(xlabels, {f"{POLICY} (in point order)"})

    def test_text_of_one_number_and_unit_is_a_numeric_axis(self):
        panels, xlabels, _ = self.sweep_figure(self.sweep)  # rates: "20/day", "40/day", "80/day"
        self.assertEqual(xlabels, {f"{RATE} (per day)"})
        completed = panels["Jobs completed"]
        line = next(line for line in completed.get_lines() if len(line.get_xdata()) == 3)
        np.testing.assert_allclose(np.asarray(line.get_xdata(), dtype=float), [20, 40, 80])
        r = capsim_results.open_results(self.sweep, jobs=False)
        np.testing.assert_allclose(np.asarray(line.get_ydata(), dtype=float),
                                   r.stats_totals.jobs_completed.sel(statistic="mean").values / 1e3)
        self.assertEqual([t.get_text() for t in completed.get_xticklabels()], ["20", "40", "80"])
        # The points keep their names as written.
        self.assertEqual([s.label for s in self.load(self.sweep)[0]], ["rate=20/day", "rate=40/day", "rate=80/day"])

    def test_sweep_draws_the_p95_wait_and_targets(self):
        files = self.load(self.sweep)[1]
        targets = [parse_target("wait_p95=2h"), parse_target("energy=100MWh")]
        fig = plot_results.plot_sweep(files, RATE, targets)
        self.addCleanup(plot_results.plt.close, fig)
        panels = {ax.get_title(loc="left"): ax for ax in fig.axes if ax.axison}
        p95 = panels["p95 wait until first start, all jobs"]
        self.assertEqual(p95.get_ylabel(), "wait (h)")
        mean = files[0].stats_summary.wait_p95_s.sel(group="all", statistic="mean").values / 3600
        line = next(line for line in p95.get_lines() if len(line.get_xdata()) == 3)
        np.testing.assert_allclose(np.asarray(line.get_ydata(), dtype=float), mean)
        for title, value, label in (("p95 wait until first start, all jobs", 2.0, "target 2h"),
                                    ("Facility energy over the horizon", 100.0, "target 100MWh")):
            ax = panels[title]
            dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"
                      and np.allclose(line.get_ydata(), value)]
            self.assertEqual(len(dashed), 1, f"{title}: one dashed line at the target")
            self.assertLessEqual(ax.get_ylim()[0], value)
            self.assertGreater(ax.get_ylim()[1], value, f"{title}: the target is inside the panel")
            self.assertIn(label, [t.get_text() for t in ax.texts])
        others = [ax for title, ax in panels.items() if "energy" not in title and "p95" not in title]
        self.assertFalse(any(t.get_text().startswith("target") for ax in others for t in ax.texts))
        self.assertIn("target", [t.get_text() for ax in fig.axes if ax.get_legend()
                                 for t in ax.get_legend().get_texts()])
        self.assert_legible(plot_results.plot_sweep(files, RATE, targets), "sweep with targets")
        self.assert_plots([self.sweep], ["sweep"], "--only", "sweep", "--target", "wait_p95=24h",
                          "--target", "wait_mean_s=30min", "--target", "cost=9000 USD")

    def test_a_bad_target_fails_with_a_message(self):
        never = self.tmp / "never"
        result = self.assert_fails([self.sweep, "-o", never, "--target", "wait_p95=24"], EXIT_BAD_INPUT,
                                   "--target wait_p95=24: no unit, expected a duration with its unit")
        self.assertEqual(result.stdout, "")
        for target, message in (("wait_p95=soon", "'soon' is not a number"),
                                ("wiat_p95=24h", "did you mean 'wait_p95'?"),
                                ("wait_p95", "expected METRIC=VALUE"),
                                ("energy=5 W", "unit 'W'"),
                                ("cost=9000 EUR", "the results are in USD, not EUR")):
            stdout, stderr = io.StringIO(), io.StringIO()  # main() in this process: quicker than a new one
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                code = plot_results.main([str(self.sweep), "-o", str(never), "--target", target])
            self.assertEqual(code, EXIT_BAD_INPUT, stderr.getvalue())
            self.assertIn(f"--target {target}", stderr.getvalue())
            self.assertIn(message, stderr.getvalue())
            self.assertEqual(stdout.getvalue(), "")
        self.assertFalse(never.exists())

    def test_zipped_keys_are_one_axis(self):
        head = QUEUE_SWEEP.read_text().split("\nsweep:")[0]
        head = head.replace("replications: 4\n", "replications: 2\n").replace("end: 2026-03-01\n", "end: 2026-01-15\n")
        scenario = self.tmp / "zip.yaml"
        scenario.write_text(head + "\nsweep:\n  zip:\n    sites[0].pue: [1.1, 1.3, 1.5]\n"
                            "    sites[0].electricity: [80 USD/MWh, 100 USD/MWh, 120 USD/MWh]\n"
                            f"  {RATE}: [20/day, 40/day]\n")
        path = self.tmp / "zip.h5"
        run_capsim("run", scenario, "-o", path, "--quiet", check=True)
        files = self.load(path)[1]
        self.assertEqual([[k.key for k in axis] for axis in swept_axes(swept_keys_of(files[0]))],
                         [["sites[0].pue", "sites[0].electricity"], [RATE]])
        panels, xlabels, legend = self.sweep_figure(path)
        self.assertEqual(xlabels, {"sites[0].pue, zipped with sites[0].electricity (USD/MWh)"})
        # One line per rate through the three zipped values, not a line of one point per electricity price.
        energy = panels["Facility energy over the horizon"]
        lines = [line for line in energy.get_lines() if line.get_marker() == "o"]  # not the error bars' caps
        self.assertEqual(len(lines), 2)
        for line in lines:
            np.testing.assert_allclose(np.asarray(line.get_xdata(), dtype=float), [1.1, 1.3, 1.5])
        self.assertEqual([t for t in legend if "=" in t], ["rate=20/day", "rate=40/day"])
        self.assertEqual([t.get_text() for t in energy.get_xticklabels()],
                         ["1.1\n80 USD/MWh", "1.3\n100 USD/MWh", "1.5\n120 USD/MWh"])
        _, xlabels, legend = self.sweep_figure(path, "sites[0].electricity")  # the same axis, by its other key
        self.assertEqual(xlabels, {"sites[0].electricity (USD/MWh), zipped with sites[0].pue"})
        self.assertEqual([t for t in legend if "=" in t], ["rate=20/day", "rate=40/day"])
        _, xlabels, legend = self.sweep_figure(path, RATE)  # the zipped keys make the lines, named together
        self.assertEqual(xlabels, {f"{RATE} (per day)"})
        self.assertEqual([t for t in legend if "=" in t], ["pue=1.1, electricity=80 USD/MWh",
                                                            "pue=1.3, electricity=100 USD/MWh",
                                                            "pue=1.5, electricity=120 USD/MWh"])

    def test_waits_by_class_of_a_study_are_its_summary_at_each_point(self):
        series, _ = self.load(self.sweep)
        fig = plot_waits_by_class(series)
        self.assert_legible(fig, "waits_by_class")
        panels = {ax.get_title(loc="left"): ax for ax in fig.axes if ax.axison}
        self.assertEqual(list(panels), ["fine-tuning", "research"])  # the classes with jobs; one year: no row by year
        for cls, ax in panels.items():
            p95 = next(line for line in ax.get_lines() if line.get_label() == "p95")
            np.testing.assert_allclose(np.asarray(p95.get_xdata(), dtype=float), [20, 40, 80])
            expected = [s.r.summary.loc[f"class:{cls}", "wait_p95_s"].median() for s in series]
            np.testing.assert_allclose(np.asarray(p95.get_ydata(), dtype=float), expected, rtol=1e-12)
            self.assertEqual(ax.get_xlabel(), f"{RATE} (per day)")

    def test_shares_panels_are_each_scaled_to_their_tenant(self):
        series, _ = self.load(self.sweep)
        fig = plot_shares(series)
        self.addCleanup(plot_results.plt.close, fig)
        panels = {ax.get_title(loc="left"): ax for ax in fig.axes if ax.axison}
        self.assertEqual(list(panels), ["research", "industry"])
        tops = {}
        for tenant, ax in panels.items():
            top = max(float(np.nanmax(line.get_ydata())) for line in ax.get_lines())
            top = max([top] + [float(np.nanmax(c.get_paths()[0].vertices[:, 1])) for c in ax.collections])  # bands
            self.assertLessEqual(top, ax.get_ylim()[1], f"{tenant}: clipped")
            self.assertLess(ax.get_ylim()[1], 1.2 * top, f"{tenant}: scaled to another tenant's lines")
            tops[tenant] = ax.get_ylim()[1]
        self.assertGreater(tops["industry"], 80)  # industry gets over 75 % at 20/day ...
        self.assertLess(tops["research"], 75)  # ... research never much over its 60 % entitlement

    def test_other_swept_keys_are_lines_and_sweep_x_picks_the_axis(self):
        path = self.tmp / "two-keys.h5"
        run_capsim("run", QUEUE_SWEEP, "-o", path, "--quiet", "--set", f"sweep.{MEDIAN}=[2h, 8h]", check=True)
        _, xlabels, legend = self.sweep_figure(path)
        self.assertEqual(xlabels, {f"{RATE} (per day)"})
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


class ManyPointsTest(FigureChecks, unittest.TestCase):
    """A study of 20 sweep points (2 replications of a month each, well under a second to run): every figure
    stays legible, each point has a colour of its own and a key names them all."""

    POINTS = 20

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.tmp = Path(cls.dir.name)
        cls.path = cls.tmp / "twenty.h5"
        run_capsim("run", QUEUE_SWEEP, "-o", cls.path, "--quiet", "--set",
                   f"sweep.{RATE}={{from: 10/day, to: 200/day, step: 10/day}}", "--set", "replications=2",
                   "--set", "end=2026-02-01", check=True)
        cls.series, cls.files = plot_results.load_series([cls.path], need_jobs=False)

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def test_every_figure_is_legible(self):
        self.assertEqual(len(self.series), self.POINTS)
        for name in STUDY_FIGURES:
            fig = plot_results.plot_sweep(self.files, RATE) if name == "sweep" else PLOTTERS[name](self.series)
            self.assert_legible(fig, name)
        self.assert_plots([self.path], STUDY_FIGURES)

    def test_each_point_has_a_colour_of_its_own_and_a_key(self):
        self.assertEqual(len({s.color for s in self.series}), self.POINTS)
        fig = plot_shares(self.series)
        self.addCleanup(plot_results.plt.close, fig)
        panels = [ax for ax in fig.axes if ax.get_title(loc="left") in ("research", "industry")]
        for ax in panels:
            solid = [line for line in ax.get_lines() if line.get_linestyle() == "-"]
            self.assertEqual(len({tuple(line.get_color()) for line in solid}), self.POINTS)
            self.assertEqual(len(ax.collections), 0, "no bands: twenty would hide each other")
        keys = [ax for ax in fig.axes if ax not in panels and ax.axison]
        self.assertEqual(len(keys), 1, "one key beside the panels")
        self.assertEqual([t.get_text() for t in keys[0].get_yticklabels()], [s.label for s in self.series])
        self.assertEqual([ax.get_legend() for ax in panels], [None, None], "no legend inside the panels")

    def test_utilization_is_a_heat_map_with_a_row_per_point(self):
        fig = PLOTTERS["utilization"](self.series)
        self.addCleanup(plot_results.plt.close, fig)
        panels = [ax for ax in fig.axes if ax.get_title(loc="left")]
        self.assertEqual(len(panels), 3)
        for ax in panels:
            self.assertEqual([t.get_text() for t in ax.get_yticklabels()], [s.label for s in self.series])
            self.assertEqual(len(ax.collections), self.POINTS)
        s = self.series[7]  # row 7 from the top: the point at 80/day, the median of its replications
        busy = s.r.tenants.busy_gpus.sum("tenant")
        powered = s.r.sites.powered_gpus.sum(["site", "gpu"])
        utilization = (100 * busy / powered).transpose("replication", "time").values
        np.testing.assert_allclose(np.asarray(panels[0].collections[7].get_array()).ravel(),
                                   np.median(utilization, axis=0))
        np.testing.assert_allclose(np.asarray(panels[2].collections[7].get_array()).ravel(),
                                   s.r.tenants.queued_gpus.sum("tenant").median("replication").values)

    def test_summary_draws_lines_against_the_swept_value(self):
        fig = PLOTTERS["summary"](self.series)
        self.addCleanup(plot_results.plt.close, fig)
        panels = {ax.get_title(loc="left"): ax for ax in fig.axes if ax.axison}
        for title in ("Delivered vs entitled share", "Wait by job class"):
            ax = panels[title]
            self.assertEqual(len(ax.patches), 0, f"{title}: no bars, twenty a category would be slivers")
            self.assertEqual(ax.get_xlabel(), f"{RATE} (per day)")
            line = ax.get_lines()[0]
            np.testing.assert_allclose(np.asarray(line.get_xdata(), dtype=float), np.arange(10, 201, 10))
        share = panels["Delivered vs entitled share"].get_lines()[0]  # research's delivered share
        expected = [100 * s.r.summary.loc["tenant:research", "delivered_share"].median() for s in self.series]
        np.testing.assert_allclose(np.asarray(share.get_ydata(), dtype=float), expected, rtol=1e-12)


if __name__ == "__main__":
    unittest.main()
