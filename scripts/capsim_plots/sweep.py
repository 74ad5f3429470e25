"""The sweep figure: key totals of a study against one swept value, the mean with its 95 % confidence
interval and the p10-p90 range of the replications, one line per value of the other axes of the sweep.
Keys zipped together are one axis: the x axis names them all, and they never make lines of one point.
Targets (`--target wait_p95=24h`) are dashed lines on their panels."""
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
from capsim_results import Results
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .data import union
from .loading import SweptKey, file_label, swept_axes, swept_keys_of
from .style import TARGET_COLOR, series_colors, wrap
from .units import CO2E, duration_unit, number_text, scale_for, tick_format

MAX_NUMERIC_TICKS = 12  # up to this many swept values: a tick at each
MAX_CATEGORY_LABELS = 24  # more categories than this: every k-th is named
SPARE_LEGEND_ENTRIES = 8  # a legend this long fits the spare panels; a longer one gets a row below them


@dataclass
class SweepLine:
    """The points of one study that share the values of the swept axes other than x's."""
    label: str
    r: Results
    x: SweptKey
    points: list  # positions along `point`, in point order
    color: tuple
    partners: list = field(default_factory=list)  # the keys zipped with x (one axis with it)


def resolve_sweep_key(files, wanted):
    """The swept key that --sweep-x names (its path, or the end of it), or None if none matches."""
    keys = union([r.swept for r in files])
    if wanted in keys:
        return wanted
    matches = [k for k in keys if k.endswith("." + wanted)]
    return matches[0] if len(matches) == 1 else None


def sweep_lines(files, x_key):
    found = []
    for r in files:
        keys = swept_keys_of(r)
        x = next((k for k in keys if k.key == x_key), None)
        if x is None:
            continue
        axes = swept_axes(keys)
        own = next(group for group in axes if x in group)
        others = [k for group in axes if group is not own for k in group]
        combos = {}
        for i in range(len(x.values)):
            combos.setdefault(tuple(k.text(i) for k in others), []).append(i)
        for positions in combos.values():
            combo = ", ".join(f"{k.name}={k.text(positions[0])}" for k in others)
            name = file_label(r, files)
            label = combo if len(files) == 1 else f"{name}: {combo}" if combo else name
            found.append((label, r, x, positions, [k for k in own if k is not x]))
    colors = series_colors(len(found))
    return [SweepLine(label, r, x, positions, color, partners)
            for (label, r, x, positions, partners), color in zip(found, colors)]


def other_axes(line):
    """The names of the swept axes that make the lines (zipped keys as one: "pue + electricity")."""
    return [" + ".join(k.key for k in group) for group in swept_axes(swept_keys_of(line.r))
            if all(k.key != line.x.key for k in group)]


def sweep_statistic(r, metric):
    """(point, statistic) of one key total: from `stats/totals`, or a wait of all jobs from `stats/summary`;
    None where the file lacks it."""
    if metric.startswith("wait_"):
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
                    ("wait_mean_s", "Mean wait until first start, all jobs", "duration"),
                    ("wait_p95_s", "p95 wait until first start, all jobs", "duration")]
    return metrics


def draw_sweep_line(ax, line, y, divisor, categories, offset):
    """Mean with its 95 % confidence interval (error bars) and the p10-p90 range of the replications
    (a light band, or a light bar on a category axis), against the swept value."""
    stat = {name: y.sel(statistic=name).values[line.points].astype(float) / divisor
            for name in ("mean", "ci95_low", "ci95_high", "p10", "p90")}
    mean = stat["mean"]
    below = np.nan_to_num(np.clip(mean - stat["ci95_low"], 0, None))  # one replication: no interval
    above = np.nan_to_num(np.clip(stat["ci95_high"] - mean, 0, None))
    many_points = len(line.points) > MAX_NUMERIC_TICKS
    if line.x.numeric:
        x = line.x.values[line.points].astype(float)
        order = np.argsort(x, kind="stable")
        x, mean, below, above = x[order], mean[order], below[order], above[order]
        ax.fill_between(x, stat["p10"][order], stat["p90"][order], color=line.color, alpha=0.18, lw=0)
        ax.errorbar(x, mean, yerr=[below, above], fmt="-o", color=line.color, ms=3.5 if many_points else 5, lw=1.6,
                    capsize=2 if many_points else 4, elinewidth=1.0 if many_points else 1.2, zorder=3)
    else:
        x = np.array([categories.index(category_of(line, i)) for i in line.points], dtype=float) + offset
        ax.vlines(x, stat["p10"], stat["p90"], color=line.color, lw=4 if many_points else 9, alpha=0.25, zorder=2)
        ax.errorbar(x, mean, yerr=[below, above], fmt="o", color=line.color, ms=4 if many_points else 6,
                    capsize=2 if many_points else 5, elinewidth=1.4, zorder=3)
        ax.plot(x, mean, color=line.color, lw=1.0, ls=":", alpha=0.7, zorder=2)  # the points' order


