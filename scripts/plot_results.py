#!/usr/bin/env python3
"""Plots the results of `capsim run` (HDF5 files, docs/output.md) as figures for planners.

Figures, written to OUTDIR as NAME.FORMAT:
  gpus         GPUs over time per site: installed, powered (by GPU type) and stranded, with
               procurement arrivals and retirements marked
  power        facility power per site, mean and peak within each output step, against the grid
               capacity
  energy       cumulative facility energy (MWh), electricity cost and carbon (t CO2e) per site
  utilization  utilization of the powered GPUs, and the queue: jobs waiting and GPUs they ask for *
  waits        wait (first start - submit) per tenant, p50 and p95 by month of submission *
  shares       delivered against entitled share of GPU-hours per tenant, since the start *
  summary      one page for a slide: key totals, GPUs over time, delivered against entitled share,
               wait by job class
  sweep        key totals of a study against its swept value (--sweep-x KEY: which swept key, by default
               the first): facility energy, electricity cost, carbon, GPU-hours stranded and, with
               workloads, jobs completed and the mean wait; the mean with its 95 % confidence interval,
               and the p10-p90 range of the replications; one line per value of the other swept keys **
  * only for scenarios with workloads; skipped, with a note on stderr, otherwise. waits also needs the
    job table, which study files do not keep.
  ** only for study files with a sweep.

Several files: every figure overlays them, named by their scenarios (comparison mode). A file with
a leading `replication` dimension is drawn as the median with a p10-p90 band; one with a `point`
dimension as one series per point.

Study files (`capsim run` of a scenario with `replications:` or `sweep:`): each point is a series,
named by its swept values ("rate=40/day", "capacity=45 kW"), drawn as the median of its replications
with a p10-p90 band; a file written with `output.replications: stats` has only the statistics of the
series, and its lines and bands are the file's p50, p10 and p90 (sums over sites and the utilization
then combine quantiles, a close approximation).

Exit status: 0 success, 64 bad command line, 65 a file that is not a `capsim run` result, 74 a
missing or unreadable file or an output folder that cannot be written.
"""
import argparse
import sys
import textwrap
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display needed (cluster nodes); must precede the pyplot import

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import xarray as xr  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from capsim_results import NotCapsimResult, Results, open_results  # noqa: E402

PROG = "plot_results.py"
FIGURES = ("gpus", "power", "energy", "utilization", "waits", "shares", "summary", "sweep")
WORKLOAD_FIGURES = ("utilization", "waits", "shares")
JOB_FIGURES = ("waits",)  # drawn from the job table, which study files do not keep
FORMATS = ("png", "svg", "pdf")
EXIT_USAGE, EXIT_BAD_INPUT, EXIT_IO = 64, 65, 74
REP = "replication"
CLASSES = ("urgent", "inference", "training", "fine-tuning", "research")

SCENARIO_COLORS = plt.get_cmap("tab10").colors
STRANDED_COLOR = "#d62728"
CO2E = "CO$_2$e"


class UsageError(Exception):
    pass


class ArgumentParser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"{PROG}: error: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


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


def note(message):
    print(f"{PROG}: note: {message}", file=sys.stderr)


# ----------------------------------------------------------------------------------------------
# Loading


def load_series(paths, need_jobs):
    """The series to draw (a file, or each point of a study), and every file as read."""
    loaded = []
    files = []
    for path in paths:
        r = open_results(path, jobs=need_jobs)
        from_statistics = r.kind == "run" and r.sites is None and r.stats_sites is not None
        if from_statistics:
            r = statistics_as_replications(r)
        if r.kind != "run" or r.sites is None:
            raise NotCapsimResult(f"{path}: a `capsim replay` result (job table only); {PROG} plots the results "
                                  "of `capsim run SCENARIO -o FILE`")
        files.append(r)
        replications = replication_count(r, from_statistics)
        points = _points(r)
        if points is None:
            loaded.append((r.label, "", r, replications, from_statistics))
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
                               from_statistics))
            elif len(paths) == 1:  # the title names the study once; the legend its points
                loaded.append((point, r.label, _select_point(r, p), replications, from_statistics))
            else:
                loaded.append((f"{r.label} [{point}]", "", _select_point(r, p), replications, from_statistics))
    labels = [lab for lab, *_ in loaded]
    out = []
    for i, (lab, study, r, replications, from_statistics) in enumerate(loaded):
        if labels.count(lab) > 1:
            lab = f"{lab} ({r.path.name})"
        out.append(Series(lab, r, SCENARIO_COLORS[i % len(SCENARIO_COLORS)], source=file_label(r, files),
                          study=study, replications=replications, from_statistics=from_statistics))
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
                   stats_totals=sel_ds(r.stats_totals))


# ----------------------------------------------------------------------------------------------
# Studies: the swept values, and statistics in place of replications


@dataclass
class SweptKey:
    """A swept key with its value at every point, numbers in the unit they are shown in."""
    key: str  # the key path, as the scenario writes it
    name: str  # the shortest end of the path that tells it from the other swept keys ("rate")
    numeric: bool
    values: np.ndarray  # numbers (in `unit`) or texts, along `point`
    unit: str  # "kW", "h", "USD/MWh"; empty for plain numbers and texts

    def text(self, i):
        if not self.numeric:
            return str(self.values[i])
        return f"{number_text(self.values[i])} {self.unit}".strip()

    @property
    def axis_label(self):
        return f"{self.key} ({self.unit})" if self.unit else self.key


def number_text(v):
    if not np.isfinite(v):
        return "–"
    if abs(v) >= 1e4 and float(v).is_integer():
        return f"{v:,.0f}"
    return f"{v:.4g}"


def shown_unit(units, values):
    """(divisor, unit) for swept numbers in the file's base unit: W as kW or MW, s as min, h or days."""
    finite = np.abs(values[np.isfinite(values)])
    top = float(finite.max()) if finite.size else 0.0
    if units == "W":
        for factor, unit in ((1e9, "GW"), (1e6, "MW"), (1e3, "kW")):
            if top >= factor:
                return factor, unit
        return 1.0, "W"
    if units == "s":
        for limit, divisor, unit in ((120, 1.0, "s"), (2 * 3600, 60.0, "min"), (2 * 86400, 3600.0, "h")):
            if top < limit:
                return divisor, unit
        return 86400.0, "days"
    if units in ("", "1"):
        return 1.0, ""
    if "/" not in units:  # money
        return scale_for(top, units)
    return 1.0, units


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
        else:
            texts = [v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in raw]
            out.append(SweptKey(key, names[key], False, np.array(texts, dtype=object), ""))
    return out


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
    for name in ("sites", "tenants", "totals"):
        stats = getattr(r, f"stats_{name}")
        if getattr(r, name) is None and stats is not None:
            groups[name] = quantile_members(stats)
    if r.summary is None and r.stats_summary is not None:
        frame = quantile_members(r.stats_summary).to_dataframe()
        groups["summary"] = frame.reset_index([n for n in frame.index.names if n != "group"])
    return replace(r, **groups)


# ----------------------------------------------------------------------------------------------
# Drawing helpers


def time_edges(r):
    """The start of every output step and the end of the last one (datetime64)."""
    ds = r.sites
    times = ds["time"].values
    if "time_bounds" in ds:
        end = np.asarray(ds["time_bounds"].isel(time=-1).values).reshape(-1)[-1]
    elif r.end is not None:
        end = np.datetime64(r.end)
    elif len(times) > 1:
        end = times[-1] + (times[-1] - times[-2])
    else:
        end = times[-1] + np.timedelta64(1, "D")
    return np.append(times, np.asarray(end, dtype=times.dtype))


def values(da):
    """A series with time last and, if present, replication first: shape (time,) or (replication, time)."""
    dims = [d for d in da.dims if d not in ("time", REP)]
    if dims:
        raise ValueError(f"{da.name}: unexpected dimensions {dims}")
    if REP in da.dims:
        return da.transpose(REP, "time").values.astype(float)
    return da.values.astype(float)


def median(y):
    y = np.asarray(y, dtype=float)
    if y.ndim < 2:
        return y
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(y, axis=0)


def _extend(y):
    return np.append(y, y[-1:]) if len(y) else y


def draw(ax, x, y, color, label=None, ls="-", lw=1.5, alpha=1.0, band=True, zorder=2):
    """A step line over the output steps (x has one more point than y has steps). With a leading
    replication axis: the median and a p10-p90 band."""
    y = np.asarray(y, dtype=float)
    if y.ndim == 2 and y.shape[0] > 1:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            lo, mid, hi = np.nanpercentile(y, [10, 50, 90], axis=0)
        if band:
            ax.fill_between(x, _extend(lo), _extend(hi), step="post", color=color, alpha=0.2, lw=0, zorder=zorder - 1)
        y = mid
    elif y.ndim == 2:
        y = y[0] if y.shape[0] else np.full(y.shape[1], np.nan)
    return ax.plot(x, _extend(y), drawstyle="steps-post", color=color, ls=ls, lw=lw, alpha=alpha, label=label,
                   zorder=zorder)[0]


