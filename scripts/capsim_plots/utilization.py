"""The utilization figure: utilization of the powered GPUs, the jobs waiting and the GPUs they ask for."""
import numpy as np
import pandas as pd

from .data import time_edges, values
from .loading import tenants_of
from .style import (SCENARIO_COLORS, draw, fig_title, new_figure, outside_legend, scenario_legend, set_time_limits,
                    stack, style_axes)


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
