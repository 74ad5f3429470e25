"""scripts/export_results.py on real files: a single run, a study (3 points x 4 replications) and a replay
give one CSV per group and set of dimensions whose values read back as the file's, exactly, with the
units in the headers, the study's point, swept key, replication and statistic as columns, and the job
table's categories as names; the workbook opens in openpyxl with an about sheet, unique sheet names of at
most 31 characters, a bold frozen header and numbers and dates as such; a sheet over the row limit is cut
with a note and a warning while the CSV keeps every row; bad input and outputs that cannot be written
fail in one line with the scripts' exit codes and leave nothing behind, also when writing fails part way."""
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

import h5py
import numpy as np
import pandas as pd
import xarray as xr

from capsim_test_support import REPO_ROOT, TRACES, run_capsim

sys.path.insert(0, str(REPO_ROOT / "scripts"))
import capsim_results  # noqa: E402
from capsim_export import cli as export_cli  # noqa: E402
from capsim_export import csv_files  # noqa: E402

try:
    import openpyxl
except ImportError:  # the CSV tests run without it
    openpyxl = None

SCRIPT = REPO_ROOT / "scripts" / "export_results.py"
QUEUE_SWEEP = REPO_ROOT / "scenarios" / "small" / "queue-sweep.yaml"
TRACE = TRACES / "HPC2N-2002-excerpt.swf.gz"
RATE = "workloads[0].arrivals.rate"
EXIT_USAGE, EXIT_BAD_INPUT, EXIT_IO = 64, 65, 74
needs_openpyxl = unittest.skipIf(openpyxl is None, "openpyxl is not installed (Debian: python3-openpyxl)")

FILES = {}  # name -> HDF5 path, made once for the module
TMP = None


def setUpModule():
    global TMP
    TMP = tempfile.TemporaryDirectory()
    root = Path(TMP.name)
    FILES["run"] = root / "run.h5"
    run_capsim("run", QUEUE_SWEEP, "--set", "sweep={}", "--set", "replications=1", "-o", FILES["run"], check=True)
    FILES["study"] = root / "study.h5"
    run_capsim("run", QUEUE_SWEEP, "-o", FILES["study"], check=True)
    if TRACE.exists():
        FILES["replay"] = root / "replay.h5"
        run_capsim("replay", TRACE, "--policy", "easy", "-o", FILES["replay"], check=True)


def tearDownModule():
    TMP.cleanup()


def export(*args, env=None):
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                          timeout=600, env=None if env is None else {**os.environ, **env})


def exported(test, name, *options, env=None):
    """Exports FILES[name] to CSV and XLSX in a fresh folder; returns (csv folder, xlsx path, result)."""
    out = Path(tempfile.mkdtemp(dir=TMP.name))
    csv_dir, xlsx = out / "csv", out / f"{name}.xlsx"
    args = [FILES[name], "--csv", csv_dir] + (["--xlsx", xlsx] if openpyxl is not None else []) + list(options)
    result = export(*args, env=env)
    test.assertEqual(result.returncode, 0, result.stderr)
    return csv_dir, xlsx, result


def read_csv(path):
    # round_trip: Python's own parser, so that the shortest text of a double reads back as that double
    return pd.read_csv(path, float_precision="round_trip", keep_default_na=False, na_values=[""])


def header_of(name, da):
    unit = str(da.attrs.get("units", ""))
    return f"{name} [{unit}]" if unit and unit != "1" else name


def file_groups(path):
    """The groups that hold variables, as export_results.py reads them (run_schema is not for analysis)."""
    names = []
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, item: names.append(name) if isinstance(item, h5py.Group)
                     and name != "run_schema" and any(isinstance(v, h5py.Dataset) for v in item.values()) else None)
    return names


def open_group(path, group):
    with xr.open_dataset(path, group=group, engine="h5netcdf", decode_timedelta=False) as ds:
        return ds.load()


def as_expected(values):
    """Values as a CSV column reads back: texts as objects with NaN where empty."""
    values = np.asarray(values)
    if values.dtype.kind in "OUS":
        out = np.array([v.decode() if isinstance(v, bytes) else v for v in values.ravel()], dtype=object)
        out[out == ""] = np.nan
        return out
    return values.ravel()


