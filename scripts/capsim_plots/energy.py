"""The energy figure: cumulative facility energy, electricity cost and carbon per site."""
import numpy as np
from matplotlib.lines import Line2D

from .data import time_edges, union, values
from .loading import sites_of
from .style import (SCENARIO_COLORS, draw, fig_title, key_height, many, new_figure, outside_legend, scenario_legend,
                    series_key, set_time_limits, style_axes)
from .units import CO2E, scale_for


def currency_of(series):
    currencies = union([[str(s.r.attrs.get("currency", "currency"))] for s in series])
    return currencies[0] if len(currencies) == 1 else "/".join(currencies)


def plot_energy(series):
    currency = currency_of(series)
    metrics = [("energy_cumulative_mwh", "Facility energy since the start", "energy (MWh)", 1.0),
               ("energy_cost_cumulative", "Electricity cost since the start", currency, None),
               ("carbon_cumulative_t", "Carbon emissions since the start", f"emissions (t {CO2E})", 1.0)]
    crowd = many(series)
    fig, axes = new_figure(3, row_height=max(2.6, key_height(series) / 3),
                           title=fig_title("Energy, electricity cost and carbon", series))
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
                handles.append(draw(ax, x, values(s.r.sites[var].sel(site=site)) / factor, color, site, ls=ls,
                                    band=not crowd))
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
    if crowd:
        series_key(fig, axes[:, 0], series)
    set_time_limits(axes, series)
    return fig
