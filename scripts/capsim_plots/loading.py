"""Reading result files into the series the figures draw: a file, or each point of a study named by its
swept values; a study written with statistics alone gets stand-in replications. The swept keys with their
values (numbers where they are, "40/day" as 40 per day), and the axes they form (zipped keys are one)."""
import re
from dataclasses import dataclass, field, replace

import numpy as np
import xarray as xr
from capsim_results import NotCapsimResult, Results, open_results

from .data import REP
from .messages import note
from .style import series_colors
from .units import number_text, shown_unit


@dataclass
class Series:
    """One scenario (one file, or one `point` of a study) as drawn."""
    label: str
    r: Results
    color: tuple
    source: str = ""  # the file's scenario name (with the file's name where two files share it)
    study: str = ""  # the study's name where the label names only the point
    replications: int = 0  # the runs behind each line and band (0: one run)
    from_statistics: bool = False  # drawn from the file's statistics groups
    keys: list = field(default_factory=list)  # the study's swept keys (SweptKey), where the series is a point
    point: int = -1  # its position along the study's `point`


def load_series(paths, need_jobs):
    """The series to draw (a file, or each point of a study), and every file as read. `capsim replay` files
    are series too, of `kind` replay (a job table on the trace's clock)."""
    loaded = []
    files = []
    for path in paths:
        r = open_results(path, jobs=need_jobs)
        if r.kind != "run" and r.jobs is None:  # a replay's job table is all it has: read it whatever is asked
            r = open_results(path, jobs=True)
        from_statistics = r.kind == "run" and r.sites is None and r.stats_sites is not None
        if from_statistics:
            r = statistics_as_replications(r)
        if r.kind != "run":
            if r.jobs is None:
                raise NotCapsimResult(f"{path}: a `capsim replay` result without its job table")
            files.append(r)
            loaded.append((r.label, "", r, 0, False, [], -1))
            continue
        if r.sites is None:
            raise NotCapsimResult(f"{path}: a `capsim run` result without a 'sites' group")
        files.append(r)
        replications = replication_count(r, from_statistics)
        points = _points(r)
        if points is None:
            loaded.append((r.label, "", r, replications, from_statistics, [], -1))
            continue
        keys = swept_keys_of(r)
        held = points_held(r)
        if str(r.attrs.get("shard", "")):
            runs = int(held.sum()) if held is not None else "some"
            note(f"{path} is shard {r.attrs['shard']} of a study: it holds {runs} of its runs, and no statistics "
                 "(`capsim merge` joins the shards)")
        for i, p in enumerate(points):
            if held is not None and held[i] == 0:  # a shard's point whose runs another shard holds
                continue
            point = point_label(keys, i, p)
            if len(points) == 1:  # a study of replications alone: drawn as one run
                loaded.append((f"{r.label} [{point}]" if keys else r.label, "", _select_point(r, p), replications,
                               from_statistics, [], -1))
            elif len(paths) == 1:  # the title names the study once; the legend its points
                loaded.append((point, r.label, _select_point(r, p), replications, from_statistics, keys, i))
            else:
                loaded.append((f"{r.label} [{point}]", "", _select_point(r, p), replications, from_statistics,
                               keys, i))
    labels = [lab for lab, *_ in loaded]
    colors = series_colors(len(loaded))
    out = []
    for i, (lab, study, r, replications, from_statistics, keys, point) in enumerate(loaded):
        if labels.count(lab) > 1:
            lab = f"{lab} ({r.path.name})"
        out.append(Series(lab, r, colors[i], source=file_label(r, files), study=study, replications=replications,
                          from_statistics=from_statistics, keys=keys, point=point))
    return out, files


def file_label(r, files):
    """The scenario name of a file, with the file's name where another file has the same scenario."""
    return f"{r.label} ({r.path.name})" if sum(f.label == r.label for f in files) > 1 else r.label