class RoundTrip:
    """Every variable of every group of a file found in exactly one CSV, equal to the file's values with its
    coordinates beside it."""

    def assert_round_trip(self, h5, csv_dir):
        tables = {p.stem: read_csv(p) for p in sorted(csv_dir.glob("*.csv"))}
        self.assertFalse(list(csv_dir.glob("*.tmp.*")), "temporary files left")
        checked = 0
        for group in file_groups(h5):
            ds = open_group(h5, group)
            base = group.replace("/", "-")
            swept = [c for c in ds.coords if c not in ds.dims]
            for name in ds.data_vars:
                if name.endswith("_bounds") or name in swept:
                    continue
                da = ds[name]
                header = header_of(name, da)
                if not da.dims:  # a single run's totals: name, value, unit
                    rows = tables["totals"].set_index("name")
                    self.assertEqual(rows.loc[name, "value"], da.values.item(), name)
                    unit = str(da.attrs.get("units", ""))
                    self.assertEqual(rows.loc[name, "unit"] if unit != "1" else "", unit if unit != "1" else "")
                    checked += 1
                    continue
                found = [stem for stem, t in tables.items()
                         if (stem == base or stem.startswith(base + "-by-")) and header in t.columns]
                self.assertEqual(len(found), 1, f"{group}/{name}: header '{header}' in {found}")
                table = tables[found[0]]
                self.assertEqual(len(table), da.size, f"{group}/{name}")
                column = table[header].to_numpy()
                if "flag_meanings" in da.attrs:
                    names = np.array(str(da.attrs["flag_meanings"]).split(), dtype=object)
                    codes = da.values.ravel()
                    expected = np.where(codes >= 0, names[np.clip(codes, 0, None)], np.nan)
                    np.testing.assert_array_equal(as_expected(column), as_expected(expected), f"{group}/{name}")
                else:
                    np.testing.assert_array_equal(column, as_expected(da.values), f"{group}/{name}")
                frame = None
                if da.dims != ("job",):  # the coordinates of each value, in the file's order
                    frame = da.reset_coords(drop=False).to_dataframe(dim_order=list(da.dims)).reset_index()
                for dim in da.dims:
                    if dim not in ds.coords:  # a dimension without values (job): its position
                        np.testing.assert_array_equal(table[dim].to_numpy(), np.arange(da.sizes[dim]))
                        continue
                    expected = frame[dim].to_numpy()
                    if expected.dtype.kind == "M":
                        np.testing.assert_array_equal(pd.to_datetime(table[dim]).to_numpy(), expected, dim)
                    else:
                        np.testing.assert_array_equal(table[dim].to_numpy(), as_expected(expected), dim)
                for key in swept:
                    if set(ds[key].dims) <= set(da.dims):
                        np.testing.assert_array_equal(table[header_of(key, ds[key])].to_numpy(),
                                                      as_expected(frame[key].to_numpy()), key)
                checked += 1
        self.assertGreater(checked, 0)


