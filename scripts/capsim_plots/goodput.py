"""The goodput figure: what node failures and stops cost the jobs. ETTR (GPU-hour weighted, with the mean
over jobs) and GPU-hours lost per tenant and per job class, and the nodes in repair per site over time."""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from .data import REP, time_edges, union, values
from .loading import sites_of, tenants_of
from .points import category_lines, series_axis, style_series_axis
from .style import (SCENARIO_COLORS, draw, fig_title, key_height, many, outside_legend, scenario_legend, series_key,
                    set_time_limits, short_label, style_axes)
from .summary import CLASSES, MAX_BAR_SERIES, grouped_bars, spread, summary_getter
from .units import scale_for

#: What the figure reads; files written before node failures lack them (docs/output.md, layout_version).
SUMMARY_VARIABLES = ("ettr_weighted", "ettr_mean", "lost_gpu_hours")
SITE_VARIABLES = ("nodes_in_repair", "node_failures", "unavailable_gpu_hours")


def has_goodput(s):
    """True where the file holds what the figure draws."""
    summary, sites = s.r.summary, s.r.sites
    return (summary is not None and all(v in summary.columns for v in SUMMARY_VARIABLES)
            and sites is not None and all(v in sites for v in SITE_VARIABLES))


def site_total(s, site, name):
    """A site's series summed over the run (the median over replications)."""
    total = s.r.sites[name].sel(site=site).sum("time")
    return float(total.median(REP)) if REP in total.dims else float(total)


def lines_panel(ax, series, get, names, column, marker=None, scale=1.0, bar_label="", marker_label=""):
    """bars_panel for many series: a line per tenant or class through the series (`marker` dotted)."""
    axis = series_axis(series)
    colors = [SCENARIO_COLORS[k % len(SCENARIO_COLORS)] for k in range(len(names))]
    lines = category_lines(ax, series, axis, names, lambda s, c: get(s, c, column) / scale, colors,
                           spread_of=spread(get, column, scale))
    styles = [Line2D([], [], color="0.3", label=bar_label)]
    if marker is not None:
        category_lines(ax, series, axis, names, lambda s, c: get(s, c, marker) / scale, colors, ls=":", marker="",
                       lw=1.2)
        styles.append(Line2D([], [], color="0.3", ls=":", label=marker_label))
    ax.grid(True, color="0.9", lw=0.6)
    style_series_axis(ax, axis)
    ax.legend(handles=lines + styles, fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def bars_panel(ax, series, get, names, column, marker=None, scale=1.0, fmt=lambda v: f"{v:.3g}", **labels):
    if len(series) > MAX_BAR_SERIES:
        lines_panel(ax, series, get, names, column, marker, scale, labels.get("bar_label", ""),
                    labels.get("marker_label", ""))
        return
    handles = grouped_bars(ax, names, series, lambda s, c: get(s, c, column) / scale,
                           None if marker is None else (lambda s, c: get(s, c, marker) / scale), fmt=fmt,
                           spread_of=spread(get, column, scale), **labels)
    if len(series) <= 2:
        ax.set_xticklabels([short_label(n, 12 if len(series) == 1 else 9) for n in names], fontsize=8.5)
    else:
        ax.set_xticklabels(names, fontsize=8, rotation=45, ha="right", rotation_mode="anchor")
    ax.legend(handles=handles, fontsize=8, frameon=False, loc="upper right", ncol=len(handles))


def plot_goodput(series):
    getters = {"tenant": summary_getter(series, "tenant"), "class": summary_getter(series, "class")}
    tenant_names = union(tenants_of(s) for s in series)
    classes = [c for c in CLASSES if any(getters["class"](s, c, "submitted") > 0 for s in series)] or list(CLASSES)
    site_names = union(sites_of(s) for s in series)
    single = len(series) == 1
    crowd = many(series)
    site_height = max(2.2, key_height(series) / len(site_names))  # inches; room for the key of many series
    fig = plt.figure(figsize=(12.0, 6.4 + site_height * len(site_names)), constrained_layout=True)
    fig.suptitle(fig_title("Goodput: ETTR, and GPU-hours lost to failures and stops (redone work, checkpoints, "
                           "restarts)", series), fontsize=13, fontweight="bold")
    grid = fig.add_gridspec(2 + len(site_names), 2, height_ratios=[3.1, 3.1] + [site_height] * len(site_names))

    for col, (prefix, names, what) in enumerate((("tenant", tenant_names, "tenant"), ("class", classes, "job class"))):
        get = getters[prefix]
        ax = fig.add_subplot(grid[0, col])
        bars_panel(ax, series, get, names, "ettr_weighted", marker="ettr_mean", fmt=lambda v: f"{v:.3f}",
                   bar_label="GPU-hour weighted", marker_label="mean over jobs", single=single)
        ax.set_ylim(0, 1.3)  # room above the bars for the legend
        ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
        ax.set_ylabel("ETTR")
        ax.set_title(f"ETTR of completed jobs, by {what}", loc="left", fontsize=11, fontweight="bold")

        lost = [get(s, n, "lost_gpu_hours") for s in series for n in names]
        divisor, unit = scale_for(np.nanmax([0.0] + lost), "GPU-hours")
        ax = fig.add_subplot(grid[1, col])
        bars_panel(ax, series, get, names, "lost_gpu_hours", scale=divisor, bar_label="lost", single=single)
        ax.set_ylim(bottom=0)
        ax.margins(y=0.15)
        ax.set_ylabel(f"lost ({unit})")
        ax.set_title(f"GPU-hours lost, by {what}", loc="left", fontsize=11, fontweight="bold")

    axes = []
    for k, site in enumerate(site_names):
        ax = fig.add_subplot(grid[2 + k, :], **({"sharex": axes[0]} if axes else {}))
        axes.append(ax)
        title = site
        for s in series:
            if site not in sites_of(s):
                continue
            draw(ax, time_edges(s.r), values(s.r.sites["nodes_in_repair"].sel(site=site)),
                 "#d62728" if single else s.color, lw=1.2, band=not crowd)
            if single:
                title = (f"{site}: {site_total(s, site, 'node_failures'):,.0f} node failures, "
                         f"{site_total(s, site, 'unavailable_gpu_hours'):,.0f} GPU-hours in repair")
        ax.set_title(title, loc="left", fontsize=10.5)
        style_axes(ax, "nodes in repair")
        ax.set_ylim(bottom=0)
        if ax.dataLim.y1 <= 0 or not np.isfinite(ax.dataLim.y1):  # no node failed: keep the zero line visible
            ax.set_ylim(0, 1)
        if k == 0:
            keys = [Line2D([], [], color="#d62728" if single else "0.3", lw=1.2, label="mean over the step")]
            outside_legend(ax, keys if single else scenario_legend(series, keys))
    axes[-1].set_xlabel("nodes out of service for repair (a node's GPUs are unavailable while it is)", fontsize=9,
                        color="0.3")
    if crowd:
        series_key(fig, axes, series)
    set_time_limits(axes, series)
    return fig
