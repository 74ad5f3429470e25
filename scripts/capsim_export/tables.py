"""A capsim result file as flat tables: one per group and per set of dimensions its variables share,
each a list of columns (the dimension coordinates, then one column per variable), plus `about` (the
root attributes) and `totals`. The writers (csv_files, workbook) only lay these out."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import numpy as np
import xarray as xr
from capsim_results import Results

#: Leading dimensions of a study, written first and left out of the table names.
ENSEMBLE_DIMS = ("point", "replication", "statistic")
#: Groups that are not tables: the parent of a study's statistics, and what `capsim merge` reads.
SKIPPED_GROUPS = ("stats", "run_schema")
#: Root attributes left out of `about`: the scenario's YAML, many lines long (it stays in the file).
LONG_TEXT_ATTRIBUTES = ("scenario_text", "scenario_resolved", "scenario_with_overrides")
#: The root attributes that `about` lists first (the others follow by name).
ABOUT_FIRST = ("title", "scenario", "source", "start", "end", "timestep_s", "seed", "currency", "points",
               "replications", "swept_keys", "runs", "shard", "output_replications", "scenario_overrides", "policy",
               "order", "processors", "capsim_version", "capsim_revision", "layout_version", "Conventions")
#: The order of the job table's columns, as docs/output.md lists them (runs, then replays); others follow.
JOB_COLUMNS = ("id", "tenant", "workload", "class", "state", "rejection", "site", "gpu_type", "gpus", "processors",
               "preemptions", "interruptions", "submit", "first_start", "start", "end", "wait", "run", "estimate",
               "productive", "lost_gpu_hours", "ettr", "demand_gpu_hours")
#: Job-table times (seconds since the scenario start) that also get a date column, named as capsim_results does.
JOB_DATE_COLUMNS = {"submit": "submit_time", "first_start": "first_start_time", "start": "start_time",
                    "end": "end_time"}
#: The order of the groups' tables; groups not named here come after them, the job table last.
GROUP_ORDER = ("totals", "sites", "tenants", "summary", "summary_by_year", "stats/totals", "stats/sites",
               "stats/tenants", "stats/summary", "stats/summary_by_year")

#: What the tables of the known groups hold, by (group without `stats/`, dimensions but the study's).
DESCRIPTIONS = {
    ("sites", ("time", "site")): "each site at each output step: grid capacity, PUE, IT and facility power (mean and "
                                 "peak), energy, electricity cost, carbon, capex, depreciation, node failures",
    ("sites", ("time", "site", "gpu")): "each site's GPUs by type at each output step: installed, in service, powered, "
                                        "stranded, retired; powered nodes and peak PFLOP/s",
    ("sites", ("site",)): "each site's totals over the run: energy, cost, carbon, capex, depreciation, peak facility "
                          "power, GPU-hours stranded, what is powered at the end",
    ("tenants", ("time", "tenant")): "each tenant at each output step: busy and queued GPUs, running, queued and "
                                     "submitted jobs, delivered GPU-hours and share",
    ("tenants", ("tenant",)): "each tenant's entitled share",
    ("summary", ("group",)): "the jobs of each tenant, class and tenant's class, and all: counts, waits, slowdown, "
                             "demand and delivery, shares, ETTR",
    ("summary_by_year", ("year", "group")): "the summary of the jobs submitted in each calendar year",
    ("summary_by_year", ("year",)): "the days of each calendar year within the horizon",
    ("totals", ()): "the run's totals over all sites: energy, cost, carbon, capacity at the end, jobs, GPU-hours",
}


@dataclass
class Column:
    """One column: its name and unit (the header is `name [unit]`) and its values, all of one kind."""
    name: str
    values: np.ndarray
    kind: str  # "number", "text" ("" where missing), "date" (datetime64, NaT where missing) or "mixed"
    unit: str = ""

    @property
    def header(self) -> str:
        return f"{self.name} [{self.unit}]" if self.unit and self.unit != "1" else self.name


@dataclass
class Table:
    """One CSV file or sheet: columns of equal length."""
    name: str  # the file's name without `.csv`; the sheet's before shortening
    description: str
    columns: list
    group: str = ""  # the file's group ("" for about)
    dims: tuple = ()  # the dimensions along its rows (empty for a table of name, value, unit)
    notes: list = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.columns[0].values) if self.columns else 0

    @property
    def headers(self) -> list:
        return [c.header for c in self.columns]


def text_values(values) -> np.ndarray:
    """Strings (bytes decoded) as an object array; None and NaN become ""."""
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        if isinstance(v, bytes):
            v = v.decode("utf-8", "replace")
        out[i] = "" if v is None or (isinstance(v, float) and v != v) else str(v)
    return out


def column_of(name, values, unit="") -> Column:
    """A column of numbers, dates or texts, as the values' dtype says."""
    values = np.asarray(values)
    if values.dtype.kind == "M":
        return Column(name, values, "date")
    if values.dtype.kind in "biuf":
        return Column(name, values, "number", unit)
    return Column(name, text_values(values), "text")


