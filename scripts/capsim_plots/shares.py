"""The shares figure: delivered against entitled share of GPU-hours per tenant, since the start. Each panel
is scaled to its own tenant's lines (a tenant at 80 % beside one at 20 % is not clipped)."""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from .data import median, time_edges, union, values
from .loading import tenants_of
from .style import draw, fig_title, key_height, many, scenario_legend, series_key, set_time_limits, style_axes


def tenant_shares(s, tenant):
    """(delivered, entitled) shares of one tenant in %, as (time,) or (replication, time)."""
    t = s.r.tenants
    total = t["delivered_gpu_hours_cumulative"].sum("tenant")
    delivered = 100 * t["delivered_share"].sel(tenant=tenant).where(total > 0)
    entitled = 100 * t["entitled_share"].sel(tenant=tenant)
    entitled = entitled.broadcast_like(t["time"]).transpose(..., "time")
    return values(delivered), values(entitled)


def plot_shares(series):
    tenant_names = union(tenants_of(s) for s in series)
    ncols = 1 if len(tenant_names) <= 2 else 2
    nrows = -(-len(tenant_names) // ncols)
    crowd = many(series)
    row_height = max(2.6, key_height(series) / nrows) if crowd else 2.6
    fig = plt.figure(figsize=(12.0 if ncols == 2 else 11.0, 1.4 + row_height * nrows), constrained_layout=True)
    fig.suptitle(fig_title("Delivered against entitled share of GPU-hours", series), fontsize=13, fontweight="bold")
    grid = fig.add_gridspec(nrows + 1, ncols, height_ratios=[row_height] * nrows + [0.35])
    flat = []
    for k in range(len(tenant_names)):
        flat.append(fig.add_subplot(grid[k // ncols, k % ncols], **({"sharex": flat[0]} if flat else {})))
    single = len(series) == 1
    for ax, tenant in zip(flat, tenant_names):
        mine = [s for s in series if tenant in tenants_of(s)]
        shares = {s.label: tenant_shares(s, tenant) for s in mine}
        # One entitled line for all where every series entitles the tenant alike (a sweep of demand).
        entitled = [median(e) for _, e in shares.values()]
        same_entitlement = all(np.allclose(e, entitled[0], equal_nan=True) for e in entitled)
        top = 0.0
        for s in mine:
            delivered, entitled_s = shares[s.label]
            color = "#1f77b4" if single else s.color
            draw(ax, time_edges(s.r), delivered, color, lw=1.6 if not crowd else 1.2, band=not crowd)
            if not same_entitlement or s is mine[0]:
                draw(ax, time_edges(s.r), entitled_s, "black" if single or same_entitlement else color, ls="--",
                     lw=1.2, band=not crowd)
            for y in (delivered, entitled_s):
                if np.isfinite(y).any():
                    top = max(top, float(np.nanmax(y)))
        ax.set_title(tenant, loc="left", fontsize=11)
        style_axes(ax, "share of GPU-hours (%)")
        ax.set_ylim(0, min(100.0, top * 1.12) if top > 0 else 100.0)  # this tenant's lines, bands included
    styles = [Line2D([], [], color="0.3", ls="-", label="delivered (all GPU-hours since the start)"),
              Line2D([], [], color="0.3", ls="--", label="entitled (the tenant's share)")]
    handles = styles if single else scenario_legend(series, styles)
    legend_ax = fig.add_subplot(grid[nrows, :])
    legend_ax.axis("off")
    legend_ax.legend(handles=handles, loc="center", ncol=min(4, len(handles)), frameon=False, fontsize=9)
    if crowd:
        series_key(fig, flat, series)
    set_time_limits(flat, series)
    return fig
