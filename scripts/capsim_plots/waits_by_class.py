"""The waits_by_class figure: wait until first start by job class, from the summary (its `class:NAME` rows),
so for studies too, which keep no job table. Over the horizon: p50, mean and p95 of each class (a panel per
class, against the series; one run gets a panel of all classes), and, where the horizon spans several
years, the p95 and mean by year of submission (`summary_by_year`)."""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from .data import REP, union
from .points import series_axis, style_series_axis
from .style import duration_axis, fig_title, key_height, many, outside_legend, scenario_legend, series_key
from .summary import CLASSES, spread, summary_getter

STATISTICS = (("wait_p50_s", "p50 (median)", dict(ls="-", lw=1.1, marker="o", ms=3)),
              ("wait_mean_s", "mean", dict(ls=":", lw=1.4, marker="", ms=0)),
              ("wait_p95_s", "p95", dict(ls="-", lw=2.0, marker="o", ms=4)))
MAX_YEAR_TICKS = 6  # a class's panel is narrow: more years than this, every k-th is named
STAT_COLORS = {"wait_p50_s": "#6baed6", "wait_mean_s": "#ff7f0e", "wait_p95_s": "#08519c"}


def classes_of(series, get):
    """The job classes with jobs in some series, in the summary's order (every class where none has)."""
    names = union([[g.split(":", 1)[1] for g in s.r.summary.index.unique() if g.startswith("class:")]
                   for s in series if s.r.summary is not None]) or list(CLASSES)
    return [c for c in names if any(get(s, c, "submitted") > 0 for s in series)] or names


def by_year(s, cls, name):
    """(years, the median over replications of a by-year wait of a class), or None without summary_by_year."""
    ds = s.r.summary_by_year
    group = f"class:{cls}"
    if ds is None or name not in ds or group not in ds["group"].values:
        return None
    da = ds[name].sel(group=group)
    if REP in da.dims:
        da = da.median(REP)
    return ds["year"].values.astype(int), da.values.astype(float)


def horizon_single(ax, s, get, classes):
    """One run: each class's p50, mean and p95 as bars side by side, the p10-p90 of replications as bars."""
    xs = np.arange(len(classes))
    width = 0.8 / len(STATISTICS)
    for k, (name, label, _) in enumerate(STATISTICS):
        vals = np.array([get(s, c, name) for c in classes], dtype=float)
        pos = xs - 0.4 + width * (k + 0.5)
        ax.bar(pos, np.nan_to_num(vals), width * 0.9, color=STAT_COLORS[name], label=label)
        ranges = [spread(get, name)(s, c) for c in classes]
        if all(r is not None for r in ranges):
            lo, hi = np.array(ranges, dtype=float).T
            ax.errorbar(pos, vals, yerr=[np.clip(vals - lo, 0, None), np.clip(hi - vals, 0, None)], fmt="none",
                        ecolor="0.25", elinewidth=1, capsize=2)
    counts = [get(s, c, "submitted") for c in classes]
    ax.set_xticks(xs)
    ax.set_xticklabels([f"{c}\n{n:,.0f} jobs" if np.isfinite(n) else c for c, n in zip(classes, counts)],
                       fontsize=8.5)
    ax.set_xlim(-0.6, len(classes) - 0.4)
    ax.set_title("Over the horizon", loc="left", fontsize=11)


def horizon_facet(ax, series, get, cls, axis, draw_legend):
    """One class against the series: p50, mean and p95, the p95's p10-p90 of replications as bars."""
    order = np.argsort(axis.x, kind="stable")
    x = axis.x[order]
    for name, label, style in STATISTICS:
        y = np.array([get(s, cls, name) for s in series], dtype=float)[order]
        ax.plot(x, y, color=STAT_COLORS[name], label=label, **style)
        if name == "wait_p95_s":
            ranges = [spread(get, name)(s, cls) for s in series]
            if all(r is not None for r in ranges):
                lo, hi = np.array(ranges, dtype=float)[order].T
                ax.errorbar(x, y, yerr=[np.clip(y - lo, 0, None), np.clip(hi - y, 0, None)], fmt="none",
                            ecolor=STAT_COLORS[name], elinewidth=0.8, alpha=0.5)
    ax.set_title(cls, loc="left", fontsize=11)
    style_series_axis(ax, axis)
    if draw_legend:
        outside_legend(ax)