def category_of(line, i):
    """A point's place on a category axis: its x value, with the values zipped with it."""
    return "\n".join([line.x.text(i)] + [k.text(i) for k in line.partners])


def partner_texts(lines, value):
    """The zipped keys' values at the numeric x `value` ("80 USD/MWh"), or None where x does not fix them."""
    texts = set()
    for line in lines:
        for i in line.points:
            if np.isclose(float(line.x.values[i]), value):
                texts.add("\n".join(k.text(i) for k in line.partners))
    return texts.pop() if len(texts) == 1 else None


def axis_label(x, partners, numeric):
    label = x.axis_label if numeric else f"{x.key} (in point order)"
    if partners:
        label += ", zipped with " + ", ".join(k.axis_label if numeric else k.key for k in partners)
    return wrap(label, 60)


def panel_units(unit, top):
    """(divisor, y label) of a panel whose largest value is `top`."""
    if unit == "duration":
        divisor, shown = duration_unit(top)
        return divisor, f"wait ({shown})"
    if unit == f"t {CO2E}":
        divisor, shown = (1e3, f"kt {CO2E}") if top >= 1e4 else (1.0, unit)
        return divisor, f"emissions ({shown})"
    if unit == "MWh":
        divisor, shown = (1e3, "GWh") if top >= 1e4 else (1.0, unit)
        return divisor, f"energy ({shown})"
    divisor, shown = scale_for(top, unit)
    return divisor, (f"cost ({shown})" if unit not in ("GPU-hours", "jobs") else shown)


def draw_target(ax, target, divisor):
    """A dashed line at the target, labelled at its right end, inside the panel's limits."""
    y = target.value / divisor
    ax.axhline(y, color=TARGET_COLOR, ls="--", lw=1.3, zorder=4)
    ax.annotate(target.label, xy=(1.0, y), xycoords=("axes fraction", "data"), xytext=(-4, 3),
                textcoords="offset points", ha="right", va="bottom", fontsize=8.5, color=TARGET_COLOR, zorder=5,
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))
    low, high = ax.get_ylim()
    if y >= high * 0.97:
        ax.set_ylim(low, y * 1.12 if y > 0 else 1.0)