def stack(ax, x, layers, colors, labels, base=None):
    """Stacked step areas (medians over replications)."""
    bottom = np.zeros(len(x) - 1) if base is None else base
    for y, color, lab in zip(layers, colors, labels):
        y = np.nan_to_num(median(y))
        if not np.any(y > 0):
            continue
        ax.fill_between(x, _extend(bottom), _extend(bottom + y), step="post", color=color, lw=0, alpha=0.85,
                        label=lab)
        bottom = bottom + y
    return bottom


def tick_format(v, pos=None):
    if v == 0:
        return "0"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def style_axes(ax, ylabel, dates=True):
    ax.set_ylabel(ylabel)
    ax.grid(True, color="0.9", lw=0.6)
    ax.set_axisbelow(True)
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(tick_format))
    if dates:
        locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def set_time_limits(axes, series):
    starts = [time_edges(s.r)[0] for s in series]
    ends = [time_edges(s.r)[-1] for s in series]
    for ax in np.ravel(axes):
        ax.set_xlim(min(starts), max(ends))


def scale_for(max_value, unit):
    """(divisor, axis unit) so that numbers stay short: thousand / million / billion."""
    for factor, word in ((1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
        if max_value >= factor:
            return factor, f"{word} {unit}"
    return 1.0, unit


def duration_unit(max_seconds):
    if not np.isfinite(max_seconds) or max_seconds < 2 * 3600:
        return 60.0, "min"
    if max_seconds < 4 * 86400:
        return 3600.0, "h"
    return 86400.0, "days"


DURATION_TICKS = ((0, "0"), (1, "1 s"), (10, "10 s"), (60, "1 min"), (600, "10 min"), (3600, "1 h"),
                  (6 * 3600, "6 h"), (86400, "1 day"), (7 * 86400, "1 week"), (30 * 86400, "30 days"),
                  (365 * 86400, "1 year"))


def duration_axis(ax, top_seconds):
    """A y axis in seconds, linear below one minute and logarithmic above, labelled in readable durations:
    waits span zero (most jobs) to weeks (jobs that arrived before their GPUs)."""
    ax.set_yscale("symlog", linthresh=60, linscale=0.6)
    top = max(3600.0, top_seconds * 1.6 if np.isfinite(top_seconds) else 3600.0)
    ticks = [(v, lab) for v, lab in DURATION_TICKS if v <= top and (v == 0 or v >= 60)]
    ax.set_yticks([v for v, _ in ticks])
    ax.set_yticklabels([lab for _, lab in ticks])
    ax.yaxis.set_minor_locator(mticker.NullLocator())
    ax.set_ylim(0, top)


def legend_row_height(series, keys):
    """A panel's height (inches) that holds its legend outside: one line per series and `keys` more."""
    entries = (len(series) + keys) if len(series) > 1 else keys
    return max(2.6, 0.24 * entries + 0.4)


def new_figure(nrows, ncols=1, width=11.0, row_height=2.6, title=None, sharex=True, sharey=False):
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, 0.9 + row_height * nrows), sharex=sharex,
                             sharey=sharey, squeeze=False, constrained_layout=True)
    if title:
        fig.suptitle(title, fontsize=13, fontweight="bold")
    return fig, axes


def replication_note(series):
    counts = sorted({s.replications for s in series if s.replications > 1})
    if not counts:
        return ""
    n = counts[0] if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"
    source = ", from the file's statistics" if any(s.from_statistics for s in series) else ""
    return f"lines: median of {n} replications; bands: p10-p90{source}"


def shared_study(series):
    """The study whose points the series are, when they are the points of one study."""
    studies = {s.study for s in series}
    return studies.pop() if len(studies) == 1 and "" not in studies else ""


def series_list(series, limit=200):
    """The series' labels for a title, or their count where the list would not fit (the legend names them)."""
    labels = " vs ".join(s.label for s in series)
    if len(labels) <= limit:
        return labels
    return f"{len(series)} sweep points" if shared_study(series) else f"{len(series)} scenarios"


def fig_title(what, series):
    note_text = replication_note(series)
    study = shared_study(series)
    if study:  # the study on the first line; its points, and how they are drawn, on the next
        points = series_list(series, limit=100)
        return (textwrap.fill(f"{what}: {study}", 100) + "\n"
                + textwrap.fill(f"{points} ({note_text})" if note_text else points, 100))
    if note_text:
        what = f"{what} ({note_text})"
    if len(series) == 1:
        return textwrap.fill(f"{what}: {series[0].label}", 100)
    return f"{what}\n" + textwrap.fill(series_list(series), 110)


def short_label(name, width):
    """A category name on several lines if long, broken after hyphens where possible."""
    return textwrap.fill(name, width, break_on_hyphens=True, break_long_words=True)


def plural(n, word):
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def union(lists):
    out = []
    for items in lists:
        for item in items:
            if item not in out:
                out.append(item)
    return out


def sites_of(s):
    return [str(v) for v in s.r.sites["site"].values]


def tenants_of(s):
    return [str(v) for v in s.r.tenants["tenant"].values] if s.r.tenants is not None else []


def scenario_legend(series, extra=()):
    handles = [Line2D([], [], color=s.color, lw=2.5, label=textwrap.fill(s.label, 34)) for s in series]
    return handles + list(extra)


def outside_legend(ax, handles=None, **kw):
    if handles is None:
        handles, _ = ax.get_legend_handles_labels()
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5, frameon=False, **kw)


def steps(da_sum, edges):
    """Arrivals (+) and retirements (-) of a GPU count series: list of (time, change) at each run of
    steps where the median count rises or falls (a change within a step spreads over two steps)."""
    y = median(values(da_sum))
    d = np.diff(np.concatenate([[0.0], np.nan_to_num(y)]))
    events = []
    i = 0
    while i < len(d):
        sign = np.sign(round(d[i], 6))
        if sign == 0:
            i += 1
            continue
        j, total = i, 0.0
        while j < len(d) and np.sign(round(d[j], 6)) == sign:
            total += d[j]
            j += 1
        events.append((edges[i], total))
        i = j
    return events


# ----------------------------------------------------------------------------------------------
# Figures