def unit_of(da: xr.DataArray) -> str:
    unit = str(da.attrs.get("units", ""))
    return "" if unit == "1" else unit


def decoded_categories(da: xr.DataArray) -> Optional[np.ndarray]:
    """A categorical column's codes as their names (`flag_meanings`; "" for -1, never started), or None."""
    meanings = da.attrs.get("flag_meanings")
    if meanings is None:
        return None
    names = np.array(str(meanings).split() + [""], dtype=object)
    codes = np.asarray(da.values).astype(np.int64)
    valid = (codes >= 0) & (codes < len(names) - 1)
    return names[np.where(valid, codes, len(names) - 1)]


def python_value(value):
    """An attribute as a number or a text (arrays joined by commas)."""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(python_value(v)) for v in value)
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return value


ATTRIBUTE_SUFFIX_UNITS = (("_mwh", "MWh"), ("_mw", "MW"), ("_gpu_hours", "h"), ("gpu_hours_", "h"), ("_s", "s"),
                          ("_t", "t"))


def attribute_unit(name, value, known_units) -> str:
    """The unit of a root attribute: its variable's in `totals` where there is one, else its name's suffix."""
    if name in known_units:
        return known_units[name]
    if not isinstance(value, (int, float)) or name in ("seed", "layout_version"):
        return ""
    for suffix, unit in ATTRIBUTE_SUFFIX_UNITS:
        if name.endswith(suffix) or (suffix.endswith("_") and name.startswith(suffix)):
            return unit
    return ""


def long_table(name, description, rows, group="") -> Table:
    """A table of (name, value, unit) rows: numbers stay numbers."""
    values = np.empty(len(rows), dtype=object)
    values[:] = [value for _, value, _ in rows]
    return Table(name, description, [Column("name", text_values([n for n, _, _ in rows]), "text"),
                                     Column("value", values, "mixed"),
                                     Column("unit", text_values([u for _, _, u in rows]), "text")], group=group)


def about_table(r: Results, known_units) -> Table:
    names = [n for n in ABOUT_FIRST if n in r.attrs] + sorted(n for n in r.attrs if n not in ABOUT_FIRST)
    rows = [(name, python_value(r.attrs[name]), attribute_unit(name, python_value(r.attrs[name]), known_units))
            for name in names if name not in LONG_TEXT_ATTRIBUTES]
    return long_table("about", "every attribute of the file's root (but the scenario's YAML texts): provenance, "
                      "horizon, study size, and the run's figures", rows)


def open_group(r: Results, group: str) -> xr.Dataset:
    """A group as capsim_results reads it: times decoded, seconds and hours left as numbers, swept keys as
    coordinates. Reuses the Dataset that open_results already read, where it did."""
    ds = getattr(r, group.replace("stats/", "stats_"), None)
    if isinstance(ds, xr.Dataset):
        return ds
    with xr.open_dataset(r.path, group=group, engine="h5netcdf", decode_timedelta=False) as ds:
        ds = ds.load()
    return ds.set_coords([key for key in r.swept if key in ds.data_vars])


def bounds_of(ds: xr.Dataset) -> set:
    """The variables that are the bounds of a coordinate (time_bounds): the step's end is the next step's start."""
    names = set()
    for name in ds.variables:
        for where in (ds[name].attrs, ds[name].encoding):
            if where.get("bounds"):
                names.add(str(where["bounds"]))
    return names | {name for name in ds.data_vars if name.endswith("_bounds")}


def ensemble_note(dims) -> str:
    if "statistic" in dims:
        return "; statistics across the replications of each point (column statistic)"
    if "point" in dims and "replication" in dims:
        return "; every replication of every point"
    if "replication" in dims:
        return "; every replication"
    return ""


def table_name(base, dims, primary) -> str:
    if primary:
        return base
    own = [d for d in dims if d not in ENSEMBLE_DIMS] or list(dims)
    return f"{base}-by-{'-'.join(own)}" if own else f"{base}-values"


