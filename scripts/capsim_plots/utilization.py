"""The utilization figure: utilization of the powered GPUs, the jobs waiting and the GPUs they ask for. Many
series (a sweep of 20 points) are drawn as heat maps, a row per series, rather than as lines that hide
each other."""
import numpy as np
import pandas as pd
from matplotlib.colors import Normalize

from .data import median, time_edges, values
from .loading import tenants_of
from .style import (KEY_ENTRY_IN, SCENARIO_COLORS, draw, fig_title, many, new_figure, outside_legend, scenario_legend,
                    set_time_limits, stack, style_axes)

HEATMAPS = (("utilization", "Utilization: GPUs held by jobs (reservations included) / powered GPUs, all sites",
             "utilization (%)", "YlGnBu"),
            ("queued_jobs", "Jobs waiting in the queue (mean over each step)", "queued jobs", "OrRd"),
            ("queued_gpus", "GPUs asked for by the waiting jobs (mean over each step)", "queued GPU demand (GPUs)",
             "OrRd"))


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


def utilization_of(s):
    busy, powered = busy_and_powered(s)
    return values(100 * (busy / powered.where(powered > 0)))


def plot_utilization_heatmaps(series):
    """A heat map per quantity, a row per series (the median of its replications), in the series' order from
    the top, each with its colour scale beside it."""
    fig, axes = new_figure(3, row_height=max(2.6, KEY_ENTRY_IN * len(series) + 0.8),
                           title=fig_title("Utilization and queue", series, drawn="rows"))
    for ax, (name, title, unit, cmap) in zip(axes[:, 0], HEATMAPS):
        rows = [median(utilization_of(s)) if name == "utilization" else median(values(s.r.tenants[name].sum("tenant")))
                for s in series]
        top = max([float(np.nanmax(y)) for y in rows if np.isfinite(y).any()] or [0.0])
        norm = Normalize(0, 100 if name == "utilization" else max(top, 1.0))
        for k, (s, y) in enumerate(zip(series, rows)):
            mesh = ax.pcolormesh(time_edges(s.r), [k - 0.5, k + 0.5], y[None, :], cmap=cmap, norm=norm,
                                 shading="flat", rasterized=True)
        ax.set_title(title, loc="left", fontsize=11)
        style_axes(ax, "")
        ax.grid(False)
        ax.set_yticks(range(len(series)))
        ax.set_yticklabels([s.label for s in series], fontsize=7.5)
        ax.set_ylim(len(series) - 0.5, -0.5)
        bar = fig.colorbar(mesh, ax=ax, location="right", pad=0.01, aspect=15, fraction=0.04)
        bar.set_label(unit, fontsize=9)
        bar.ax.tick_params(labelsize=8)
    set_time_limits(axes, series)
    return fig


def plot_utilization(series):
    if many(series):
        return plot_utilization_heatmaps(series)
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