def plot_sweep(files, x_key, targets=()):
    lines = sweep_lines(files, x_key)
    x = lines[0].x
    partners = lines[0].partners
    numeric = all(line.x.numeric and line.x.unit == x.unit for line in lines)
    categories = [] if numeric else union([[category_of(line, i) for i in line.points] for line in lines])
    metrics = [m for m in sweep_metrics(files) if any(sweep_statistic(line.r, m[0]) is not None for line in lines)]
    ncols = 3
    nrows = -(-len(metrics) // ncols)
    spare = nrows * ncols - len(metrics)
    # The legend: the lines (named by the other swept axes), then what marker, bar and band show.
    others = union([other_axes(line) for line in lines])
    line_keys = [Line2D([], [], color=line.color, marker="o", lw=1.6, label=wrap(line.label, 45))
                 for line in lines] if len(lines) > 1 else []
    counts = sorted({int(r.attrs.get("replications", 0) or 0) for r in files})
    runs = counts[0] if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"
    if counts == [1]:  # no spread to show
        handles = [Line2D([], [], color="0.3", marker="o", lw=1.6 if numeric else 0, label="one run per point")]
    else:
        handles = [Line2D([], [], color="0.3", marker="o", lw=1.6 if numeric else 0,
                          label=f"mean of {runs} replications"),
                   Line2D([], [], color="0.3", marker="|", ms=12, lw=0, label="95 % confidence interval of the mean"),
                   Patch(color="0.3", alpha=0.25, label="p10-p90 of the replications")]
    if targets:
        handles.append(Line2D([], [], color=TARGET_COLOR, ls="--", lw=1.3, label="target"))
    entries = line_keys + handles
    in_spare = spare > 0 and len(entries) <= SPARE_LEGEND_ENTRIES
    legend_rows = min(len(entries), max(3, -(-len(entries) // 3)))
    legend_height = 0.26 * legend_rows + (0.35 if line_keys and others else 0) + 0.3  # inches, below the panels
    panel_height = 3.4
    fig = plt.figure(figsize=(13.33, 1.0 + panel_height * nrows + (0 if in_spare else legend_height)),
                     constrained_layout=True)
    grid = fig.add_gridspec(nrows + (0 if in_spare else 1), ncols,
                            height_ratios=[panel_height] * nrows + ([] if in_spare else [legend_height]))
    names = " vs ".join(union([[r.label] for r in files]))
    zipped = f" (zipped with {', '.join(k.key for k in partners)})" if partners else ""
    fig.suptitle(wrap(f"Key totals against {x.key}{zipped}: {names}", 110), fontsize=13, fontweight="bold")
    axes = []
    for k, (metric, title, unit) in enumerate(metrics):
        ax = fig.add_subplot(grid[k // ncols, k % ncols], sharex=axes[0] if axes else None)
        axes.append(ax)
        data = [(line, sweep_statistic(line.r, metric)) for line in lines]
        data = [(line, y) for line, y in data if y is not None]
        top = max([float(np.nanmax(np.abs(y.values))) for _, y in data if np.isfinite(y.values).any()] or [0.0])
        mine = [t for t in targets if t.variable == metric]
        divisor, ylabel = panel_units(unit, max([top] + [t.value for t in mine]))
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
        for target in mine:
            draw_target(ax, target, divisor)
        if k // ncols == nrows - 1 or k + ncols >= len(metrics):
            ax.set_xlabel(axis_label(x, partners, numeric))
    for ax in axes:
        if numeric:
            ticks = np.unique(np.concatenate([line.x.values[line.points].astype(float) for line in lines]))
            if len(ticks) <= MAX_NUMERIC_TICKS:
                ax.set_xticks(ticks)
                texts = [partner_texts(lines, v) for v in ticks] if partners else []
                if texts and all(t is not None for t in texts):  # each x fixes its zipped values: name them
                    ax.set_xticklabels([f"{number_text(v)}\n{t}" for v, t in zip(ticks, texts)], fontsize=8)
                else:
                    ax.xaxis.set_major_formatter(mticker.FuncFormatter(tick_format))
            else:
                ax.xaxis.set_major_formatter(mticker.FuncFormatter(tick_format))
            ax.margins(x=0.05)
        else:
            step = -(-len(categories) // MAX_CATEGORY_LABELS)
            ax.set_xticks(range(0, len(categories), step))
            long = len(categories) > 6 or max(len(c) for c in categories) > 12
            ax.set_xticklabels(categories[::step], rotation=90 if len(categories) > 12 else 30 if long else 0,
                               ha="right" if long and len(categories) <= 12 else "center",
                               rotation_mode="anchor" if long and len(categories) <= 12 else "default",
                               fontsize=8 if long else None)
            ax.set_xlim(-0.5, len(categories) - 0.5)
        ax.tick_params(labelbottom=True)
    legend_ax = fig.add_subplot(grid[nrows - 1, ncols - spare:] if in_spare else grid[nrows, :])
    legend_ax.axis("off")
    ncol = 1 if in_spare else -(-len(entries) // legend_rows)
    title = wrap("lines: " + ", ".join(others), 80) if line_keys and others else None
    legend_ax.legend(handles=entries, title=title, loc="center", ncol=ncol, frameon=False, fontsize=9.5,
                     title_fontsize=9.5, columnspacing=3.0)
    return fig
