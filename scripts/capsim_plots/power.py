"""The power figure: facility power per site, mean and peak within each output step, against the grid
capacity."""
import numpy as np
from matplotlib.lines import Line2D

from .data import time_edges, union, values
from .loading import sites_of
from .style import (draw, fig_title, key_height, legend_row_height, many, new_figure, outside_legend, scenario_legend,
                    series_key, set_time_limits, style_axes)


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
    crowd = many(series)
    row_height = legend_row_height(series, 3) if not crowd else max(2.6, key_height(series) / len(site_names))
    fig, axes = new_figure(len(site_names), row_height=row_height,
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
                 alpha=0.8 if single else 0.35, band=not crowd)
            draw(ax, x, values(at["facility_power_mw"]) * factor, mean_c, "mean over the step", lw=1.3, band=not crowd)
            draw(ax, x, values(at["grid_capacity_mw"]) * factor, grid_c, "grid capacity", ls="--", lw=1.6, zorder=3,
                 band=not crowd)
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
    if crowd:
        series_key(fig, axes[:, 0], series)
    set_time_limits(axes, series)
    return fig