def points_held(r):
    """The runs the file holds at each point (a shard holds some), or None where it does not say."""
    totals = r.totals
    if totals is None or "completed" not in totals or "point" not in totals["completed"].dims:
        return None
    completed = totals["completed"]
    return completed.sum(REP).values if REP in completed.dims else completed.values


def replication_count(r, from_statistics):
    """The runs behind each line: the file's replications (0 for a single run)."""
    if from_statistics:
        return int(r.attrs.get("replications", 0) or 0)
    return max((ds.sizes[REP] for ds in (r.sites, r.tenants) if ds is not None and REP in ds.dims), default=0)


def _points(r):
    for ds in (r.sites, r.tenants):
        if ds is not None and "point" in ds.dims:
            return list(ds["point"].values) if "point" in ds.coords else list(range(ds.sizes["point"]))
    for df in (r.jobs, r.summary):
        if df is not None and "point" in df.columns:
            return sorted(df["point"].unique())
    return None


def _select_point(r, p):
    def sel_ds(ds):
        if ds is None or "point" not in ds.dims:
            return ds
        ds = ds.drop_vars([key for key in r.swept if key in ds.variables])
        return ds.sel(point=p, drop=True) if "point" in ds.coords else ds.isel(point=int(p), drop=True)

    def sel_df(df):
        if df is None or "point" not in df.columns:
            return df
        return df[df["point"] == p].drop(columns=["point"] + [key for key in r.swept if key in df.columns])

    return replace(r, sites=sel_ds(r.sites), tenants=sel_ds(r.tenants), jobs=sel_df(r.jobs),
                   summary=sel_df(r.summary), totals=sel_ds(r.totals), stats_sites=sel_ds(r.stats_sites),
                   stats_tenants=sel_ds(r.stats_tenants), stats_summary=sel_ds(r.stats_summary),
                   stats_totals=sel_ds(r.stats_totals), summary_by_year=sel_ds(r.summary_by_year),
                   stats_summary_by_year=sel_ds(r.stats_summary_by_year))


@dataclass(eq=False)  # the same key is the same object: swept_keys_of makes each once
class SweptKey:
    """A swept key with its value at every point, numbers in the unit they are shown in."""
    key: str  # the key path, as the scenario writes it
    name: str  # the shortest end of the path that tells it from the other swept keys ("rate")
    numeric: bool
    values: np.ndarray  # numbers (in `unit`) or texts, along `point`
    unit: str  # "kW", "h", "USD/MWh", "per day"; empty for plain numbers and texts
    texts: np.ndarray = None  # the values as the scenario wrote them, where numbers were read from texts

    def text(self, i):
        if self.texts is not None:
            return str(self.texts[i])
        if not self.numeric:
            return str(self.values[i])
        return f"{number_text(self.values[i])} {self.unit}".strip()

    @property
    def axis_label(self):
        return f"{self.key} ({self.unit})" if self.unit else self.key


def short_names(keys):
    """Each key path's shortest end that no other key shares: "rate" for workloads[0].arrivals.rate."""
    out = {}
    for key in keys:
        parts = key.split(".")
        for n in range(1, len(parts) + 1):
            name = ".".join(parts[-n:])
            if not any(other != key and ".".join(other.split(".")[-n:]) == name for other in keys):
                break
        out[key] = name
    return out


# A number and its unit as a scenario writes them: "40/day", "2.5 h", "1e3 USD". The unit starts with a
# letter, "/" or "%", so that dates (2026-01-01) and lists stay texts.
NUMBER_WITH_UNIT = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z/%].*?)?\s*$")


def numbers_of_texts(texts):
    """(numbers, unit) of swept texts that are all one number with the same unit ("20/day", "40/day":
    20 and 40 per day), or None."""
    numbers, units = [], set()
    for text in texts:
        match = NUMBER_WITH_UNIT.match(text)
        if match is None:
            return None
        numbers.append(float(match.group(1)))
        units.add(match.group(2) or "")
    if len(units) != 1:
        return None
    unit = units.pop()
    return np.array(numbers), ("per " + unit[1:].strip() if unit.startswith("/") else unit)