def wide_table(ds: xr.Dataset, names, dims, name, description, group) -> Table:
    """Variables that share `dims` as one row per combination of their coordinates (the file's order, last
    dimension fastest): a column per dimension, each followed by the coordinates along it (swept keys after
    `point`), then a column per variable."""
    sizes = [ds.sizes[d] for d in dims]
    rows = int(np.prod(sizes, dtype=np.int64))
    position = np.arange(rows, dtype=np.int64)
    columns = []
    stride = rows
    for dim, size in zip(dims, sizes):
        stride //= size
        index = (position // stride) % size
        coord = ds[dim].values if dim in ds.coords else np.arange(size)
        column = column_of(dim, np.asarray(coord)[index], unit_of(ds[dim]) if dim in ds.coords else "")
        columns.append(column)
        for aux in ds.coords:
            if aux != dim and ds[aux].dims == (dim,):
                columns.append(column_of(str(aux), np.asarray(ds[aux].values)[index], unit_of(ds[aux])))
    for var in names:
        da = ds[var].transpose(*dims)
        decoded = decoded_categories(da)
        if decoded is not None:
            columns.append(Column(str(var), decoded.reshape(-1), "text"))
        else:
            columns.append(column_of(str(var), np.asarray(da.values).reshape(-1), unit_of(da)))
    return Table(name, description, columns, group=group, dims=tuple(dims))


def group_tables(r: Results, group: str) -> list:
    """One table per set of dimensions in the group: the set most of its variables share (of the most
    dimensions, on a tie) is named after the group, each other GROUP-by-DIMS (the dimensions but point,
    replication and statistic, joined by '-')."""
    ds = open_group(r, group)
    skip = bounds_of(ds)
    by_dims = {}
    for name in ds.data_vars:
        if name not in skip:
            by_dims.setdefault(tuple(ds[name].dims), []).append(name)
    if not by_dims:
        return []
    primary = max(by_dims, key=lambda dims: (len(by_dims[dims]), len(dims)))
    base = group.replace("/", "-")
    plain = group[len("stats/"):] if group.startswith("stats/") else group
    tables = []
    order = list(by_dims)
    for dims, names in sorted(by_dims.items(), key=lambda item: (item[0] != primary, -len(item[0]),
                                                                  order.index(item[0]))):
        name = table_name(base, dims, dims == primary)
        own = tuple(d for d in dims if d not in ENSEMBLE_DIMS)
        known = DESCRIPTIONS.get((plain, own))
        description = (known + ensemble_note(dims)) if known else str(ds.attrs.get("description", group))
        if not dims:  # a single run's totals: one (name, value, unit) row each
            rows = [(n, python_value(ds[n].values.item()), unit_of(ds[n])) for n in names]
            tables.append(long_table(name, description, rows, group))
        else:
            tables.append(wide_table(ds, names, dims, name, description, group))
    return tables


def job_table(r: Results) -> Table:
    """The job table: categories as their names, and for a run each time also as a date (to the second)."""
    ds = open_group(r, "jobs")
    names = [n for n in JOB_COLUMNS if n in ds.data_vars] + [n for n in ds.data_vars if n not in JOB_COLUMNS]
    table = wide_table(ds, names, ("job",), "jobs", str(ds.attrs.get("description", "one row per job")), "jobs")
    start = r.start if r.kind == "run" else None
    if start is not None:
        origin = np.datetime64(start.to_datetime64(), "s")
        columns = []
        for column in table.columns:
            columns.append(column)
            if column.name in JOB_DATE_COLUMNS:
                seconds = column.values.astype(float)
                known = np.isfinite(seconds)
                whole = np.zeros(len(seconds), dtype=np.int64)
                whole[known] = np.round(seconds[known])
                dates = origin + whole.astype("timedelta64[s]")
                dates[~known] = np.datetime64("NaT")
                columns.append(Column(JOB_DATE_COLUMNS[column.name], dates, "date"))
        table.columns = columns
        table.description += ("; times in seconds since the scenario start, and as dates (UTC, to the second) in "
                              "the *_time columns")
    return table


def replay_totals(r: Results) -> Table:
    rows = [(name, python_value(value), attribute_unit(name, python_value(value), {}))
            for name, value in r.attrs.items() if isinstance(python_value(value), (int, float))]
    return long_table("totals", "the replay's figures (the file's root attributes): jobs, waits, slowdown, "
                      "utilization, makespan", rows)


def ordered_groups(groups) -> list:
    groups = [g for g in groups if g not in SKIPPED_GROUPS]
    known = [g for g in GROUP_ORDER if g in groups]
    return known + sorted(g for g in groups if g not in GROUP_ORDER and g != "jobs") + \
        (["jobs"] if "jobs" in groups else [])


def file_tables(r: Results, jobs: bool = True) -> list:
    """Every table of the file, `about` first and the job table (where there is one, and jobs is True) last."""
    tables = []
    for group in ordered_groups(r.groups):
        if group == "jobs":
            if jobs:
                tables.append(job_table(r))
        else:
            tables += group_tables(r, group)
    known_units = {}
    if r.totals is not None:
        known_units = {name: unit_of(r.totals[name]) for name in r.totals.data_vars}
    if r.kind != "run" and not any(t.name == "totals" for t in tables):
        tables.insert(0, replay_totals(r))
    return [about_table(r, known_units)] + tables