def year_facet(ax, series, cls, single):
    """One class by year of submission: p95 (solid) and mean (dotted) of every series."""
    for s in series:
        for name, style in (("wait_p95_s", dict(ls="-", lw=1.8, marker="o", ms=3.5)),
                            ("wait_mean_s", dict(ls=":", lw=1.3, marker="", ms=0))):
            found = by_year(s, cls, name)
            if found is not None:
                color = STAT_COLORS[name] if single else s.color
                ax.plot(found[0], found[1], color=color, **style)
    ax.set_title(cls, loc="left", fontsize=11)


def plot_waits_by_class(series):
    get = summary_getter(series, "class")
    classes = classes_of(series, get)
    single = len(series) == 1
    years = union([list(by_year(s, c, "wait_p95_s")[0]) for s in series for c in classes
                   if by_year(s, c, "wait_p95_s") is not None])
    yearly = len(years) > 1  # one year is the horizon again
    ncols = 1 if single else len(classes)
    row_height = max(3.2, key_height(series)) if yearly and many(series) else 3.2
    fig = plt.figure(figsize=(13.33, 1.2 + 3.4 + (row_height if yearly else 0)), constrained_layout=True)
    fig.suptitle(fig_title("Wait until first start, by job class", series), fontsize=13, fontweight="bold")
    grid = fig.add_gridspec(1 + yearly, max(ncols, len(classes) if yearly else 1),
                            height_ratios=[3.4] + ([row_height] if yearly else []))
    top = np.nanmax([0.0] + [get(s, c, name, q) for s in series for c in classes for name, _, _ in STATISTICS
                             for q in (0.5, 0.9)])
    if single:
        ax = fig.add_subplot(grid[0, :])
        horizon_single(ax, series[0], get, classes)
        duration_axis(ax, top)
        ax.set_ylabel("wait")
        outside_legend(ax)
        horizon = [ax]
    else:
        axis = series_axis(series)
        horizon = []
        for k, cls in enumerate(classes):
            ax = fig.add_subplot(grid[0, k], **({"sharey": horizon[0]} if horizon else {}))
            horizon_facet(ax, series, get, cls, axis, draw_legend=k == len(classes) - 1)
            duration_axis(ax, top)
            horizon.append(ax)
        horizon[0].set_ylabel("wait over the horizon")
        for ax in horizon:
            ax.grid(True, color="0.9", lw=0.6)
    if not yearly:
        for ax in horizon[1:]:
            ax.tick_params(labelleft=False)
        return fig
    yearly_axes = []
    for k, cls in enumerate(classes):
        ax = fig.add_subplot(grid[1, k], **({"sharex": yearly_axes[0], "sharey": yearly_axes[0]} if yearly_axes
                                            else {}))
        year_facet(ax, series, cls, single)
        yearly_axes.append(ax)
    years = sorted(years)
    step = -(-len(years) // MAX_YEAR_TICKS)
    yearly_axes[0].set_xticks(years[::step])
    yearly_axes[0].set_xlim(years[0] - 0.4, years[-1] + 0.4)
    for ax in yearly_axes:
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(True, color="0.9", lw=0.6)
        ax.set_xlabel("year of submission", fontsize=8.5)
    for ax in yearly_axes[1:] + horizon[1:]:
        ax.tick_params(labelleft=False)
    year_top = np.nanmax([0.0] + [np.nanmax(found[1]) for s in series for c in classes
                                  for found in [by_year(s, c, "wait_p95_s")] if found is not None
                                  and np.isfinite(found[1]).any()])
    for ax in yearly_axes:
        duration_axis(ax, year_top)
    yearly_axes[0].set_ylabel("wait, by year of submission")
    styles = [Line2D([], [], color=STAT_COLORS["wait_p95_s"] if single else "0.3", lw=1.8, marker="o", ms=3.5,
                     label="p95"),
              Line2D([], [], color=STAT_COLORS["wait_mean_s"] if single else "0.3", ls=":", lw=1.3, label="mean")]
    outside_legend(yearly_axes[-1], styles if single else scenario_legend(series, styles))
    if many(series):
        series_key(fig, yearly_axes, series)
    return fig