def swept_keys_of(r):
    names = short_names(r.swept)
    out = []
    for key in r.swept:
        da = next((ds[key] for ds in (r.totals, r.stats_totals, r.sites, r.stats_sites, r.tenants, r.stats_tenants)
                   if ds is not None and key in ds.coords), None)
        if da is None:
            continue
        raw = np.asarray(da.values)
        if raw.dtype.kind in "fiu":
            divisor, unit = shown_unit(str(da.attrs.get("units", "")), raw.astype(float))
            out.append(SweptKey(key, names[key], True, raw.astype(float) / divisor, unit))
            continue
        texts = np.array([v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in raw],
                         dtype=object)
        parsed = numbers_of_texts(texts)
        if parsed is not None:
            out.append(SweptKey(key, names[key], True, parsed[0], parsed[1], texts=texts))
        else:
            out.append(SweptKey(key, names[key], False, texts, ""))
    return out


def swept_axes(keys):
    """The swept keys grouped into the sweep's axes: keys zipped together (a `zip:` block: they advance
    together, one axis) in one group, in the file's order. The file lists the keys, not the zips: two keys
    are one axis where their values do not form every combination, as two axes of a grid always do."""
    def distinct(k):
        return len({k.text(i) for i in range(len(k.values))})

    groups = []
    for k in keys:
        for group in groups:
            first = group[0]
            pairs = {(first.text(i), k.text(i)) for i in range(len(k.values))}
            if len(pairs) < distinct(first) * distinct(k):
                group.append(k)
                break
        else:
            groups.append([k])
    return groups


def point_label(keys, i, p):
    """A point named by its swept values: "rate=40/day", "capacity=45 kW, seed=2"."""
    return ", ".join(f"{k.name}={k.text(i)}" for k in keys) if keys else f"point {p}"


QUANTILE_MEMBERS = 11


def quantile_members(ds):
    """A study's statistics group as 11 stand-in replications: their percentiles 10, 50 and 90 (linear
    interpolation, as numpy and pandas take them: members 1, 5 and 9) are exactly the file's p10, p50 and
    p90, so every figure draws the p50 line and the p10-p90 band as it draws replications. Sums and
    ratios of them (all sites, utilization) add quantiles, which is close but not exact."""
    names = [v for v in ds.data_vars if "statistic" in ds[v].dims]
    q = {stat: ds[names].sel(statistic=stat, drop=True) for stat in ("p5", "p10", "p50", "p90", "p95")}
    low, high = q["p5"].fillna(q["p10"]), q["p95"].fillna(q["p90"])
    members = ([low, q["p10"]] + [q["p10"] + (q["p50"] - q["p10"]) * k / 4 for k in (1, 2, 3)] + [q["p50"]]
               + [q["p50"] + (q["p90"] - q["p50"]) * k / 4 for k in (1, 2, 3)] + [q["p90"], high])
    out = xr.concat(members, dim=REP, coords="minimal", compat="override")
    out = out.assign_coords({REP: np.arange(QUANTILE_MEMBERS)})
    out = out.transpose(*[d for d in ("point", REP) if d in out.dims], ...)  # as the file lays out replications
    for name in ds.data_vars:
        if name not in names:
            out[name] = ds[name]
    return out


def statistics_as_replications(r):
    """A study file written with only its statistics, with stand-in replications where the raw groups are
    missing."""
    groups = {}
    for name in ("sites", "tenants", "totals", "summary_by_year"):
        stats = getattr(r, f"stats_{name}")
        if getattr(r, name) is None and stats is not None:
            groups[name] = quantile_members(stats)
    if r.summary is None and r.stats_summary is not None:
        frame = quantile_members(r.stats_summary).to_dataframe()
        groups["summary"] = frame.reset_index([n for n in frame.index.names if n != "group"])
    return replace(r, **groups)


def sites_of(s):
    return [str(v) for v in s.r.sites["site"].values]


def tenants_of(s):
    return [str(v) for v in s.r.tenants["tenant"].values] if s.r.tenants is not None else []