class ExportRunTest(RoundTrip, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.csv, cls.xlsx, cls.result = exported(cls(), "run")

    def test_csv_values_round_trip(self):
        self.assert_round_trip(FILES["run"], self.csv)

    def test_one_csv_per_group_and_dimensions_and_stdout_names_them(self):
        names = sorted(p.name for p in self.csv.glob("*.csv"))
        self.assertEqual(names, sorted(["about.csv", "totals.csv", "sites.csv", "sites-by-time-site-gpu.csv",
                                        "sites-by-site.csv", "tenants.csv", "tenants-by-tenant.csv", "summary.csv",
                                        "summary_by_year.csv", "summary_by_year-by-year.csv", "jobs.csv"]))
        printed = self.result.stdout.split()
        self.assertEqual(sorted(Path(p).name for p in printed if p.endswith(".csv")), names)

    def test_units_in_headers(self):
        sites = read_csv(self.csv / "sites.csv")
        self.assertEqual(list(sites.columns[:2]), ["time", "site"])
        for header in ("energy_mwh [MWh]", "facility_power_mw [MW]", "energy_cost [USD]", "carbon_t [t]", "pue"):
            self.assertIn(header, sites.columns)
        gpus = read_csv(self.csv / "sites-by-time-site-gpu.csv")
        self.assertEqual(list(gpus.columns[:3]), ["time", "site", "gpu"])
        self.assertIn("powered_peak_pflops [PFLOP/s]", gpus.columns)
        self.assertIn("wait_p95_s [s]", read_csv(self.csv / "summary.csv").columns)
        self.assertIn("days_in_horizon [d]", read_csv(self.csv / "summary_by_year-by-year.csv").columns)
        self.assertEqual(str(sites["time"][0]), "2026-01-01 00:00:00")  # ISO, as the file's start attribute

    def test_totals_and_about(self):
        totals = read_csv(self.csv / "totals.csv")
        self.assertEqual(list(totals.columns), ["name", "value", "unit"])
        rows = totals.set_index("name")
        self.assertEqual(rows.loc["total_energy_mwh", "unit"], "MWh")
        about = read_csv(self.csv / "about.csv").set_index("name")
        with h5py.File(FILES["run"], "r") as f:
            for key in ("scenario", "capsim_version", "start", "end", "source"):
                self.assertEqual(about.loc[key, "value"], f.attrs[key], key)
            self.assertEqual(float(about.loc["total_energy_mwh", "value"]), f.attrs["total_energy_mwh"])
        self.assertNotIn("scenario_text", about.index)

    def test_job_table_decoded_as_the_reader_decodes_it(self):
        jobs = read_csv(self.csv / "jobs.csv")
        reader = capsim_results.open_results(FILES["run"]).jobs
        self.assertEqual(len(jobs), len(reader))
        for name in ("tenant", "workload", "class", "state", "rejection", "site", "gpu_type"):
            np.testing.assert_array_equal(jobs[name].to_numpy(), as_expected(reader[name].astype(object)
                                                                              .fillna("").to_numpy()), name)
        self.assertTrue(set(jobs["state"]) <= {"completed", "running", "queued", "rejected"})
        # the dates are the seconds since the start, to the second
        start = pd.Timestamp(capsim_results.open_results(FILES["run"], jobs=False).attrs["start"])
        expected = start + pd.to_timedelta(np.round(jobs["submit [s]"]), unit="s")
        np.testing.assert_array_equal(pd.to_datetime(jobs["submit_time"]).to_numpy(), expected.to_numpy())
        self.assertTrue(jobs.loc[jobs["state"] != "completed", "end_time"].isna().all())

    @needs_openpyxl
    def test_workbook_opens_with_about_sheet_and_the_file_values(self):
        wb = openpyxl.load_workbook(self.xlsx)
        names = wb.sheetnames
        self.assertEqual(names[0], "about")
        self.assertEqual(len(set(n.lower() for n in names)), len(names))
        self.assertTrue(all(len(n) <= 31 for n in names))
        self.assertEqual(sorted(names[1:]), sorted(p.stem for p in self.csv.glob("*.csv") if p.stem != "about"))
        about = [row for row in wb["about"].iter_rows(values_only=True)]
        text = "\n".join(" ".join(str(v) for v in row if v is not None) for row in about)
        with h5py.File(FILES["run"], "r") as f:
            for key in ("scenario", "capsim_version", "source", "start"):
                self.assertIn(str(f.attrs[key]), text)
        for sheet in names[1:]:  # what each sheet holds
            self.assertTrue(any(row[0] == sheet and row[1] for row in about), sheet)

        ws = wb["sites"]
        headers = [c.value for c in ws[1]]
        self.assertEqual(headers, list(read_csv(self.csv / "sites.csv").columns))
        self.assertEqual(ws.freeze_panes, "A2")
        self.assertTrue(all(c.font.b for c in ws[1]))
        ds = open_group(FILES["run"], "sites")
        energy = ds["energy_mwh"].values  # (time, site)
        column = headers.index("energy_mwh [MWh]") + 1
        for row in (2, 3, ws.max_row):
            cell = ws.cell(row=row, column=column).value
            self.assertIsInstance(cell, float)
            value = energy.ravel()[row - 2]
            self.assertLessEqual(abs(cell - value), 1e-12 * abs(value))
        self.assertEqual(ws.cell(row=2, column=1).value, pd.Timestamp(ds["time"].values[0]).to_pydatetime())
        self.assertEqual(ws.max_row, ds.sizes["time"] * ds.sizes["site"] + 1)

        jobs = wb["jobs"]
        self.assertEqual(jobs.max_row, len(read_csv(self.csv / "jobs.csv")) + 1)
        headers = [c.value for c in jobs[1]]
        self.assertIsInstance(jobs.cell(row=2, column=headers.index("gpus") + 1).value, int)
        self.assertIn(jobs.cell(row=2, column=headers.index("state") + 1).value, ("completed", "running", "queued"))
        self.assertEqual(type(jobs.cell(row=2, column=headers.index("submit_time") + 1).value).__name__, "datetime")
        totals = {row[0]: row[1] for row in wb["totals"].iter_rows(min_row=2, values_only=True)}
        with h5py.File(FILES["run"], "r") as f:
            self.assertAlmostEqual(totals["total_energy_cost"], f["totals/total_energy_cost"][()],
                                   delta=1e-12 * f["totals/total_energy_cost"][()])


class ExportStudyTest(RoundTrip, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.csv, cls.xlsx, _ = exported(cls(), "study")

    def test_csv_values_round_trip(self):
        self.assert_round_trip(FILES["study"], self.csv)

    def test_point_swept_key_replication_and_statistic_columns(self):
        totals = read_csv(self.csv / "totals.csv")
        self.assertEqual(list(totals.columns[:3]), ["point", RATE, "replication"])
        self.assertEqual(len(totals), 3 * 4)
        self.assertEqual(list(totals.drop_duplicates("point")[RATE]), ["20/day", "40/day", "80/day"])
        stats = read_csv(self.csv / "stats-totals.csv")
        self.assertEqual(list(stats.columns[:3]), ["point", RATE, "statistic"])
        self.assertEqual(tuple(stats["statistic"][:9]), capsim_results.STATISTICS)
        sites = read_csv(self.csv / "stats-sites.csv")
        self.assertEqual(list(sites.columns[:5]), ["point", RATE, "statistic", "time", "site"])
        # a planner's filter: the mean cost at 80/day
        mean = stats[(stats[RATE] == "80/day") & (stats["statistic"] == "mean")]["total_energy_cost [USD]"]
        with h5py.File(FILES["study"], "r") as f:
            self.assertEqual(mean.item(), f["stats/totals/total_energy_cost"][2, 0])

    @needs_openpyxl
    def test_workbook_sheet_names(self):
        wb = openpyxl.load_workbook(self.xlsx, read_only=True)
        names = wb.sheetnames
        self.assertEqual(len(set(n.lower() for n in names)), len(names))
        self.assertTrue(all(len(n) <= 31 for n in names))
        for name in ("stats-totals", "stats-sites-by-time-site-gpu", "stats-summary_by_year-by-year"):
            self.assertIn(name, names)
        row = next(wb["stats-totals"].iter_rows(min_row=2, max_row=2, values_only=True))
        self.assertEqual(row[:3], (0, "20/day", "mean"))
        wb.close()


@unittest.skipUnless(TRACE.exists(), f"{TRACE} not found")
class ExportReplayTest(RoundTrip, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.csv, cls.xlsx, _ = exported(cls(), "replay")

    def test_job_table_and_summary(self):
        self.assertEqual(sorted(p.name for p in self.csv.glob("*.csv")), ["about.csv", "jobs.csv", "totals.csv"])
        self.assert_round_trip(FILES["replay"], self.csv)
        totals = read_csv(self.csv / "totals.csv").set_index("name")
        with h5py.File(FILES["replay"], "r") as f:
            self.assertEqual(totals.loc["wait_mean_s", "value"], f.attrs["wait_mean_s"])
            self.assertEqual(totals.loc["wait_mean_s", "unit"], "s")
            self.assertEqual(len(read_csv(self.csv / "jobs.csv")), f.attrs["jobs"])
        if openpyxl is not None:
            wb = openpyxl.load_workbook(self.xlsx, read_only=True)
            self.assertEqual(wb.sheetnames, ["about", "totals", "jobs"])
            wb.close()


@needs_openpyxl
class RowLimitTest(unittest.TestCase):
    def test_long_sheets_are_cut_with_a_note_and_a_warning_and_the_csv_keeps_every_row(self):
        csv_dir, xlsx, result = exported(self, "run", env={"CAPSIM_XLSX_MAX_ROWS": "50"})
        self.assertIn("warning: sheet 'jobs' cut at Excel's row limit", result.stderr)
        jobs = len(read_csv(csv_dir / "jobs.csv"))
        self.assertGreater(jobs, 49)
        with h5py.File(FILES["run"], "r") as f:
            self.assertEqual(jobs, f["jobs/submit"].shape[0])
        wb = openpyxl.load_workbook(xlsx)
        ws = wb["jobs"]
        self.assertEqual(ws.max_row, 50)
        header = [c.value for c in ws[1]]
        self.assertEqual(header[:-1], list(read_csv(csv_dir / "jobs.csv").columns))
        self.assertIn(f"the first 49 of {jobs:,} rows", header[-1])
        self.assertEqual(ws.cell(row=50, column=1).value, 48)  # the 49th job, in order
        about = [row for row in wb["about"].iter_rows(values_only=True) if row[0] == "jobs"]
        self.assertIn("cut", str(about[0][2]))
        self.assertEqual(wb["summary"].max_row, 19)  # 18 groups: not cut

    def test_a_bad_limit_is_a_usage_error(self):
        out = Path(tempfile.mkdtemp(dir=TMP.name))
        result = export(FILES["run"], "--xlsx", out / "x.xlsx", env={"CAPSIM_XLSX_MAX_ROWS": "1"})
        self.assertEqual(result.returncode, EXIT_USAGE)
        self.assertIn("CAPSIM_XLSX_MAX_ROWS", result.stderr)
        self.assertEqual(list(out.iterdir()), [])


class BadInputTest(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(dir=TMP.name))

    def assert_fails(self, result, status, words):
        self.assertEqual(result.returncode, status, result.stderr)
        self.assertEqual(result.stdout, "")
        lines = [line for line in result.stderr.splitlines() if not line.startswith(("usage:", " "))]
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertTrue(lines[0].startswith("export_results.py: error: "), lines[0])
        self.assertIn(words, lines[0])
        self.assertNotIn("Traceback", result.stderr)

    def assert_nothing_written(self):
        self.assertEqual(sorted(p.name for p in self.dir.iterdir() if p.name != "input"), [])

    def test_missing_file(self):
        self.assert_fails(export(self.dir / "nope.h5", "--csv", self.dir / "out"), EXIT_IO, "no such file")
        self.assert_nothing_written()

    def test_not_hdf5(self):
        (self.dir / "input").write_text("time,value\n")
        self.assert_fails(export(self.dir / "input", "--csv", self.dir / "out", "--xlsx", self.dir / "x.xlsx"),
                          EXIT_BAD_INPUT, "not an HDF5 file")
        self.assert_nothing_written()

    def test_hdf5_not_written_by_capsim(self):
        with h5py.File(self.dir / "input", "w") as f:
            f["x"] = np.arange(3)
        self.assert_fails(export(self.dir / "input", "--csv", self.dir / "out"), EXIT_BAD_INPUT,
                          "not a file written by capsim")
        self.assert_nothing_written()

    def test_unwritable_outputs(self):
        (self.dir / "input").write_text("a file, not a folder")
        self.assert_fails(export(FILES["run"], "--csv", self.dir / "input" / "out"), EXIT_IO, "cannot write")
        self.assert_fails(export(FILES["run"], "--csv", self.dir / "input"), EXIT_IO, "not a folder")
        self.assert_fails(export(FILES["run"], "--xlsx", self.dir / "input" / "x.xlsx"), EXIT_IO, "cannot write")
        self.assert_nothing_written()

    def test_nothing_to_write_and_an_earlier_export(self):
        self.assert_fails(export(FILES["run"]), EXIT_USAGE, "nothing to write")
        out = self.dir / "out"
        out.mkdir()
        (out / "sites.csv").write_text("kept\n")
        self.assert_fails(export(FILES["run"], "--csv", out, "--no-jobs"), EXIT_USAGE, "use --force")
        self.assertEqual([p.name for p in out.iterdir()], ["sites.csv"])
        self.assertEqual((out / "sites.csv").read_text(), "kept\n")

    def test_a_failure_part_way_leaves_nothing(self):
        """In process: writing the third CSV fails (a full disk), or the workbook after every CSV was written."""
        real = csv_files.write_csv
        calls = []

        def failing(table, path):
            calls.append(path)
            if len(calls) == 3:
                raise OSError(28, "No space left on device", str(path))
            real(table, path)

        out = self.dir / "deep" / "out"
        with mock.patch.object(export_cli, "write_csv", failing), mock.patch("sys.stderr") as stderr:
            status = export_cli.main([str(FILES["run"]), "--csv", str(out), "--no-jobs"])
        self.assertEqual(status, EXIT_IO)
        self.assertIn("No space left on device", "".join(str(c.args[0]) for c in stderr.write.call_args_list))
        self.assertEqual(len(calls), 3)
        self.assert_nothing_written()  # not even the folders made for it

        if openpyxl is None:
            return
        from capsim_export import workbook
        with mock.patch.object(workbook, "write_workbook", side_effect=OSError(28, "No space left on device")), \
                mock.patch("sys.stderr"):
            status = export_cli.main([str(FILES["run"]), "--csv", str(out), "--xlsx", str(self.dir / "x.xlsx"),
                                      "--no-jobs"])
        self.assertEqual(status, EXIT_IO)
        self.assert_nothing_written()


if __name__ == "__main__":
    unittest.main()
