"""The HDF5 file that `capsim replay -o` writes opens in xarray with named dimensions and units, and
its columns reproduce the `--json` summary."""
import json
import tempfile
import unittest
from pathlib import Path

import h5py
import numpy as np
import xarray as xr

from capsim_test_support import TRACES, run_capsim

COLUMNS = {"id": "1", "submit": "s", "start": "s", "end": "s", "processors": "1", "run": "s",
           "estimate": "s", "wait": "s"}


class ReplayOutputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.trace = TRACES / "HPC2N-2002-excerpt.swf.gz"
        if not cls.trace.exists():
            raise unittest.SkipTest(f"{cls.trace} not found")
        cls.path = Path(cls.dir.name) / "replay.h5"
        result = run_capsim("replay", cls.trace, "--policy", "easy", "-o", cls.path, "--json", check=True)
        cls.summary = json.loads(result.stdout)

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def test_job_table_opens_in_xarray_with_named_dimension_and_units(self):
        with xr.open_dataset(self.path, group="jobs", engine="h5netcdf") as ds:
            self.assertEqual(dict(ds.sizes), {"job": self.summary["jobs"]})
            for name, units in COLUMNS.items():
                self.assertIn(name, ds.variables)
                self.assertEqual(ds[name].dims, ("job",))
                self.assertEqual(ds[name].attrs["units"], units)
            frame = ds.to_dataframe()
            self.assertEqual(len(frame), self.summary["jobs"])

    def test_columns_agree_with_the_json_summary(self):
        with xr.open_dataset(self.path, group="jobs", engine="h5netcdf") as ds:
            wait = ds["wait"].values
            run = ds["run"].values
            start, end, submit = ds["start"].values, ds["end"].values, ds["submit"].values
            procs = ds["processors"].values
        s = self.summary
        np.testing.assert_array_equal(wait, start - submit)
        np.testing.assert_array_equal(end, start + run)
        self.assertTrue((start >= submit).all())
        self.assertAlmostEqual(wait.mean(), s["wait_mean_s"], delta=1e-9 * max(1, s["wait_mean_s"]))
        for q in (50, 95, 99):
            self.assertAlmostEqual(np.percentile(wait, q), s[f"wait_p{q}_s"], delta=1e-6)
        self.assertAlmostEqual((wait + run).mean(), s["flow_mean_s"], delta=1e-9 * s["flow_mean_s"])
        bsld = np.maximum(1.0, (wait + run) / np.maximum(run, 10.0))
        self.assertAlmostEqual(bsld.mean(), s["bounded_slowdown_mean"], delta=1e-9 * s["bounded_slowdown_mean"])
        self.assertAlmostEqual(bsld.max(), s["bounded_slowdown_max"], delta=1e-9 * s["bounded_slowdown_max"])
        span = end.max() - submit.min()
        self.assertAlmostEqual(span, s["makespan_s"])
        self.assertAlmostEqual((run * procs).sum() / (s["processors"] * span), s["utilization"], delta=1e-12)

    def test_summary_is_stored_as_root_attributes(self):
        with xr.open_dataset(self.path, engine="h5netcdf") as root:
            attrs = root.attrs
        self.assertEqual(attrs["Conventions"], "CF-1.8")
        for key in ("jobs", "skipped", "rejected", "processors", "policy", "order", "wait_mean_s", "wait_p95_s",
                    "flow_mean_s", "bounded_slowdown_mean", "utilization", "makespan_s"):
            self.assertEqual(attrs[key], self.summary[key], key)

    def test_h5py_sees_dimension_scales(self):
        with h5py.File(self.path, "r") as f:
            start = f["jobs/start"]
            self.assertEqual(len(start.dims[0]), 1)
            self.assertEqual(start.dims[0][0].name, "/jobs/job")
            self.assertEqual(f.attrs["policy"], "easy")


if __name__ == "__main__":
    unittest.main()
