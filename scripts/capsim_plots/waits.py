"""The waits figure: wait until first start per tenant, p50, p95 and mean by month of submission, from the
job table."""
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from .data import REP, union
from .loading import tenants_of
from .style import (draw, duration_axis, fig_title, new_figure, outside_legend, scenario_legend, set_time_limits,
                    style_axes)


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
