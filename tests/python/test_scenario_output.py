"""`capsim run` end to end: the default scenario runs over its whole horizon, its HDF5 file opens in
xarray with named dimensions, units and real dates, and its numbers hold together (cumulative energy
is the integral of the power series; the totals are the sums of the steps)."""
import tempfile
import unittest
from pathlib import Path

import h5py
import numpy as np
import xarray as xr

from capsim_test_support import REPO_ROOT, run_capsim

DEFAULT = REPO_ROOT / "scenarios" / "joint-2026.yaml"
ONE_NODE = REPO_ROOT / "scenarios" / "small" / "one-node-day-night.yaml"
QUEUE_SWEEP = REPO_ROOT / "scenarios" / "small" / "queue-sweep.yaml"
FAILURES = "failures:\n  - {rate: 0.2/day, repair: 4h}\n"


def write_small_workload(folder, extra=""):
    """The two tenants and eight nodes of the bundled queue sweep as one run of ten days (no sweep, no
    replications, no checkpoints), with `extra` appended; returns the scenario's path."""
    text = QUEUE_SWEEP.read_text()
    text = text[:text.index("\nsweep:")].replace("replications: 4\n", "").replace("end: 2026-03-01", "end: 2026-01-10")
    path = Path(folder) / ("small-workload-failures.yaml" if extra else "small-workload.yaml")
    path.write_text(text + "\n" + extra)
    return path


def censored_waits(frame, horizon_s):
    """Each job's wait as the summary counts it: until its first start, or until the end of the
    horizon (seconds since the start) for a job still queued that never started; NaN if rejected."""
    never_started = (frame.state == 2) & frame.first_start.isna()
    return frame.wait.where(~never_started, horizon_s - frame.submit)


class ScenarioOutputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.path = Path(cls.dir.name) / "joint.h5"
        cls.stdout = run_capsim("run", DEFAULT, "-o", cls.path, check=True).stdout

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def open_sites(self):
        return xr.open_dataset(self.path, group="sites", engine="h5netcdf")

    def test_every_group_opens_with_named_dimensions_units_and_dates(self):
        with h5py.File(self.path, "r") as f:
            groups = [name for name, item in f.items() if isinstance(item, h5py.Group)]
        self.assertIn("sites", groups)
        for group in groups:
            with xr.open_dataset(self.path, group=group, engine="h5netcdf") as ds:
                for name, variable in ds.variables.items():
                    # Decoded dates keep their units in .encoding, everything else in .attrs.
                    is_label = variable.dtype == object  # string coordinates: site, gpu, tenant, group names
                    has_units = "units" in variable.attrs or "units" in variable.encoding or is_label
                    self.assertTrue(has_units, f"{group}/{name} has no units")
        with self.open_sites() as ds:
            self.assertEqual(list(ds.site.values), ["il-north", "az-baku"])
            self.assertIn("H100", list(ds.gpu.values))
            self.assertTrue(np.issubdtype(ds.time.dtype, np.datetime64))
            self.assertEqual(str(ds.time.values[0])[:10], "2026-03-01")
            self.assertEqual(str(ds.time.values[-1])[:10], "2031-12-31")
            self.assertEqual(ds.sizes["time"], (np.datetime64("2032-01-01") - np.datetime64("2026-03-01")).astype(int))
            self.assertEqual(ds["powered_gpus"].dims, ("time", "site", "gpu"))
            self.assertEqual(ds["energy_mwh"].dims, ("time", "site"))
            self.assertEqual(ds["facility_power_mw"].attrs["units"], "MW")

    def test_cumulative_energy_is_the_integral_of_power(self):
        with self.open_sites() as ds:
            step_hours = (ds.time_bounds[:, 1] - ds.time_bounds[:, 0]) / np.timedelta64(1, "h")
            integral = (ds.facility_power_mw * step_hours).cumsum("time")
            np.testing.assert_allclose(integral.values, ds.energy_cumulative_mwh.values, rtol=1e-9)
            np.testing.assert_allclose(ds.energy_mwh.sum("time").values, ds.total_energy_mwh.values, rtol=1e-12)

    def test_grid_cap_holds_and_counts_add_up(self):
        with self.open_sites() as ds:
            self.assertTrue((ds.facility_power_peak_mw <= ds.grid_capacity_mw * (1 + 1e-9) + 1e-9).all())
            np.testing.assert_allclose((ds.powered_gpus + ds.stranded_gpus).values, ds.in_service_gpus.values,
                                       atol=1e-6)
            # The grid of il-north grows only in 2029: its B200 nodes arriving in late 2028 are partly dark.
            late_2028 = ds.stranded_gpus.sel(site="il-north", time="2028-12").sum("gpu")
            self.assertTrue((late_2028 > 0).all())
            self.assertEqual(float(ds.stranded_gpus.sel(site="il-north", time="2029-06").sum()), 0.0)
            # Nodes and peak FLOP/s of the powered GPUs: 8 H100 of 989 TFLOP/s (dense BF16) on an HGX node,
            # and the other types at their own fixed ratio wherever any is powered.
            h100 = ds.sel(gpu="H100")
            np.testing.assert_allclose((h100.powered_nodes * 8).values, h100.powered_gpus.values, rtol=1e-12)
            np.testing.assert_allclose(h100.powered_peak_pflops.values, (h100.powered_gpus * 0.989).values, rtol=1e-12)
            powered = ds.powered_gpus > 0
            per_gpu = (ds.powered_peak_pflops / ds.powered_gpus).where(powered)
            np.testing.assert_allclose(per_gpu.max("time").values, per_gpu.min("time").values, rtol=1e-9)
            last = ds.isel(time=-1)
            np.testing.assert_allclose(ds.nodes_powered_at_end.values, last.powered_nodes.sum("gpu").values)
            np.testing.assert_allclose(ds.peak_pflops_powered_at_end.values, last.powered_peak_pflops.sum("gpu").values,
                                       rtol=1e-12)

    def test_root_totals_match_the_summary_and_the_series(self):
        with xr.open_dataset(self.path, engine="h5netcdf") as root, self.open_sites() as ds:
            attrs = root.attrs
            self.assertEqual(attrs["Conventions"], "CF-1.8")
            self.assertEqual(attrs["scenario"], "Joint national AI compute, 2026-2031")
            self.assertEqual(attrs["layout_version"], 3)
            self.assertIn("end: 2031-12-31", attrs["scenario_text"])
            self.assertIn("end_exclusive: 2032-01-01 00:00:00", attrs["scenario_resolved"])
            self.assertIn("policy: easy", attrs["scenario_resolved"])
            self.assertAlmostEqual(attrs["total_energy_mwh"], float(ds.energy_mwh.sum()), delta=1e-6)
            self.assertAlmostEqual(attrs["total_carbon_t"], float(ds.carbon_t.sum()), delta=1e-6)
        with xr.open_dataset(self.path, group="totals", engine="h5netcdf") as totals:
            for name in ("total_energy_mwh", "total_carbon_t", "jobs", "jobs_completed", "delivered_gpu_hours"):
                self.assertEqual(float(totals[name]), float(attrs[name]), name)
                self.assertEqual(totals[name].dims, ())
        total_line = next(line for line in self.stdout.splitlines() if line.strip().startswith("total "))
        self.assertIn(f"{attrs['total_energy_mwh']:,.0f} MWh", total_line)

    def test_tenant_series_and_job_table_agree_with_the_summary(self):
        with xr.open_dataset(self.path, group="tenants", engine="h5netcdf") as tenants, \
             xr.open_dataset(self.path, group="jobs", engine="h5netcdf") as jobs, \
             xr.open_dataset(self.path, group="summary", engine="h5netcdf") as summary:
            self.assertEqual(list(tenants.tenant.values), ["il-academia", "az-academia", "civil-sectors", "industry"])
            self.assertEqual(tenants.busy_gpus.dims, ("time", "tenant"))
            self.assertTrue(np.issubdtype(tenants.time.dtype, np.datetime64))
            frame = jobs.to_dataframe()
            horizon_s = float((tenants.time_bounds.values[-1, 1] - tenants.time.values[0]) / np.timedelta64(1, "s"))
            names = jobs.tenant.attrs["flag_meanings"].split()
            for k, name in enumerate(names):
                row = summary.sel(group=f"tenant:{name}")
                self.assertEqual(int(row.submitted), int((frame.tenant == k).sum()), name)
                self.assertEqual(int(row.completed), int(((frame.tenant == k) & (frame.state == 0)).sum()), name)
                waits = censored_waits(frame, horizon_s)[frame.tenant == k].dropna()
                self.assertAlmostEqual(float(row.wait_mean_s), float(waits.mean()), delta=1e-6 * max(1, float(waits.mean())))
                delivered = float(tenants.delivered_gpu_hours.sel(tenant=name).sum())
                self.assertAlmostEqual(float(row.delivered_gpu_hours), delivered, delta=1e-6 * delivered)
                # Demand is what the job table asks for; a shortfall only where it went unmet.
                self.assertAlmostEqual(float(row.demand_gpu_hours), float(frame.demand_gpu_hours[frame.tenant == k].sum()),
                                       delta=1e-9 * float(row.demand_gpu_hours))
                expected = max(0.0, min(float(row.entitled_gpu_hours), float(row.demand_gpu_hours)) - delivered)
                self.assertAlmostEqual(float(row.share_shortfall_gpu_hours), expected, delta=1e-6 * delivered)
            # The civil sectors get far less than their share because they ask for less, not because
            # they are served less: no shortfall.
            civil = summary.sel(group="tenant:civil-sectors")
            self.assertLess(float(civil.delivered_share), float(civil.entitled_share) / 5)
            self.assertEqual(float(civil.share_shortfall_gpu_hours), 0.0)
            # Shares are of all tenants' GPU-hours and add up to one.
            self.assertAlmostEqual(float(tenants.delivered_share.isel(time=-1).sum()), 1.0, places=9)
            self.assertAlmostEqual(float(tenants.entitled_share.sum()), 1.0, places=12)
            # Every job ends in exactly one state, and a job that started did so after its submission.
            self.assertTrue(frame.state.isin([0, 1, 2, 3]).all())
            started = frame.first_start.notna()
            self.assertTrue((frame.first_start[started] >= frame.submit[started]).all())
            self.assertTrue((frame.start[started] >= frame.first_start[started]).all())

    def test_delivery_by_year_adds_up_to_the_horizon_and_follows_the_clock(self):
        with xr.open_dataset(self.path, group="summary", engine="h5netcdf") as summary, \
             xr.open_dataset(self.path, group="summary_by_year", engine="h5netcdf") as years, \
             xr.open_dataset(self.path, group="tenants", engine="h5netcdf") as tenants:
            tenant_rows = [g for g in summary.group.values if g.startswith("tenant:") and "/" not in g]
            for column in ("delivered_gpu_hours", "demand_gpu_hours", "submitted"):
                by_year = years[column].sel(group=tenant_rows + ["all"]).sum("year")
                np.testing.assert_allclose(by_year.values, summary[column].sel(group=tenant_rows + ["all"]).values,
                                           rtol=1e-9, err_msg=column)
            # Daily steps start at midnight, so the steps of a year hold exactly that year's delivery.
            daily = tenants.delivered_gpu_hours.groupby("time.year").sum().transpose("year", "tenant")
            for k, name in enumerate(tenants.tenant.values):
                np.testing.assert_allclose(years.delivered_gpu_hours.sel(group=f"tenant:{name}").values,
                                           daily.sel(tenant=name).values, rtol=1e-9, err_msg=name)
            shares = years.delivered_share.sel(group=tenant_rows).sum("group")
            np.testing.assert_allclose(shares.values, 1.0, rtol=1e-12)

    def test_failure_variables_have_their_shapes_and_units_and_agree(self):
        with self.open_sites() as ds:
            for name, units in (("node_failures", "1"), ("nodes_in_repair", "1"), ("unavailable_gpu_hours", "h")):
                self.assertEqual(ds[name].dims, ("time", "site"), name)
                self.assertEqual(ds[name].shape, ds.energy_mwh.shape, name)
                self.assertEqual(ds[name].attrs["units"], units, name)
                self.assertTrue((ds[name] >= 0).all(), name)
        with xr.open_dataset(self.path, group="jobs", engine="h5netcdf") as jobs:
            for name, units in (("interruptions", "1"), ("productive", "s"), ("lost_gpu_hours", "h"), ("ettr", "1")):
                self.assertEqual(jobs[name].dims, ("job",), name)
                self.assertEqual(jobs[name].attrs["units"], units, name)
            self.assertEqual(jobs.interruptions.dtype, np.int64)
            frame = jobs.to_dataframe()
        # ETTR where a job completed (and took time), NaN elsewhere, never above 1.
        done, spans = frame.state == 0, frame.end - frame.first_start
        has = done & (spans > 0)
        self.assertTrue(frame.ettr[~has].isna().all())
        np.testing.assert_allclose(frame.ettr[has], frame.productive[has] / spans[has], rtol=1e-12)
        # Productive time fits in the span (to the rounding of times held as seconds since 1970, 2.4e-7 s).
        self.assertTrue((frame.productive[has] <= spans[has] + 1e-6).all())
        self.assertTrue((frame.lost_gpu_hours >= 0).all())
        with xr.open_dataset(self.path, group="summary", engine="h5netcdf") as summary:
            for name, units in (("interruptions", "1"), ("lost_gpu_hours", "h"), ("ettr_mean", "1"),
                                ("ettr_weighted", "1")):
                self.assertEqual(summary[name].dims, ("group",), name)
                self.assertEqual(summary[name].attrs["units"], units, name)
                self.assertIn("long_name", summary[name].attrs, name)
            everything = summary.sel(group="all")
            self.assertEqual(float(everything.interruptions), float(frame.interruptions.sum()))
            lost = float(frame.lost_gpu_hours.sum())
            self.assertAlmostEqual(float(everything.lost_gpu_hours), lost, delta=1e-9 * max(1.0, lost))
            weighted = (frame.productive[has] * frame.gpus[has]).sum() / (spans[has] * frame.gpus[has]).sum()
            self.assertAlmostEqual(float(everything.ettr_weighted), weighted, places=9)
            self.assertAlmostEqual(float(everything.ettr_mean), float(frame.ettr[has].mean()), places=9)
        with xr.open_dataset(self.path, group="totals", engine="h5netcdf") as totals, \
             h5py.File(self.path, "r") as f:
            self.assertEqual(float(totals.interruptions), float(frame.interruptions.sum()))
            self.assertEqual(totals.lost_gpu_hours.attrs["units"], "h")
            self.assertTrue(np.issubdtype(np.asarray(f.attrs["interruptions"]).dtype, np.integer))
            self.assertEqual(int(f.attrs["interruptions"]), int(frame.interruptions.sum()))
            self.assertAlmostEqual(float(f.attrs["lost_gpu_hours"]), float(totals.lost_gpu_hours), delta=1e-9)

    def test_scenario_without_failures_has_zero_failure_variables(self):
        path = Path(self.dir.name) / "small-workload.h5"
        stdout = run_capsim("run", write_small_workload(self.dir.name), "-o", path, check=True).stdout
        with xr.open_dataset(path, group="sites", engine="h5netcdf") as ds:
            for name in ("node_failures", "nodes_in_repair", "unavailable_gpu_hours"):
                self.assertEqual(dict(ds[name].sizes), {"time": 10, "site": 1}, name)
                self.assertEqual(float(abs(ds[name]).max()), 0.0, name)
        with xr.open_dataset(path, group="jobs", engine="h5netcdf") as jobs:
            frame = jobs.to_dataframe()
        self.assertEqual(int(frame.interruptions.sum()), 0)
        self.assertEqual(float(frame.lost_gpu_hours.sum()), 0.0)  # no stops of any kind
        done = frame.state == 0
        # No stops, no checkpoints: every completed job was productive from its first start to its end (to
        # the rounding of times held as seconds since 1970), so its ETTR is 1.
        np.testing.assert_allclose(frame.productive[done], frame.run[done], rtol=1e-12)
        np.testing.assert_allclose(frame.productive[done], (frame.end - frame.first_start)[done], atol=1e-6)
        np.testing.assert_allclose(frame.ettr[done & (frame.run > 60)], 1.0, rtol=1e-8)
        with xr.open_dataset(path, group="summary", engine="h5netcdf") as summary:
            self.assertEqual(float(summary.interruptions.sum()), 0.0)
            self.assertEqual(float(summary.lost_gpu_hours.sum()), 0.0)
            self.assertAlmostEqual(float(summary.ettr_weighted.sel(group="all")), 1.0, places=9)
            self.assertTrue(np.isnan(float(summary.ettr_mean.sel(group="class:training"))), "no training jobs")
        with h5py.File(path, "r") as f:
            self.assertEqual(int(f.attrs["interruptions"]), 0)
            self.assertEqual(float(f.attrs["lost_gpu_hours"]), 0.0)
        # Nothing failed: `capsim run` and `capsim summary` print no failures block.
        self.assertNotIn("failures", stdout)
        self.assertNotIn("ETTR", stdout)
        self.assertNotIn("ETTR", run_capsim("summary", path, check=True).stdout)

    def test_jobs_still_waiting_at_the_end_raise_the_wait_percentiles(self):
        # Ten times the research arrivals of the small workload on its 64 GPUs (about 1.6 times what
        # they can serve): a backlog that grows to the end. Its never-started jobs count with their
        # waits so far, so the p95 is that of the censored waits, above that of the jobs that started.
        path = Path(self.dir.name) / "overloaded.h5"
        scenario = write_small_workload(self.dir.name)
        run_capsim("run", scenario, "-o", path, "--set", "workloads[0].arrivals.rate=400/day", check=True)
        with xr.open_dataset(path, group="jobs", engine="h5netcdf") as jobs, \
             xr.open_dataset(path, group="summary", engine="h5netcdf") as summary:
            frame = jobs.to_dataframe()
            row = summary.sel(group="all")
            never_started = int(((frame.state == 2) & frame.first_start.isna()).sum())
            self.assertGreater(never_started, 100)
            self.assertEqual(int(row.still_waiting), never_started)
            self.assertEqual(int(row.started), int(frame.first_start.notna().sum()))
            waits = censored_waits(frame, 10 * 86400.0).dropna().values
            self.assertAlmostEqual(float(row.wait_p95_s), float(np.percentile(waits, 95)), delta=1e-6)
            self.assertAlmostEqual(float(row.wait_mean_s), float(waits.mean()), delta=1e-6)
            started_only = float(np.percentile(frame.wait.dropna().values, 95))
            self.assertGreater(float(row.wait_p95_s), started_only)

    def test_node_failures_fill_the_site_series_and_cost_the_jobs(self):
        path = Path(self.dir.name) / "small-failures.h5"
        scenario = write_small_workload(self.dir.name, FAILURES)
        run_capsim("run", scenario, "-o", path, check=True)
        with xr.open_dataset(path, group="sites", engine="h5netcdf") as ds:
            self.assertGreater(float(ds.node_failures.sum()), 0)
            # Every node has 8 GPUs: GPU-hours in repair are 8 x the mean nodes in repair x 24 h a step.
            np.testing.assert_allclose(ds.unavailable_gpu_hours.values, 8 * 24 * ds.nodes_in_repair.values, rtol=1e-12)
        with xr.open_dataset(path, group="jobs", engine="h5netcdf") as jobs, \
             xr.open_dataset(path, group="summary", engine="h5netcdf") as summary:
            frame = jobs.to_dataframe()
            interrupted = int(frame.interruptions.sum())
            self.assertGreater(interrupted, 0)
            self.assertEqual(float(summary.interruptions.sel(group="all")), interrupted)
            self.assertGreater(float(summary.lost_gpu_hours.sel(group="all")), 0)
            self.assertLess(float(summary.ettr_weighted.sel(group="all")), 1.0)

    def test_infrastructure_only_scenario_has_zero_failure_series(self):
        path = Path(self.dir.name) / "one-failures.h5"
        run_capsim("run", ONE_NODE, "-o", path, check=True)
        with xr.open_dataset(path, group="sites", engine="h5netcdf") as ds:
            for name in ("node_failures", "nodes_in_repair", "unavailable_gpu_hours"):
                self.assertEqual(dict(ds[name].sizes), {"time": 48, "site": 1}, name)
                self.assertEqual(float(abs(ds[name]).max()), 0.0, name)

    def test_summary_command_prints_the_files_numbers(self):
        result = run_capsim("summary", self.path, check=True)
        with xr.open_dataset(self.path, engine="h5netcdf") as root, \
             xr.open_dataset(self.path, group="summary", engine="h5netcdf") as summary:
            self.assertIn(f"{root.attrs['total_energy_mwh']:,.0f} MWh facility", result.stdout)
            self.assertIn(f"{root.attrs['total_carbon_t']:,.0f} t CO2e", result.stdout)
            for name in summary.group.values:
                if "/" in str(name) and int(summary.submitted.sel(group=name)) == 0:
                    # A tenant's class without jobs is left out of the table.
                    self.assertNotIn(str(name) + " ", result.stdout)
                    continue
                line = next(l for l in result.stdout.splitlines() if l.strip().startswith(str(name) + " "))
                self.assertIn(f"{int(summary.submitted.sel(group=name)):,}", line)
        # Waits read in the unit that suits them (a training p95 of days), never as raw seconds.
        self.assertNotRegex(result.stdout, r"\d{3,}s\b")
        self.assertRegex(result.stdout, r"tenant:industry/class:training .* \d+\.\d d ")
        lines = result.stdout.splitlines()
        with xr.open_dataset(self.path, engine="h5netcdf") as root, \
             xr.open_dataset(self.path, group="summary", engine="h5netcdf") as summary, \
             xr.open_dataset(self.path, group="summary_by_year", engine="h5netcdf") as years:
            a = root.attrs
            cost = a["total_capex_hardware"] + a["total_capex_facility"] + a["total_energy_cost"]
            self.assertIn(f"cost         {cost:,.0f} USD", result.stdout)
            self.assertIn(f"{a['nodes_powered_at_end']:,.0f} nodes, {a['peak_pflops_powered_at_end']:,.0f} PFLOP/s", result.stdout)
            # Shares with demand: the civil sectors asked for what they got, so none is short.
            shares = lines.index("  tenant                                  asked GPU-h      delivered     share  entitled    short GPU-h")
            civil = next(l for l in lines[shares:] if l.strip().startswith("tenant:civil-sectors ")).split()
            row = summary.sel(group="tenant:civil-sectors")
            self.assertEqual(civil[1:3], [f"{float(row.demand_gpu_hours):,.0f}", f"{float(row.delivered_gpu_hours):,.0f}"])
            self.assertEqual(civil[-1], "0")
            # The p95 by year of submission: a column per calendar year of the horizon.
            header = lines.index("  p95 wait by year of submission") + 1
            self.assertEqual(lines[header].split()[3:], [str(y) for y in years.year.values])
            training = next(l for l in lines[header:] if l.strip().startswith("class:training ")).split()
            p95_2028 = float(years.wait_p95_s.sel(year=2028, group="class:training"))
            self.assertEqual(" ".join(training[5:7]), f"{p95_2028 / 86400:.1f} d")
        bad = run_capsim("summary", REPO_ROOT / "README.md")
        self.assertEqual(bad.returncode, 74)
        self.assertIn("not an HDF5 file", bad.stderr)

    def test_hand_computed_small_scenario(self):
        # Worked out in the scenario's header: 0.4464 MWh, 44.64 USD, 0.2232 t over two days.
        path = Path(self.dir.name) / "one.h5"
        run_capsim("run", ONE_NODE, "-o", path, check=True)
        with xr.open_dataset(path, group="sites", engine="h5netcdf") as ds:
            self.assertEqual(ds.sizes["time"], 48)
            self.assertAlmostEqual(float(ds.energy_mwh.sum()), 0.4464, delta=1e-12)
            self.assertAlmostEqual(float(ds.energy_cost.sum()), 44.64, delta=1e-10)
            self.assertAlmostEqual(float(ds.carbon_t.sum()), 0.2232, delta=1e-12)
            np.testing.assert_allclose(ds.facility_power_mw.sel(site="lab").values[:12], 1.2 * 5.3e-3, rtol=1e-12)

    def test_failed_run_leaves_no_file_and_force_is_needed(self):
        out = Path(self.dir.name) / "bad.h5"
        result = run_capsim("run", DEFAULT, "--set", "sites[0].grid=12 MV", "-o", out)
        self.assertEqual(result.returncode, 65)
        self.assertIn("--set sites[0].grid=12 MV: error: sites[0].grid:", result.stderr)
        self.assertEqual(list(Path(self.dir.name).glob("bad.h5*")), [])
        again = run_capsim("run", DEFAULT, "-o", self.path)
        self.assertEqual(again.returncode, 64)
        self.assertIn("--force", again.stderr)

    def test_an_installed_fleet_runs_from_the_start_with_its_capex_outside_the_run(self):
        # The same 8 nodes bought a year before the start, or on the start day (no lead time either way):
        # the same jobs, waits, power and depreciation; only the capex of the second falls in the run.
        path = write_small_workload(self.dir.name)
        results = {}
        for ordered in ("2025-01-01", "2026-01-01"):
            out = Path(self.dir.name) / f"fleet-{ordered}.h5"
            run_capsim("run", path, "--set", f"buildout[0].ordered={ordered}", "-o", out, check=True)
            with xr.open_dataset(out, engine="h5netcdf") as root, \
                 xr.open_dataset(out, group="summary", engine="h5netcdf") as summary:
                results[ordered] = (dict(root.attrs), summary.load())
        (fleet, fleet_summary), (bought, bought_summary) = results["2025-01-01"], results["2026-01-01"]
        self.assertEqual(fleet["total_capex_hardware"], 0)
        self.assertEqual(bought["total_capex_hardware"], 8 * 350000)
        for key in ("total_energy_mwh", "total_depreciation", "jobs_completed", "gpus_powered_at_end"):
            self.assertEqual(fleet[key], bought[key], key)
        np.testing.assert_array_equal(fleet_summary.wait_p95_s.values, bought_summary.wait_p95_s.values)

    def test_set_overrides_a_value(self):
        # Five 10.2 kW nodes: a constant 25 kW grid strands three (24 GPUs) on all four days, 60 kW none.
        grid_cap = REPO_ROOT / "scenarios" / "small" / "grid-cap.yaml"
        for grid, stranded in (("25kW", 24 * 4), ("60kW", 0)):
            out = Path(self.dir.name) / f"grid-{grid}.h5"
            run_capsim("run", grid_cap, "--set", f"sites[0].grid={grid}", "-o", out, check=True)
            with xr.open_dataset(out, group="sites", engine="h5netcdf") as ds:
                self.assertEqual(float(ds.stranded_gpus.sum()), stranded, grid)

    def test_validate_accepts_the_bundled_scenarios(self):
        for scenario in sorted((REPO_ROOT / "scenarios").rglob("*.yaml")):
            with self.subTest(scenario=scenario.name):
                result = run_capsim("validate", scenario)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIn(": ok:", result.stdout)


if __name__ == "__main__":
    unittest.main()