def plot_gpus(series):
    site_names = union(sites_of(s) for s in series)
    fig, axes = new_figure(len(site_names), row_height=legend_row_height(series, 6),
                           title=fig_title("GPUs per site", series))
    single = len(series) == 1
    for ax, site in zip(axes[:, 0], site_names):
        arrivals_text, kinds = [], set()
        for s in series:
            ds = s.r.sites
            if site not in sites_of(s):
                continue
            x = time_edges(s.r)
            at = ds.sel(site=site)
            installed = at["installed_gpus"].sum("gpu")
            gpu_types = [str(g) for g in ds["gpu"].values if float(at["installed_gpus"].sel(gpu=g).max()) > 0
                         or float(at["retired_gpus"].sel(gpu=g).max()) > 0]
            if single:
                cmap = plt.get_cmap("Blues")
                shades = [cmap(0.85 - 0.5 * k / max(1, len(gpu_types) - 1)) for k in range(len(gpu_types))]
                powered_total = stack(ax, x, [values(at["powered_gpus"].sel(gpu=g)) for g in gpu_types], shades,
                                      [f"powered {g}" for g in gpu_types])
                stack(ax, x, [values(at["stranded_gpus"].sum("gpu"))], [STRANDED_COLOR],
                      ["stranded (in service, dark: over the grid cap)"], base=powered_total)
                draw(ax, x, values(installed), "black", label="installed (delivered, not retired)", lw=1.4)
                marker_color = "black"
            else:
                draw(ax, x, values(installed), s.color, ls="--", lw=1.3)
                draw(ax, x, values(at["powered_gpus"].sum("gpu")), s.color, lw=1.8)
                draw(ax, x, values(at["stranded_gpus"].sum("gpu")), s.color, ls=":", lw=1.8)
                marker_color = s.color
            per_type = {g: steps(at["installed_gpus"].sel(gpu=g), x) for g in gpu_types}
            for g, events in per_type.items():
                for t, change in events:
                    up = change > 0
                    kinds.add(up)
                    ax.axvline(t, color=marker_color, lw=0.8, ls=(0, (2, 2)), alpha=0.6, zorder=1)
                    ax.plot([t], [0], marker="^" if up else "v", color="#2ca02c" if up else "#7f7f7f",
                            markersize=8, clip_on=False, zorder=5, transform=ax.get_xaxis_transform())
                    if single:
                        arrivals_text.append((t, f"{'+' if up else '-'}{abs(change):,.0f} {g}"))
        # Room above the data for the arrival labels; labels close in time are stepped down.
        top = ax.dataLim.y1 if np.isfinite(ax.dataLim.y1) and ax.dataLim.y1 > 0 else 1.0
        ax.set_ylim(0, top * (1.3 if arrivals_text else 1.1))
        span = (time_edges(series[0].r)[-1] - time_edges(series[0].r)[0]) / np.timedelta64(1, "s")
        level, previous = 0, None
        for t, text in sorted(arrivals_text, key=lambda e: e[0]):
            close = previous is not None and (t - previous) / np.timedelta64(1, "s") < 0.12 * span
            level = (level + 1) % 2 if close else 0
            previous = t
            near_end = (time_edges(series[0].r)[-1] - t) / np.timedelta64(1, "s") < 0.15 * span
            ax.annotate(text, xy=(t, 0.97 - 0.09 * level), xycoords=("data", "axes fraction"),
                        xytext=(-3 if near_end else 3, 0), textcoords="offset points", fontsize=8, va="top",
                        ha="right" if near_end else "left",
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
        ax.set_title(site, loc="left", fontsize=11)
        style_axes(ax, "GPUs")
        marks = [Line2D([], [], color="#2ca02c", marker="^", ls="none", label="procurement arrival"),
                 Line2D([], [], color="#7f7f7f", marker="v", ls="none", label="retirement")]
        marks = [m for m, kind in zip(marks, (True, False)) if kind in kinds]
        if single:
            handles, _ = ax.get_legend_handles_labels()
            outside_legend(ax, handles[::-1] + marks)  # top to bottom, as stacked
        else:
            styles = [Line2D([], [], color="0.3", ls="--", label="installed"),
                      Line2D([], [], color="0.3", ls="-", label="powered"),
                      Line2D([], [], color="0.3", ls=":", label="stranded (dark)")]
            outside_legend(ax, scenario_legend([s for s in series if site in sites_of(s)], styles + marks))
    set_time_limits(axes, series)
    return fig


def power_unit(series, names, by_site=False):
    """MW, or kW for small scenarios (under 1 MW everywhere)."""
    top = 0.0
    for s in series:
        for name in names:
            da = s.r.sites[name] if by_site else s.r.sites[name].sum("site")
            if da.size and np.isfinite(da.values).any():
                top = max(top, float(np.nanmax(da.values)))
    return (1000.0, "kW") if top < 1 else (1.0, "MW")


def plot_power(series):
    site_names = union(sites_of(s) for s in series)
    fig, axes = new_figure(len(site_names), row_height=legend_row_height(series, 3),
                           title=fig_title("Facility power against the grid connection", series))
    single = len(series) == 1
    factor, unit = power_unit(series, ["facility_power_peak_mw", "grid_capacity_mw"], by_site=True)
    for ax, site in zip(axes[:, 0], site_names):
        for s in series:
            if site not in sites_of(s):
                continue
            x = time_edges(s.r)
            at = s.r.sites.sel(site=site)
            mean_c, peak_c, grid_c = ("#1f77b4", "#ff7f0e", "black") if single else (s.color,) * 3
            draw(ax, x, values(at["facility_power_peak_mw"]) * factor, peak_c, "peak within the step", lw=0.9,
                 alpha=0.8 if single else 0.35)
            draw(ax, x, values(at["facility_power_mw"]) * factor, mean_c, "mean over the step", lw=1.3)
            draw(ax, x, values(at["grid_capacity_mw"]) * factor, grid_c, "grid capacity", ls="--", lw=1.6, zorder=3)
        ax.set_title(site, loc="left", fontsize=11)
        style_axes(ax, f"facility power ({unit})")
        ax.set_ylim(bottom=0)
        ax.margins(y=0.1)
        if single:
            outside_legend(ax)
        else:
            styles = [Line2D([], [], color="0.3", ls="-", lw=1.3, label="mean over the step"),
                      Line2D([], [], color="0.3", ls="-", lw=0.9, alpha=0.35, label="peak within the step"),
                      Line2D([], [], color="0.3", ls="--", label="grid capacity")]
            outside_legend(ax, scenario_legend([s for s in series if site in sites_of(s)], styles))
    set_time_limits(axes, series)
    return fig


def currency_of(series):
    currencies = union([[str(s.r.attrs.get("currency", "currency"))] for s in series])
    return currencies[0] if len(currencies) == 1 else "/".join(currencies)


def plot_energy(series):
    currency = currency_of(series)
    metrics = [("energy_cumulative_mwh", "Facility energy since the start", "energy (MWh)", 1.0),
               ("energy_cost_cumulative", "Electricity cost since the start", currency, None),
               ("carbon_cumulative_t", "Carbon emissions since the start", f"emissions (t {CO2E})", 1.0)]
    fig, axes = new_figure(3, title=fig_title("Energy, electricity cost and carbon", series))
    single = len(series) == 1
    site_names = union(sites_of(s) for s in series)
    site_styles = ["-", "--", ":", "-."]
    for ax, (var, title, unit, factor) in zip(axes[:, 0], metrics):
        if factor is None:
            top = max(float(np.nanmax(s.r.sites[var].sum("site").values)) for s in series)
            factor, unit = scale_for(top, unit)
            unit = f"cost ({unit})"
        handles = []
        for s in series:
            x = time_edges(s.r)
            names = sites_of(s)
            for k, site in enumerate(names):
                color = SCENARIO_COLORS[k % 10] if single else s.color
                ls = "-" if single else site_styles[site_names.index(site) % len(site_styles)]
                handles.append(draw(ax, x, values(s.r.sites[var].sel(site=site)) / factor, color, site, ls=ls))
            if single and len(names) > 1:
                handles.append(draw(ax, x, values(s.r.sites[var].sum("site")) / factor, "black", "all sites",
                                    lw=1.2, ls="--"))
        if not single:  # colour: scenario; line style: site
            handles = scenario_legend(series, [Line2D([], [], color="0.3", label=site,
                                                      ls=site_styles[k % len(site_styles)])
                                               for k, site in enumerate(site_names)])
        ax.set_title(title, loc="left", fontsize=11)
        style_axes(ax, unit)
        ax.set_ylim(bottom=0)
        if ax is axes[0, 0] or single:
            outside_legend(ax, handles)
    set_time_limits(axes, series)
    return fig


def rolling_mean(y, x, days=30):
    """A centred rolling mean over about `days` (time is the last axis); None when the run is too short."""
    step_days = float(np.median(np.diff(x) / np.timedelta64(1, "D"))) if len(x) > 1 else 0
    if step_days <= 0 or (x[-1] - x[0]) / np.timedelta64(1, "D") < 3 * days or step_days * 3 > days:
        return None
    window = max(2, int(round(days / step_days)))
    y = np.atleast_2d(np.asarray(y, dtype=float))
    out = np.array([pd.Series(row).rolling(window, center=True, min_periods=1).mean().values for row in y])
    return out if out.shape[0] > 1 else out[0]


def busy_and_powered(s):
    busy = s.r.tenants["busy_gpus"].sum("tenant")
    powered = s.r.sites["powered_gpus"].sum(["site", "gpu"])
    return busy, powered


def plot_utilization(series):
    fig, axes = new_figure(3, title=fig_title("Utilization and queue", series))
    single = len(series) == 1
    for s in series:
        x = time_edges(s.r)
        busy, powered = busy_and_powered(s)
        util = 100 * (busy / powered.where(powered > 0))
        color = "#1f77b4" if single else s.color
        smooth = rolling_mean(values(util), x)
        if smooth is None:
            draw(axes[0, 0], x, values(util), color, "busy GPUs / powered GPUs" if single else s.label, lw=1.2)
        else:
            if single:
                draw(axes[0, 0], x, values(util), color, "each output step", lw=0.6, alpha=0.35, band=False)
            draw(axes[0, 0], x, smooth, color, "30-day mean" if single else s.label, lw=1.8)
        t = s.r.tenants
        for ax, var in ((axes[1, 0], "queued_jobs"), (axes[2, 0], "queued_gpus")):
            if single:
                names = tenants_of(s)
                stack(ax, x, [values(t[var].sel(tenant=n)) for n in names],
                      [SCENARIO_COLORS[k % 10] for k in range(len(names))], names)
            else:
                draw(ax, x, values(t[var].sum("tenant")), s.color, s.label, lw=1.0)
    axes[0, 0].set_title("Utilization: GPUs held by jobs (reservations included) / powered GPUs, all sites",
                         loc="left", fontsize=11)
    style_axes(axes[0, 0], "utilization (%)")
    axes[0, 0].set_ylim(0, 105)
    axes[1, 0].set_title("Jobs waiting in the queue (mean over each step)" + (", by tenant" if single else ""),
                         loc="left", fontsize=11)
    style_axes(axes[1, 0], "queued jobs")
    axes[2, 0].set_title("GPUs asked for by the waiting jobs (mean over each step)" + (", by tenant" if single else ""),
                         loc="left", fontsize=11)
    style_axes(axes[2, 0], "queued GPU demand (GPUs)")
    for k, ax in enumerate(axes[:, 0]):
        ax.set_ylim(bottom=0)
        if single and k < 2:
            outside_legend(ax)  # the tenants: once for both queue panels
        elif k == 0:
            outside_legend(ax, scenario_legend(series))
    set_time_limits(axes, series)
    return fig


def monthly_waits(s, tenant):
    """(month edges, {statistic: array (month,) or (replication, month)}) of one tenant's waits in seconds,
    by month of submission, over the jobs that started."""
    jobs = s.r.jobs
    start = np.datetime64(s.r.start, "M")
    end = np.datetime64(s.r.end - pd.Timedelta(1, "ns"), "M") + 1
    months = np.arange(start, end + 1, dtype="datetime64[M]").astype("datetime64[ns]")
    sel = jobs[(jobs["tenant"] == tenant) & jobs["wait"].notna()]
    if sel.empty:
        return months, {name: np.full(len(months) - 1, np.nan) for name in ("p50", "p95", "mean")}
    month = sel["submit_time"].values.astype("datetime64[M]").astype("datetime64[ns]")
    keys = [month] if REP not in sel.columns else [sel[REP].values, month]
    grouped = sel["wait"].groupby(keys)
    stats = {"p50": grouped.quantile(0.5), "p95": grouped.quantile(0.95), "mean": grouped.mean()}
    out = {}
    for name, per in stats.items():
        if REP in sel.columns:
            out[name] = per.unstack(0).reindex(months[:-1]).values.T  # replications x months
        else:
            out[name] = per.reindex(months[:-1]).values
    return months, out


def plot_waits(series):
    tenant_names = union(tenants_of(s) for s in series)
    fig, axes = new_figure(len(tenant_names), row_height=2.1, sharey=True,
                           title=fig_title("Wait until first start, by month of submission", series))
    single = len(series) == 1
    data, top = {}, 0.0
    for s in series:
        for tenant in tenants_of(s):
            edges, stats = monthly_waits(s, tenant)
            data[s.label, tenant] = (edges, stats)
            for y in stats.values():
                if np.isfinite(y).any():
                    top = max(top, float(np.nanmax(y)))
    styles = {"p95": dict(ls="--", lw=1.3), "p50": dict(ls="-", lw=1.8), "mean": dict(ls=":", lw=1.3)}
    for ax, tenant in zip(axes[:, 0], tenant_names):
        title = tenant
        for s in series:
            if (s.label, tenant) not in data:
                continue
            edges, stats = data[s.label, tenant]
            color = "#1f77b4" if single else s.color
            for name, style in styles.items():
                draw(ax, edges, stats[name], {"mean": "#ff7f0e"}.get(name, color) if single else color, **style)
            if single:
                jobs = s.r.jobs
                mine = jobs[jobs["tenant"] == tenant]
                n_rep = mine[REP].nunique() if REP in mine.columns else 1
                started = int(round(mine["wait"].notna().sum() / max(1, n_rep)))  # per replication, on average
                waited = int(round((mine["wait"] > 0).sum() / max(1, n_rep)))
                title = (f"{tenant}: {started:,} jobs started, {waited:,} ({100 * waited / max(1, started):.2g} %) "
                         "of them waited at all")
        ax.set_title(title, loc="left", fontsize=10.5)
        style_axes(ax, "wait")
        duration_axis(ax, top)
        keys = [Line2D([], [], color="#1f77b4" if single else "0.3", label="p50 (median)", **styles["p50"]),
                Line2D([], [], color="#1f77b4" if single else "0.3", label="p95", **styles["p95"]),
                Line2D([], [], color="#ff7f0e" if single else "0.3", label="mean", **styles["mean"])]
        if ax is axes[0, 0]:
            outside_legend(ax, keys if single else scenario_legend(series, keys))
    axes[-1, 0].set_xlabel("month of submission (jobs that started, running ones included; a gap: none of the "
                           "tenant's jobs started that month)", fontsize=9, color="0.3")
    set_time_limits(axes, series)
    return fig


def plot_shares(series):
    tenant_names = union(tenants_of(s) for s in series)
    ncols = 1 if len(tenant_names) <= 2 else 2
    nrows = -(-len(tenant_names) // ncols)
    fig = plt.figure(figsize=(12.0 if ncols == 2 else 11.0, 1.4 + 2.6 * nrows), constrained_layout=True)
    fig.suptitle(fig_title("Delivered against entitled share of GPU-hours", series), fontsize=13, fontweight="bold")
    grid = fig.add_gridspec(nrows + 1, ncols, height_ratios=[1] * nrows + [0.12])
    flat = []
    for k in range(len(tenant_names)):
        share = {"sharex": flat[0], "sharey": flat[0]} if flat else {}
        flat.append(fig.add_subplot(grid[k // ncols, k % ncols], **share))
    single = len(series) == 1
    for ax, tenant in zip(flat, tenant_names):
        for s in series:
            if tenant not in tenants_of(s):
                continue
            x = time_edges(s.r)
            t = s.r.tenants
            total = t["delivered_gpu_hours_cumulative"].sum("tenant")
            delivered = 100 * t["delivered_share"].sel(tenant=tenant).where(total > 0)
            entitled = 100 * t["entitled_share"].sel(tenant=tenant)
            entitled = entitled.broadcast_like(t["time"]).transpose(..., "time")
            color = "#1f77b4" if single else s.color
            draw(ax, x, values(delivered), color, lw=1.6)
            draw(ax, x, values(entitled), "black" if single else color, ls="--", lw=1.2)
        ax.set_title(tenant, loc="left", fontsize=11)
        style_axes(ax, "share of GPU-hours (%)")
        ax.set_ylim(bottom=0)
    styles = [Line2D([], [], color="0.3", ls="-", label="delivered (all GPU-hours since the start)"),
              Line2D([], [], color="0.3", ls="--", label="entitled (the tenant's share)")]
    handles = styles if single else scenario_legend(series, styles)
    legend_ax = fig.add_subplot(grid[nrows, :])
    legend_ax.axis("off")
    legend_ax.legend(handles=handles, loc="center", ncol=min(4, len(handles)), frameon=False, fontsize=9)
    set_time_limits(flat, series)
    return fig


# ----------------------------------------------------------------------------------------------
# Summary page


def attr_or(s, name, fallback=np.nan):
    value = s.r.attrs.get(name, fallback)
    if isinstance(value, (list, tuple)):  # one value per replication
        return float(np.nanmedian(np.asarray(value, dtype=float)))
    try:
        return float(value)
    except (TypeError, ValueError):
        return fallback


def run_total(s, name, fallback=np.nan):
    """A total of the run from the `totals` group (the median over replications), else a root attribute."""
    totals = s.r.totals
    if totals is not None and name in totals.data_vars:
        da = totals[name]
        return float(da.median(REP)) if REP in da.dims else float(da)
    return attr_or(s, name, fallback)


def site_total(s, var):
    ds = s.r.sites
    if var not in ds:
        return np.nan
    total = ds[var].sum("site")
    return float(total.median(REP)) if REP in total.dims else float(total)


def summary_median(s, q=0.5):
    """The summary group as group x variable: its quantile q over replications (the median by default)."""
    df = s.r.summary
    if df is None:
        return None
    df = df.drop(columns=[c for c in (REP,) if c in df.columns]).select_dtypes(include="number")
    return df.groupby(level=0, sort=False).quantile(q)


def summary_getter(series, prefix, scale=1.0):
    """get(s, name, column, q=0.5): a value of the summary row `prefix:name`, NaN where absent."""
    tables = {(s.label, q): summary_median(s, q) for s in series for q in (0.1, 0.5, 0.9)}

    def get(s, name, col, q=0.5):
        t = tables[s.label, q]
        key = f"{prefix}:{name}"
        return scale * t.loc[key, col] if t is not None and key in t.index and col in t.columns else np.nan

    return get


def spread(get, col, scale=1.0):
    """p10-p90 over replications, for the error bars of a summary bar chart (None without replications)."""
    def of(s, c):
        if s.r.summary is None or REP not in s.r.summary.columns:
            return None
        return get(s, c, col, 0.1) / scale, get(s, c, col, 0.9) / scale
    return of


def fmt_big(v, unit=""):
    if not np.isfinite(v):
        return "–"
    for factor, word in ((1e9, "billion"), (1e6, "million")):
        if abs(v) >= factor:
            return f"{v / factor:.3g} {word} {unit}".strip()
    return f"{v:,.0f} {unit}".strip()


def fmt_energy(mwh):
    if not np.isfinite(mwh):
        return "–"
    for factor, unit in ((1e6, "TWh"), (1e3, "GWh"), (1.0, "MWh")):
        if abs(mwh) >= factor:
            return f"{mwh / factor:.3g} {unit}"
    return f"{mwh * 1000:.3g} kWh"


def fmt_carbon(t):
    if not np.isfinite(t):
        return "–"
    for factor, unit in ((1e6, "Mt"), (1e3, "kt")):
        if abs(t) >= factor:
            return f"{t / factor:.3g} {unit} {CO2E}"
    return f"{t:,.3g} t {CO2E}"


def fmt_duration(seconds):
    if not np.isfinite(seconds):
        return "–"
    if seconds < 1:
        return "0 s" if seconds == 0 else "< 1 s"
    for limit, div, unit in ((90, 1, "s"), (5400, 60, "min"), (2 * 86400, 3600, "h")):
        if seconds < limit:
            return f"{seconds / div:.2g} {unit}"
    return f"{seconds / 86400:.3g} days"


def key_totals(s, job_rows=True):
    currency = str(s.r.attrs.get("currency", ""))
    capex = run_total(s, "total_capex_hardware") + run_total(s, "total_capex_facility")
    if not np.isfinite(capex):
        capex = site_total(s, "total_capex_hardware") + site_total(s, "total_capex_facility")
    sm = summary_median(s)
    busy_hours = np.nan
    if s.r.tenants is not None:
        x = time_edges(s.r)
        hours = np.diff(x) / np.timedelta64(1, "h")
        busy, powered = busy_and_powered(s)
        b = median(values(busy)) @ hours
        p = median(values(powered)) @ hours
        busy_hours = b / p if p > 0 else np.nan
    rows = [
        ("GPUs installed / powered (end)",
         f"{run_total(s, 'gpus_installed_at_end'):,.0f} / {run_total(s, 'gpus_powered_at_end'):,.0f}"),
        ("GPU-hours stranded (dark)", fmt_big(run_total(s, "gpu_hours_stranded"))),
        ("facility energy", fmt_energy(run_total(s, "total_energy_mwh", site_total(s, "total_energy_mwh")))),
        ("electricity cost", fmt_big(run_total(s, "total_energy_cost", site_total(s, "total_energy_cost")), currency)),
        ("carbon", fmt_carbon(run_total(s, "total_carbon_t", site_total(s, "total_carbon_t")))),
        ("capex (hardware + facility)", fmt_big(capex, currency)),
        ("depreciation", fmt_big(run_total(s, "total_depreciation"), currency)),
    ]
    if sm is not None and "all" in sm.index and job_rows:
        a = sm.loc["all"]
        rows += [
            ("jobs submitted", f"{a['submitted']:,.0f}"),
            ("completed / rejected", f"{a['completed']:,.0f} / {a['rejected']:,.0f}"),
            ("preemptions", f"{a['preemptions']:,.0f}"),
            ("GPU-hours delivered", fmt_big(a["delivered_gpu_hours"])),
            ("utilization of powered GPUs", f"{100 * busy_hours:.0f} %" if np.isfinite(busy_hours) else "–"),
            ("wait: mean / p95", f"{fmt_duration(a['wait_mean_s'])} / {fmt_duration(a['wait_p95_s'])}"),
        ]
    elif job_rows:
        rows += [("jobs", "no workloads")]
    return rows


def column_labels(series):
    """Scenario labels for table columns: what differs between them, if they share a long beginning."""
    labels = [s.label for s in series]
    prefix = labels[0]
    for lab in labels[1:]:
        while not lab.startswith(prefix):
            prefix = prefix[:-1]
    cut = prefix.rfind("[") if "[" in prefix else prefix.rfind(" ")
    if len(series) > 1 and cut >= 10 and all(len(lab) > cut + 1 for lab in labels):
        return [lab[cut:].strip(" []") for lab in labels]
    return labels


# The key totals as columns, for a table with a row per series, and their headers.
TOTALS_AS_COLUMNS = (("facility energy", "facility\nenergy"), ("electricity cost", "electricity\ncost"),
                     ("carbon", "carbon"), ("GPU-hours stranded (dark)", "GPU-hours\nstranded"),
                     ("completed / rejected", "jobs completed\n/ rejected"), ("wait: mean / p95", "wait:\nmean / p95"))
MAX_TOTALS_COLUMNS = 4  # more series than this: a row per series instead of a column


def summary_totals_rows_panel(ax, series):
    """The key totals with a row per series (many points of a sweep, whose columns would not fit)."""
    ax.axis("off")
    tables = [dict(key_totals(s)) for s in series]
    columns = [(key, head) for key, head in TOTALS_AS_COLUMNS if any(key in t for t in tables)]
    workloads = any(s.r.has_workloads for s in series)
    cells = [[lab] + [t.get(key, "no workloads" if workloads and not s.r.has_workloads else "–")
                      for key, _ in columns] for lab, s, t in zip(column_labels(series), series, tables)]
    height = min(1.0, 0.06 * (len(cells) + 2))
    table = ax.table(cellText=cells, colLabels=[""] + [head for _, head in columns], loc="upper left",
                     cellLoc="right", edges="horizontal", bbox=(0, 1 - height, 1, height))
    table.auto_set_font_size(False)
    table.set_fontsize(7.5)
    # Each column as wide as its longest text (CO2e set as mathtext counts a few characters more than it shows).
    header = [""] + [head for _, head in columns]
    longest = [max(len(line.replace("$_2$", "2")) for text in [header[c]] + [r[c] for r in cells]
                   for line in text.split("\n")) + 3 for c in range(len(header))]
    longest[0] *= 1.4  # bold
    widths = np.array(longest, dtype=float) / sum(longest)
    for (row, col), cell in table.get_celld().items():
        cell.set_edgecolor("0.85")
        cell.set_width(widths[col])
        if col == 0:
            cell._loc = "left"
            cell.get_text().set_ha("left")
            if row > 0:
                cell.get_text().set_color(series[row - 1].color)
                cell.get_text().set_fontweight("bold")
        if row == 0:
            cell.set_height(cell.get_height() * 1.8)
    ax.set_title("Key totals over the horizon", loc="left", fontsize=11, fontweight="bold")


def summary_totals_panel(ax, series):
    if len(series) > MAX_TOTALS_COLUMNS:
        summary_totals_rows_panel(ax, series)
        return
    ax.axis("off")
    any_jobs = any(s.r.has_workloads for s in series)
    tables = [key_totals(s, job_rows=s.r.has_workloads or not any_jobs) for s in series]
    labels = union([[label for label, _ in t] for t in tables])
    cells = []
    for label in labels:
        row = [label]
        for s, t in zip(series, tables):
            row.append(dict(t).get(label, "no workloads" if any_jobs and not s.r.has_workloads else "–"))
        cells.append(row)
    if len(series) == 1:
        col_labels = None
    else:
        col_labels = [""] + [textwrap.fill(lab, 18 if len(series) <= 2 else 12) for lab in column_labels(series)]
    height = min(1.0, 0.07 * (len(cells) + (1.6 if col_labels else 0)))
    table = ax.table(cellText=cells, colLabels=col_labels, loc="upper left", cellLoc="left", edges="horizontal",
                     bbox=(0, 1 - height, 1, height))
    table.auto_set_font_size(False)
    table.set_fontsize(9.5 if len(series) == 1 else 8.5 if len(series) == 2 else 7.5)
    label_width = 0.52 if len(series) == 1 else 0.42
    for (row, col), cell in table.get_celld().items():
        cell.set_edgecolor("0.85")
        cell.set_width(label_width if col == 0 else (1 - label_width) / len(series))
        if col > 0:
            cell.get_text().set_fontweight("bold")
            cell._loc = "right"
            cell.get_text().set_ha("right")
        if row == 0 and col_labels is not None:
            cell.get_text().set_color(series[col - 1].color if col > 0 else "black")
            cell.set_height(cell.get_height() * 1.6)
    ax.set_title("Key totals over the horizon", loc="left", fontsize=11, fontweight="bold")


def summary_gpus_panel(ax, series):
    single = len(series) == 1
    for s in series:
        x = time_edges(s.r)
        ds = s.r.sites
        installed = values(ds["installed_gpus"].sum(["site", "gpu"]))
        powered = values(ds["powered_gpus"].sum(["site", "gpu"]))
        stranded = values(ds["stranded_gpus"].sum(["site", "gpu"]))
        if single:
            base = stack(ax, x, [powered], ["#6baed6"], ["powered"])
            stack(ax, x, [stranded], [STRANDED_COLOR], ["stranded (dark)"], base=base)
            draw(ax, x, installed, "black", "installed", lw=1.3)
        else:
            draw(ax, x, installed, s.color, ls="--", lw=1.2)
            draw(ax, x, powered, s.color, lw=1.8)
            draw(ax, x, stranded, s.color, ls=":", lw=1.6)
    ax.set_title("GPUs, all sites", loc="left", fontsize=11, fontweight="bold")
    style_axes(ax, "GPUs")
    top = ax.dataLim.y1 if np.isfinite(ax.dataLim.y1) and ax.dataLim.y1 > 0 else 1.0
    if single:
        ax.set_ylim(0, top * 1.2)
        ax.legend(loc="upper left", fontsize=8.5, frameon=False, ncol=3)
    else:
        handles = [Line2D([], [], color="0.3", ls="--", label="installed"),
                   Line2D([], [], color="0.3", ls="-", label="powered"),
                   Line2D([], [], color="0.3", ls=":", label="stranded (dark)")]
        ax.set_ylim(0, top * 1.2)
        ax.legend(handles=handles, loc="upper left", fontsize=8.5, frameon=False, ncol=3)
    set_time_limits([ax], series)


def grouped_bars(ax, categories, series, value_of, marker_of=None, bar_label=None, marker_label=None,
                 fmt=lambda v: f"{v:.3g}", single=None, spread_of=None):
    """Bars per category, one per series; an optional black marker per bar (an entitlement, a percentile)."""
    n = len(series)
    width = 0.8 / n
    xs = np.arange(len(categories))
    single = n == 1 if single is None else single
    for k, s in enumerate(series):
        vals = np.array([value_of(s, c) for c in categories], dtype=float)
        pos = xs - 0.4 + width * (k + 0.5)
        color = "#6baed6" if single else s.color
        bars = ax.bar(pos, np.nan_to_num(vals), width * 0.9, color=color)
        ranges = [spread_of(s, c) for c in categories] if spread_of is not None else []
        if ranges and all(r is not None for r in ranges):
            lo, hi = np.array(ranges, dtype=float).T
            ax.errorbar(pos, vals, yerr=[np.clip(vals - lo, 0, None), np.clip(hi - vals, 0, None)], fmt="none",
                        ecolor="0.25", elinewidth=1, capsize=3, zorder=5)
        if single:
            for b, v in zip(bars, vals):
                if np.isfinite(v):
                    ax.annotate(fmt(v), (b.get_x() + b.get_width() / 2, b.get_height()), xytext=(0, 2),
                                textcoords="offset points", ha="center", va="bottom", fontsize=8)
        if marker_of is not None:
            marks = np.array([marker_of(s, c) for c in categories], dtype=float)
            ax.hlines(marks, pos - width * 0.45, pos + width * 0.45, colors="black", lw=2.2, zorder=4)
    ax.set_xticks(xs)
    ax.set_xlim(-0.6, len(categories) - 0.4)
    ax.grid(True, axis="y", color="0.9", lw=0.6)
    ax.set_axisbelow(True)
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(tick_format))
    handles = [Patch(color="#6baed6" if single else "0.6", label=bar_label + ("" if single else " (bars)"))]
    if marker_of is not None:
        handles.append(Line2D([], [], color="black", lw=2.2, label=marker_label))
    return handles


def summary_shares_panel(ax, series, single):
    tenant_names = union(tenants_of(s) for s in series)
    get = summary_getter(series, "tenant", scale=100)
    handles = grouped_bars(ax, tenant_names, series, lambda s, c: get(s, c, "delivered_share"),
                           lambda s, c: get(s, c, "entitled_share"), bar_label="delivered", marker_label="entitled",
                           fmt=lambda v: f"{v:.0f} %", single=single, spread_of=spread(get, "delivered_share"))
    if single or len(series) <= 2:
        ax.set_xticklabels([short_label(n, 12 if single else 9) for n in tenant_names], fontsize=8.5 if single else 8)
    else:
        ax.set_xticklabels(tenant_names, fontsize=8, rotation=30, ha="right", rotation_mode="anchor")
    ax.set_ylabel("share of GPU-hours (%)")
    ax.set_title("Delivered vs entitled share" if not single else "Delivered against entitled share", loc="left",
                 fontsize=11, fontweight="bold")
    ax.margins(y=0.15)
    ax.legend(handles=handles, fontsize=8, frameon=False, loc="upper right")


def summary_waits_panel(ax, series, single):
    classes = union([[g.split(":", 1)[1] for g in s.r.summary.index.unique() if g.startswith("class:")]
                     for s in series if s.r.summary is not None]) or list(CLASSES)
    get = summary_getter(series, "class")

    top = np.nanmax([0.0] + [get(s, c, col) for s in series for c in classes for col in ("wait_mean_s", "wait_p95_s")])
    div, unit = duration_unit(top)
    handles = grouped_bars(ax, classes, series, lambda s, c: get(s, c, "wait_mean_s") / div,
                           lambda s, c: get(s, c, "wait_p95_s") / div, bar_label="mean", marker_label="p95",
                           fmt=lambda v: f"{v:.2g}", single=single, spread_of=spread(get, "wait_mean_s", div))
    if single:
        counts = [get(series[0], c, "submitted") for c in classes]
        ax.set_xticklabels([f"{c}\n{n:,.0f}" if np.isfinite(n) else c for c, n in zip(classes, counts)],
                           fontsize=8.5)
        xlabel = "job class (jobs submitted)"
    else:
        if len(series) <= 2:
            ax.set_xticklabels([short_label(c, 9) for c in classes], fontsize=8)
        else:
            ax.set_xticklabels(classes, fontsize=8, rotation=30, ha="right", rotation_mode="anchor")
        xlabel = "job class"
    p95 = [get(s, c, "wait_p95_s") for s in series for c in classes]
    if all(v == 0 or not np.isfinite(v) for v in p95):
        xlabel += "\np95 = 0 in every class: over 95 % of\nthe jobs started at once"
    ax.set_xlabel(xlabel, fontsize=8.5)
    ax.set_ylabel(f"wait ({unit})")
    ax.set_title("Wait by job class" if not single else "Wait until first start, by job class", loc="left",
                 fontsize=11, fontweight="bold")
    ax.margins(y=0.15)
    ax.legend(handles=handles, fontsize=8, frameon=False, loc="upper right")


def summary_power_panel(ax, series):
    """For scenarios without workloads: facility power against the grid, all sites."""
    single = len(series) == 1
    factor, unit = power_unit(series, ["facility_power_mw", "grid_capacity_mw"])
    for s in series:
        x = time_edges(s.r)
        ds = s.r.sites
        draw(ax, x, values(ds["facility_power_mw"].sum("site")) * factor, "#1f77b4" if single else s.color,
             "facility power (mean)" if single else None, lw=1.3)
        draw(ax, x, values(ds["grid_capacity_mw"].sum("site")) * factor, "black" if single else s.color,
             "grid capacity" if single else None, ls="--", lw=1.4)
    ax.set_title("Facility power, all sites", loc="left", fontsize=11, fontweight="bold")
    style_axes(ax, f"power ({unit})")
    ax.set_ylim(bottom=0)
    ax.margins(y=0.12)
    ax.legend(handles=None if single else [Line2D([], [], color="0.3", label="facility power (mean)"),
                                           Line2D([], [], color="0.3", ls="--", label="grid capacity")],
              fontsize=8, frameon=False, loc="lower right")
    set_time_limits([ax], series)


def summary_energy_panel(ax, series):
    """For scenarios without workloads: facility energy per calendar year."""
    years = sorted(union([sorted(set(pd.DatetimeIndex(s.r.sites["time"].values).year)) for s in series]))

    def energy(s, year):
        e = s.r.sites["energy_mwh"].sum("site")
        if REP in e.dims:
            e = e.median(REP)
        e = e.to_series()
        return float(e[e.index.year == year].sum()) if (e.index.year == year).any() else np.nan

    grouped_bars(ax, years, series, energy, bar_label="facility energy", fmt=fmt_energy, single=len(series) == 1)
    ax.set_xticklabels([str(y) for y in years], fontsize=8.5)
    ax.set_ylabel("energy (MWh)")
    ax.set_title("Facility energy per year", loc="left", fontsize=11, fontweight="bold")
    ax.margins(y=0.15)


def plot_summary(series):
    single = len(series) == 1
    fig = plt.figure(figsize=(13.33, 7.5), constrained_layout=True)
    if single:
        s = series[0]
        start, end = s.r.start, s.r.end - pd.Timedelta(1, "s")
        title = s.label
        n_sites, n_tenants = len(sites_of(s)), len(tenants_of(s))
        sub = (f"{start.day} {start:%b %Y} to {end.day} {end:%b %Y} · {plural(n_sites, 'site')} · "
               f"{plural(n_tenants, 'tenant') if n_tenants else 'no workloads'} · "
               f"capsim {s.r.attrs.get('capsim_version', '')}, {s.r.attrs.get('source', s.r.path.name)}")
    else:
        study = shared_study(series)
        if study:
            keys = union([s.r.swept for s in series])
            title = f"{study}: {len(series)} points of a sweep over {', '.join(keys)}"
        else:
            title = "Comparison: " + series_list(series, limit=150)
        spans = [f"{s.r.start:%b %Y} to {(s.r.end - pd.Timedelta(1, 's')):%b %Y}" for s in series]
        if len(set(spans)) == 1:
            sub = spans[0]
        elif len(set(s.source for s in series)) < len(series):  # points of studies: one span per file
            sub = " · ".join(union([[f"{s.source}: {span}"] for s, span in zip(series, spans)]))
        else:
            sub = " · ".join(f"{lab}: {span}" for lab, span in zip(column_labels(series), spans))
    if replication_note(series):
        sub += f" · {replication_note(series)}, error bars: p10-p90"
    title = textwrap.fill(title, 100)
    sub = textwrap.fill(sub, 170)
    legend_rows = 0 if single else -(-len(series) // 3)
    fig.suptitle(title, fontsize=16 if single else 14, fontweight="bold")
    # Below the title: the subtitle and, comparing, the scenarios' colours (for every panel).
    sub_lines = 1 + sub.count("\n")
    grid = fig.add_gridspec(3, 3, width_ratios=[1.15 if single else 1.0 + 0.3 * min(len(series), 4), 1, 1],
                            height_ratios=[0.055 * sub_lines + 0.12 * legend_rows, 1, 1])
    header = fig.add_subplot(grid[0, :])
    header.axis("off")
    header.text(0.5, 1.0, sub, ha="center", va="top", fontsize=9.5, color="0.35", transform=header.transAxes)
    if not single:
        header.legend(handles=[Line2D([], [], color=s.color, lw=3, label=s.label) for s in series],
                      loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=min(3, len(series)), frameon=False,
                      fontsize=9, borderaxespad=0, handlelength=2.5)
    summary_totals_panel(fig.add_subplot(grid[1:, 0]), series)
    summary_gpus_panel(fig.add_subplot(grid[1, 1:]), series)
    with_workloads = [s for s in series if s.r.has_workloads]
    if with_workloads:
        summary_shares_panel(fig.add_subplot(grid[2, 1]), with_workloads, single)
        summary_waits_panel(fig.add_subplot(grid[2, 2]), with_workloads, single)
    else:
        summary_power_panel(fig.add_subplot(grid[2, 1]), series)
        summary_energy_panel(fig.add_subplot(grid[2, 2]), series)
    return fig


# ----------------------------------------------------------------------------------------------
# Sweep: key totals against the swept value


@dataclass
class SweepLine:
    """The points of one study that share the values of the swept keys other than x."""
    label: str
    r: Results
    x: SweptKey
    points: list  # positions along `point`, in point order
    color: tuple


def resolve_sweep_key(files, wanted):
    """The swept key that --sweep-x names (its path, or the end of it), or None if none matches."""
    keys = union([r.swept for r in files])
    if wanted in keys:
        return wanted
    matches = [k for k in keys if k.endswith("." + wanted)]
    return matches[0] if len(matches) == 1 else None


def sweep_lines(files, x_key):
    lines = []
    for r in files:
        keys = swept_keys_of(r)
        x = next((k for k in keys if k.key == x_key), None)
        if x is None:
            continue
        others = [k for k in keys if k is not x]
        combos = {}
        for i in range(len(x.values)):
            combos.setdefault(tuple(k.text(i) for k in others), []).append(i)
        for positions in combos.values():
            combo = ", ".join(f"{k.name}={k.text(positions[0])}" for k in others)
            name = file_label(r, files)
            label = combo if len(files) == 1 else f"{name}: {combo}" if combo else name
            lines.append(SweepLine(label, r, x, positions, SCENARIO_COLORS[len(lines) % len(SCENARIO_COLORS)]))
    return lines


def sweep_statistic(r, metric):
    """(point, statistic) of one key total: from `stats/totals`, or the mean wait of all jobs from
    `stats/summary`; None where the file lacks it."""
    if metric == "wait_mean_s":
        stats = r.stats_summary
        if stats is None or metric not in stats or "all" not in stats["group"].values:
            return None
        return stats[metric].sel(group="all", drop=True)
    stats = r.stats_totals
    return stats[metric] if stats is not None and metric in stats else None


def sweep_metrics(files):
    currency = union([[str(r.attrs.get("currency", "currency"))] for r in files])
    money = currency[0] if len(currency) == 1 else "/".join(currency)
    metrics = [("total_energy_mwh", "Facility energy over the horizon", "MWh"),
               ("total_energy_cost", "Electricity cost over the horizon", money),
               ("total_carbon_t", "Carbon emissions over the horizon", f"t {CO2E}"),
               ("gpu_hours_stranded", "GPU-hours stranded (in service, dark)", "GPU-hours")]
    if any(r.has_workloads for r in files):
        metrics += [("jobs_completed", "Jobs completed", "jobs"),
                    ("wait_mean_s", "Mean wait until first start, all jobs", "duration")]
    return metrics


def draw_sweep_line(ax, line, y, divisor, categories, offset):
    """Mean with its 95 % confidence interval (error bars) and the p10-p90 range of the replications
    (a light band, or a light bar on a category axis), against the swept value."""
    stat = {name: y.sel(statistic=name).values[line.points].astype(float) / divisor
            for name in ("mean", "ci95_low", "ci95_high", "p10", "p90")}
    mean = stat["mean"]
    below = np.nan_to_num(np.clip(mean - stat["ci95_low"], 0, None))  # one replication: no interval
    above = np.nan_to_num(np.clip(stat["ci95_high"] - mean, 0, None))
    if line.x.numeric:
        x = line.x.values[line.points].astype(float)
        order = np.argsort(x, kind="stable")
        x, mean, below, above = x[order], mean[order], below[order], above[order]
        ax.fill_between(x, stat["p10"][order], stat["p90"][order], color=line.color, alpha=0.18, lw=0)
        ax.errorbar(x, mean, yerr=[below, above], fmt="-o", color=line.color, ms=5, lw=1.6, capsize=4,
                    elinewidth=1.2, zorder=3)
    else:
        x = np.array([categories.index(line.x.text(i)) for i in line.points], dtype=float) + offset
        ax.vlines(x, stat["p10"], stat["p90"], color=line.color, lw=9, alpha=0.25, zorder=2)
        ax.errorbar(x, mean, yerr=[below, above], fmt="o", color=line.color, ms=6, capsize=5, elinewidth=1.4,
                    zorder=3)
        ax.plot(x, mean, color=line.color, lw=1.0, ls=":", alpha=0.7, zorder=2)  # the points' order


def plot_sweep(files, x_key):
    lines = sweep_lines(files, x_key)
    x = lines[0].x
    numeric = all(line.x.numeric and line.x.unit == x.unit for line in lines)
    categories = [] if numeric else union([[line.x.text(i) for i in line.points] for line in lines])
    metrics = [m for m in sweep_metrics(files) if any(sweep_statistic(line.r, m[0]) is not None for line in lines)]
    ncols = 3
    nrows = -(-len(metrics) // ncols)
    spare = nrows * ncols - len(metrics)
    # The legend: the lines (named by the other swept keys), then what marker, bar and band show.
    others = union([[k.key for k in swept_keys_of(line.r) if k.key != line.x.key] for line in lines])
    line_keys = [Line2D([], [], color=line.color, marker="o", lw=1.6, label=textwrap.fill(line.label, 45))
                 for line in lines] if len(lines) > 1 else []
    legend_rows = max(3, min(len(line_keys), 6)) if line_keys else 1
    legend_height = 0.3 * legend_rows + (0.35 if line_keys and others else 0) + 0.2  # inches, below the panels
    panel_height = 3.4
    fig = plt.figure(figsize=(13.33, 1.0 + panel_height * nrows + (0 if spare else legend_height)),
                     constrained_layout=True)
    grid = fig.add_gridspec(nrows + (0 if spare else 1), ncols,
                            height_ratios=[panel_height] * nrows + ([] if spare else [legend_height]))
    counts = sorted({int(r.attrs.get("replications", 0) or 0) for r in files})
    runs = counts[0] if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"
    names = " vs ".join(union([[r.label] for r in files]))
    fig.suptitle(textwrap.fill(f"Key totals against {x.key}: {names}", 110), fontsize=13, fontweight="bold")
    axes = []
    for k, (metric, title, unit) in enumerate(metrics):
        ax = fig.add_subplot(grid[k // ncols, k % ncols], sharex=axes[0] if axes else None)
        axes.append(ax)
        data = [(line, sweep_statistic(line.r, metric)) for line in lines]
        data = [(line, y) for line, y in data if y is not None]
        top = max([float(np.nanmax(np.abs(y.values))) for _, y in data if np.isfinite(y.values).any()] or [0.0])
        if unit == "duration":
            divisor, shown = duration_unit(top)
            ylabel = f"mean wait ({shown})"
        elif unit == f"t {CO2E}":
            divisor, shown = (1e3, f"kt {CO2E}") if top >= 1e4 else (1.0, unit)
            ylabel = f"emissions ({shown})"
        elif unit == "MWh":
            divisor, shown = (1e3, "GWh") if top >= 1e4 else (1.0, unit)
            ylabel = f"energy ({shown})"
        else:
            divisor, shown = scale_for(top, unit)
            ylabel = f"cost ({shown})" if unit not in ("GPU-hours", "jobs") else shown
        width = 0.5 / max(1, len(data))
        for j, (line, y) in enumerate(data):
            offset = (j - (len(data) - 1) / 2) * width if not numeric else 0.0
            draw_sweep_line(ax, line, y, divisor, categories, offset)
        ax.set_title(title, loc="left", fontsize=11)
        ax.set_ylabel(ylabel)
        ax.grid(True, color="0.9", lw=0.6)
        ax.set_axisbelow(True)
        ax.yaxis.set_major_formatter(mticker.FuncFormatter(tick_format))
        if top == 0:
            ax.set_ylim(0, 1)
            ax.text(0.5, 0.5, "0 at every point", transform=ax.transAxes, ha="center", va="center", color="0.4")
        else:
            ax.margins(y=0.15)
            if ax.get_ylim()[0] < 0:  # totals are never negative, whatever a wide interval says
                ax.set_ylim(bottom=0)
        if k // ncols == nrows - 1 or k + ncols >= len(metrics):
            ax.set_xlabel(x.axis_label if numeric else f"{x.key} (in point order)")
    for ax in axes:
        if numeric:
            ticks = np.unique(np.concatenate([line.x.values[line.points].astype(float) for line in lines]))
            if len(ticks) <= 12:
                ax.set_xticks(ticks)
            ax.xaxis.set_major_formatter(mticker.FuncFormatter(tick_format))
            ax.margins(x=0.08)
        else:
            ax.set_xticks(range(len(categories)))
            long = len(categories) > 6 or max(len(c) for c in categories) > 12
            ax.set_xticklabels(categories, rotation=30 if long else 0, ha="right" if long else "center",
                               rotation_mode="anchor" if long else "default")
            ax.set_xlim(-0.5, len(categories) - 0.5)
        ax.tick_params(labelbottom=True)
    if counts == [1]:  # no spread to show
        handles = [Line2D([], [], color="0.3", marker="o", lw=1.6 if numeric else 0, label="one run per point")]
    else:
        handles = [Line2D([], [], color="0.3", marker="o", lw=1.6 if numeric else 0,
                          label=f"mean of {runs} replications"),
                   Line2D([], [], color="0.3", marker="|", ms=12, lw=0, label="95 % confidence interval of the mean"),
                   Patch(color="0.3", alpha=0.25, label="p10-p90 of the replications")]
    legend_ax = fig.add_subplot(grid[nrows - 1, ncols - spare:] if spare else grid[nrows, :])
    legend_ax.axis("off")
    entries = line_keys + handles
    ncol = 1 if spare else -(-len(entries) // legend_rows)
    title = textwrap.fill("lines: " + ", ".join(others), 80) if line_keys and others else None
    legend_ax.legend(handles=entries, title=title, loc="center", ncol=ncol, frameon=False, fontsize=9.5,
                     title_fontsize=9.5, columnspacing=3.0)
    return fig


PLOTTERS = {"gpus": plot_gpus, "power": plot_power, "energy": plot_energy, "utilization": plot_utilization,
            "waits": plot_waits, "shares": plot_shares, "summary": plot_summary}


# ----------------------------------------------------------------------------------------------


def file_names(series):
    """The files behind the series, by scenario name, each once."""
    return ", ".join(f"'{name}'" for name in union([[s.source] for s in series]))


def save(fig, outdir, name, formats, dpi):
    written = []
    for fmt in formats:
        path = outdir / f"{name}.{fmt}"
        metadata = {"png": None, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[fmt]
        fig.savefig(path, dpi=dpi, metadata=metadata)
        written.append(path)
    plt.close(fig)
    return written


def parse_args(argv):
    parser = ArgumentParser(prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="+", metavar="RESULTS.h5", help="files written by `capsim run ... -o`")
    parser.add_argument("-o", "--output", metavar="OUTDIR", required=True, type=Path,
                        help="folder for the figures (created if missing)")
    parser.add_argument("--format", dest="formats", action="append", choices=FORMATS, metavar="{png,svg,pdf}",
                        help="file format; repeat for several (default: png)")
    parser.add_argument("--only", action="append", choices=FIGURES, metavar="FIGURE",
                        help=f"make only this figure; repeat for several ({', '.join(FIGURES)})")
    parser.add_argument("--dpi", type=int, default=100, help="resolution of PNG files (default: 100)")
    parser.add_argument("--sweep-x", metavar="KEY",
                        help="the swept key on the x axis of the sweep figure, as its path or the end of it "
                             "(default: the first swept key)")
    args = parser.parse_args(argv)
    args.formats = list(dict.fromkeys(args.formats or ["png"]))
    args.only = list(dict.fromkeys(args.only or FIGURES))
    if args.dpi <= 0:
        parser.error("--dpi must be positive")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    wanted = [f for f in FIGURES if f in args.only]
    try:
        series, files = load_series(args.results, need_jobs=any(f in JOB_FIGURES for f in wanted))
    except FileNotFoundError as e:
        print(f"{PROG}: error: {e.filename or e}: no such file" if e.filename else f"{PROG}: error: {e}",
              file=sys.stderr)
        return EXIT_IO
    except NotCapsimResult as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as e:
        print(f"{PROG}: error: cannot read {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return EXIT_IO
    studies = [r for r in files if r.swept and r.stats_totals is not None]
    sweep_x = studies[0].swept[0] if studies else None
    if args.sweep_x is not None and studies:
        sweep_x = resolve_sweep_key(studies, args.sweep_x)
        if sweep_x is None:
            keys = ", ".join(union([r.swept for r in studies]))
            print(f"{PROG}: error: --sweep-x {args.sweep_x}: not a swept key (swept: {keys})", file=sys.stderr)
            return EXIT_USAGE
    if args.output.exists() and not args.output.is_dir():
        print(f"{PROG}: error: {args.output} exists and is not a folder", file=sys.stderr)
        return EXIT_IO
    try:
        args.output.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        print(f"{PROG}: error: cannot create {args.output}: {e.strerror or e}", file=sys.stderr)
        return EXIT_IO

    without = [s for s in series if not s.r.has_workloads]
    if without and any(f in WORKLOAD_FIGURES for f in wanted):
        names = file_names(without)
        if len(without) == len(series):
            note(f"no workloads in {names} (infrastructure only): skipping {', '.join(WORKLOAD_FIGURES)}")
        else:
            note(f"no workloads in {names}: left out of {', '.join(WORKLOAD_FIGURES)}")
    without_jobs = [s for s in series if s.r.has_workloads and s.r.jobs is None]
    if without_jobs and any(f in JOB_FIGURES for f in wanted):
        names = file_names(without_jobs)
        why = " (a study file keeps none)" if all(s.r.is_study for s in without_jobs) else ""
        if len(without_jobs) == len([s for s in series if s.r.has_workloads]):
            note(f"no job table in {names}{why}: skipping {', '.join(JOB_FIGURES)}")
        else:
            note(f"no job table in {names}{why}: left out of {', '.join(JOB_FIGURES)}")
    if "sweep" in wanted and not studies and (args.only != list(FIGURES) or any(r.is_study for r in files)):
        without_statistics = [r for r in files if r.swept]
        if without_statistics:
            names = ", ".join(f"'{file_label(r, files)}'" for r in without_statistics)
            note(f"no statistics in {names}: skipping sweep")
        else:
            note(f"no sweep in {file_names(series)}: skipping sweep")
    elif "sweep" in wanted and studies:
        unswept = [r for r in files if r.is_study and sweep_x not in r.swept]
        if unswept:
            names = ", ".join(f"'{file_label(r, files)}'" for r in unswept)
            note(f"{sweep_x} is not swept in {names}: left out of sweep")
        studies = [r for r in studies if sweep_x in r.swept]
    for name in wanted:
        if name == "sweep":
            if not studies:
                continue
            fig = plot_sweep(studies, sweep_x)
        else:
            subset = series
            if name in WORKLOAD_FIGURES:
                subset = [s for s in subset if s.r.has_workloads]
            if name in JOB_FIGURES:
                subset = [s for s in subset if s.r.jobs is not None]
            if not subset:
                continue
            fig = PLOTTERS[name](subset)
        try:
            for path in save(fig, args.output, name, args.formats, args.dpi):
                print(path)
        except OSError as e:
            print(f"{PROG}: error: cannot write {args.output / name}: {e.strerror or e}", file=sys.stderr)
            return EXIT_IO
    return 0


if __name__ == "__main__":
    sys.exit(main())
