"""The shares figure: delivered against entitled share of GPU-hours per tenant, since the start."""
import matplotlib.pyplot as plt
from matplotlib.lines import Line2D

from .data import time_edges, union, values
from .loading import tenants_of
from .style import draw, fig_title, scenario_legend, set_time_limits, style_axes


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
