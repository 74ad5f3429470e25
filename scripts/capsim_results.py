#!/usr/bin/env python3
"""Opens a capsim result file (docs/output.md) as xarray Datasets and pandas DataFrames.

    import sys; sys.path.insert(0, "scripts")
    from capsim_results import open_results
    r = open_results("results.h5")
    r.attrs["total_energy_mwh"]                       # root attributes, as Python values
    r.sites.powered_gpus.sum("gpu").to_pandas()       # xarray Dataset (time, site, gpu), or None
    r.tenants.delivered_share.to_pandas()             # xarray Dataset (time, tenant), or None
    r.jobs.groupby("class")["wait"].median()          # DataFrame, categories decoded to names
    r.summary.loc["tenant:industry", "wait_p95_s"]    # DataFrame indexed by group
    r.summary_by_year.wait_p95_s.sel(group="all")     # xarray Dataset (year, group), or None

A file of `capsim run` without workloads has `sites` only (tenants, jobs, summary and summary_by_year
are None); a file of `capsim replay` has `jobs` only, with the replay's columns and no dates. A leading dimension
`replication` or `point`, where a file has one, is kept: in the Datasets as a dimension, in the
DataFrames as a column.

`r.totals` holds the run's totals (total_energy_mwh, total_energy_cost, gpu_hours_stranded, ...) as
a Dataset of scalars, where the file has the group.

A study file (a scenario with `replications:` or `sweep:`) has `r.is_study` set and no job table.
Its groups lead with the dimensions (point, replication); each swept key, listed in `r.swept`, is a
coordinate along `point` named by its key path (numbers with a `units` attribute, or text), and a
column of `r.summary`. It adds:

    r.totals.total_energy_cost.median("replication")        # Dataset (point, replication)
    r.stats_totals.total_carbon_t.sel(statistic="mean")     # Dataset (point, statistic)
    r.stats_sites.powered_gpus.sel(statistic="p90")         # (point, statistic, time, site, gpu)
    r.stats_tenants.busy_gpus.sel(statistic="p50")          # (point, statistic, time, tenant)
    r.stats_summary.wait_mean_s.sel(group="all", statistic="ci95_high")  # (point, statistic, group)
    r.summary_by_year.wait_p95_s.sel(group="class:training")  # (point, replication, year)
    r.sites.powered_gpus.sel(point=1).median("replication") # one point, over its replications

`statistic` runs over STATISTICS (mean, std, 95 % confidence interval of the mean, quantiles) across
the replications. A study written with `output.replications: stats` has no raw `sites` and
`tenants` (those attributes are None), only their statistics.

Run as a script, it describes a file: `python3 scripts/capsim_results.py results.h5`.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import h5py
import numpy as np
import pandas as pd
import xarray as xr

__all__ = ["Results", "NotCapsimResult", "open_results", "label", "ENSEMBLE_DIMS", "JOB_TIME_COLUMNS",
           "STATISTICS"]

#: Leading dimensions a file may add over repeated or swept runs; kept as they are.
ENSEMBLE_DIMS = ("replication", "point")

#: Job-table times (float seconds since the scenario start) and the datetime columns made from them.
JOB_TIME_COLUMNS = {"submit": "submit_time", "first_start": "first_start_time", "start": "start_time",
                    "end": "end_time"}

#: The statistics of a study's groups over the replications, along the coordinate `statistic`.
STATISTICS = ("mean", "std", "ci95_low", "ci95_high", "p5", "p10", "p50", "p90", "p95")

GROUPS = ("sites", "tenants", "jobs", "summary", "summary_by_year")
#: The totals of each run (scalars, or (point, replication) in a study), and a study's statistics groups
#: (file group `stats/NAME`, attribute `stats_NAME`).
TOTALS_GROUPS = ("totals",)
STATS_GROUPS = ("sites", "tenants", "summary", "totals", "summary_by_year")
STUDY_TITLE = "capsim study:"


class NotCapsimResult(ValueError):
    """The file is not HDF5, or not written by capsim."""


@dataclass
class Results:
    """One capsim result file. Groups the file lacks are None."""
    path: Path
    attrs: dict
    sites: Optional[xr.Dataset] = None
    tenants: Optional[xr.Dataset] = None
    jobs: Optional[pd.DataFrame] = None
    summary: Optional[pd.DataFrame] = None
    summary_by_year: Optional[xr.Dataset] = None  # the summary's variables along (year, group)
    groups: tuple = field(default_factory=tuple)  # the groups present in the file ("stats/sites", ...)
    totals: Optional[xr.Dataset] = None
    stats_sites: Optional[xr.Dataset] = None
    stats_tenants: Optional[xr.Dataset] = None
    stats_summary: Optional[xr.Dataset] = None
    stats_totals: Optional[xr.Dataset] = None
    stats_summary_by_year: Optional[xr.Dataset] = None
    swept: list = field(default_factory=list)  # the swept key paths, in the file's order

    @property
    def is_study(self) -> bool:
        """True for a study file (a scenario with replications or a sweep)."""
        return (str(self.attrs.get("title", "")).startswith(STUDY_TITLE)
                or any(g.startswith("stats/") for g in self.groups))

    @property
    def kind(self) -> str:
        """'run' for `capsim run`, 'replay' for `capsim replay`."""
        return "run" if "sites" in self.groups or "scenario" in self.attrs else "replay"

    @property
    def label(self) -> str:
        return _label_from_attrs(self.attrs, self.path)

    @property
    def start(self) -> Optional[pd.Timestamp]:
        """The scenario start (naive UTC), or None (replay files run on the trace's clock)."""
        return pd.Timestamp(self.attrs["start"]) if "start" in self.attrs else None

    @property
    def end(self) -> Optional[pd.Timestamp]:
        """The end of the horizon (exclusive), or None."""
        return pd.Timestamp(self.attrs["end"]) if "end" in self.attrs else None

    @property
    def has_workloads(self) -> bool:
        return any(x is not None for x in (self.tenants, self.summary, self.stats_tenants, self.stats_summary))

    @property
    def ensemble_dims(self) -> tuple:
        """The leading dimensions (`replication`, `point`) found in any group."""
        found = []
        for ds in (self.sites, self.tenants, self.totals, self.summary_by_year, self.stats_sites, self.stats_tenants,
                   self.stats_summary, self.stats_totals, self.stats_summary_by_year):
            if ds is not None:
                found += [d for d in ds.dims if d in ENSEMBLE_DIMS]
        for df in (self.jobs, self.summary):
            if df is not None:
                found += [c for c in df.columns if c in ENSEMBLE_DIMS]
        return tuple(d for d in ENSEMBLE_DIMS if d in found)


def _python_value(value):
    """h5py attribute values as plain Python: str, int, float, or a list for arrays."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, np.ndarray):
        if value.ndim == 0 or value.size == 1:
            return _python_value(value.reshape(-1)[0])
        return [_python_value(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _label_from_attrs(attrs: dict, path) -> str:
    if attrs.get("scenario"):
        return str(attrs["scenario"])
    if "policy" in attrs and attrs.get("source"):  # capsim replay
        return f"replay of {Path(str(attrs['source'])).name} ({attrs['policy']})"
    return str(attrs.get("title") or Path(path).stem)


def _read_root(path: Path):
    """Root attributes and group names; raises FileNotFoundError or NotCapsimResult."""
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if path.is_dir():
        raise NotCapsimResult(f"{path}: is a directory, not a capsim result file")
    if not h5py.is_hdf5(str(path)):
        raise NotCapsimResult(f"{path}: not an HDF5 file, so not a capsim result file")
    try:
        with h5py.File(path, "r") as f:
            attrs = {k: _python_value(v) for k, v in f.attrs.items()}
            groups = tuple(name for name, item in f.items() if isinstance(item, h5py.Group))
            if "stats" in groups:
                groups += tuple(f"stats/{name}" for name, item in f["stats"].items() if isinstance(item, h5py.Group))
    except OSError as e:
        raise NotCapsimResult(f"{path}: cannot be read as HDF5 ({e})") from None
    if "capsim_version" not in attrs:
        raise NotCapsimResult(f"{path}: no 'capsim_version' attribute: not a file written by capsim")
    # A study written with `output.replications: stats` keeps no `sites`, only `totals` and `stats/sites`.
    if not any(g in groups for g in ("sites", "jobs", "totals", "stats/sites")):
        raise NotCapsimResult(f"{path}: written by capsim but has neither a 'sites' nor a 'jobs' group")
    return attrs, groups


def _open_group(path: Path, group: str, swept=()) -> xr.Dataset:
    # decode_timedelta=False: seconds and hours stay floats ("s", "h"), as docs/output.md describes them.
    with xr.open_dataset(path, group=group, engine="h5netcdf", decode_timedelta=False) as ds:
        ds = ds.load()
    # The swept values are coordinates even where no variable names them (a group of one variable).
    return ds.set_coords([key for key in swept if key in ds.data_vars])


def _swept_keys(attrs: dict) -> list:
    return [key for key in str(attrs.get("swept_keys", "")).split("\n") if key.strip()]


def _to_frame(ds: xr.Dataset, row_dim: str) -> pd.DataFrame:
    """The Dataset as a DataFrame indexed by row_dim; other dimensions (replication, point) as columns."""
    df = ds.drop_vars([v for v in ds.data_vars if row_dim not in ds[v].dims]).to_dataframe()
    extra = [name for name in df.index.names if name != row_dim]
    if extra:
        df = df.reset_index(level=extra)
        df = df[extra + [c for c in df.columns if c not in extra]]
    return df


def _decode_jobs(ds: xr.Dataset, start: Optional[pd.Timestamp]) -> pd.DataFrame:
    jobs = _to_frame(ds, "job")
    for name in ds.data_vars:
        meanings = ds[name].attrs.get("flag_meanings")
        if meanings is None or name not in jobs:
            continue
        names = str(meanings).split()
        codes = jobs[name].to_numpy()
        valid = (codes >= 0) & (codes < len(names))
        jobs[name] = pd.Categorical.from_codes(np.where(valid, codes, -1), categories=names)
    if start is not None:
        origin = np.datetime64(start.to_datetime64(), "ns")
        for column, time_column in JOB_TIME_COLUMNS.items():
            if column in jobs:
                seconds = jobs[column].to_numpy(dtype=float)
                known = np.isfinite(seconds)
                nanoseconds = np.zeros(len(seconds), dtype=np.int64)
                nanoseconds[known] = np.round(seconds[known] * 1e9)
                times = origin + nanoseconds.astype("timedelta64[ns]")
                times[~known] = np.datetime64("NaT")  # never started, or not completed
                jobs[time_column] = times
    return jobs


def open_results(path, jobs: bool = True) -> Results:
    """Reads every group of a capsim result file into memory (the file is closed on return).

    jobs=False skips the job table (it can hold millions of rows). Raises FileNotFoundError for a
    missing file and NotCapsimResult for a file that capsim did not write."""
    path = Path(path)
    attrs, groups = _read_root(path)
    swept = _swept_keys(attrs)
    r = Results(path=path, attrs=attrs, groups=groups, swept=swept)
    if "sites" in groups:
        r.sites = _open_group(path, "sites", swept)
    if "tenants" in groups:
        r.tenants = _open_group(path, "tenants", swept)
    if "summary" in groups:
        r.summary = _to_frame(_open_group(path, "summary", swept), "group")
    if "summary_by_year" in groups:
        r.summary_by_year = _open_group(path, "summary_by_year", swept)
    if jobs and "jobs" in groups:
        r.jobs = _decode_jobs(_open_group(path, "jobs"), r.start)
    for name in TOTALS_GROUPS:
        if name in groups:
            setattr(r, name, _open_group(path, name, swept))
    for name in STATS_GROUPS:
        if f"stats/{name}" in groups:
            setattr(r, f"stats_{name}", _open_group(path, f"stats/{name}", swept))
    return r


def label(path) -> str:
    """The scenario name of a result file (for a replay: the trace and policy). Accepts a path or Results."""
    if isinstance(path, Results):
        return path.label
    attrs, _ = _read_root(Path(path))
    return _label_from_attrs(attrs, path)


def _describe(path) -> str:
    r = open_results(path)
    kind = "study" if r.is_study else r.kind
    lines = [f"{r.path}: {r.label} (capsim {r.attrs.get('capsim_version')}, {kind})"]
    if r.start is not None:
        lines.append(f"  horizon  {r.start} to {r.end}")
    names = list(GROUPS) + [n for n in TOTALS_GROUPS if getattr(r, n) is not None]
    if r.is_study:
        size = f"{r.attrs.get('points', '?')} points x {r.attrs.get('replications', '?')} replications"
        lines.append(f"  study    {size}; swept: {', '.join(r.swept) if r.swept else 'nothing'}")
        names = [n for n in GROUPS if n != "jobs"] + list(TOTALS_GROUPS) + [f"stats_{n}" for n in STATS_GROUPS]
    width = max(len(n) for n in names)
    for name in names:
        value = getattr(r, name)
        if isinstance(value, xr.Dataset):
            lines.append(f"  {name:{width}} {dict(value.sizes)}: {', '.join(value.data_vars)}")
        elif isinstance(value, pd.DataFrame):
            lines.append(f"  {name:{width}} {len(value)} rows: {', '.join(map(str, value.columns))}")
        else:
            lines.append(f"  {name:{width}} (not in the file)")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0 if len(sys.argv) >= 2 else 64)
    status = 0
    for arg in sys.argv[1:]:
        try:
            print(_describe(arg))
        except (FileNotFoundError, NotCapsimResult) as e:
            print(f"capsim_results.py: error: {e}", file=sys.stderr)
            status = 74 if isinstance(e, FileNotFoundError) else 65
    sys.exit(status)
