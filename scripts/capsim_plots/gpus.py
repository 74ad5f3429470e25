"""The gpus figure: GPUs over time per site (installed, powered by GPU type, stranded), with procurement
arrivals and retirements marked."""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from .data import median, time_edges, union, values
from .loading import sites_of
from .style import (STRANDED_COLOR, draw, fig_title, key_height, legend_row_height, many, new_figure, outside_legend,
                    same_for_all, scenario_legend, series_key, set_time_limits, stack, style_axes)


def steps(da_sum, edges):
    """Arrivals (+) and retirements (-) of a GPU count series: list of (time, change) at each run of
    steps where the median count rises or falls (a change within a step spreads over two steps)."""
    y = median(values(da_sum))
    d = np.diff(np.concatenate([[0.0], np.nan_to_num(y)]))
    events = []
    i = 0
    while i < len(d):
        sign = np.sign(round(d[i], 6))
        if sign == 0:
            i += 1
            continue
        j, total = i, 0.0
        while j < len(d) and np.sign(round(d[j], 6)) == sign:
            total += d[j]
            j += 1
        events.append((edges[i], total))
        i = j
    return events


MULTI_STYLES = {"installed": dict(ls="--", lw=1.3), "powered": dict(ls="-", lw=1.8), "stranded": dict(ls=":", lw=1.8)}


def plot_gpus(series):
    site_names = union(sites_of(s) for s in series)
    crowd = many(series)
    row_height = legend_row_height(series, 6) if not crowd else max(2.6, key_height(series) / len(site_names))
    fig, axes = new_figure(len(site_names), row_height=row_height, title=fig_title("GPUs per site", series))
    single = len(series) == 1
    apart = False  # some count differs between the series, which the key then tells apart
    for ax, site in zip(axes[:, 0], site_names):
        arrivals_text, kinds, marked = [], set(), set()
        mine = [s for s in series if site in sites_of(s)]
        # A count that is the same for every series (the build-out a sweep leaves alone) is drawn once, grey.
        counts = {name: [median(values(s.r.sites[f"{name}_gpus"].sel(site=site).sum("gpu"))) for s in mine]
                  for name in MULTI_STYLES}
        same_clock = same_for_all([time_edges(s.r).astype("int64") for s in mine])
        shared = {name for name, ys in counts.items() if not single and len(ys) > 1 and same_clock and same_for_all(ys)}
        apart = apart or len(shared) < len(MULTI_STYLES)
        for name in shared:
            draw(ax, time_edges(mine[0].r), counts[name][0], "0.25", **MULTI_STYLES[name], zorder=3)
        for s in series:
            ds = s.r.sites
            if site not in sites_of(s):
                continue
            x = time_edges(s.r)
            at = ds.sel(site=site)
            installed = at["installed_gpus"].sum("gpu")
            gpu_types = [str(g) for g in ds["gpu"].values if float(at["installed_gpus"].sel(gpu=g).max()) > 0
                         or float(at["retired_gpus"].sel(gpu=g).max()) > 0]
            if single:
                cmap = plt.get_cmap("Blues")
                shades = [cmap(0.85 - 0.5 * k / max(1, len(gpu_types) - 1)) for k in range(len(gpu_types))]
                powered_total = stack(ax, x, [values(at["powered_gpus"].sel(gpu=g)) for g in gpu_types], shades,
                                      [f"powered {g}" for g in gpu_types])
                stack(ax, x, [values(at["stranded_gpus"].sum("gpu"))], [STRANDED_COLOR],
                      ["stranded (in service, dark: over the grid cap)"], base=powered_total)
                draw(ax, x, values(installed), "black", label="installed (delivered, not retired)", lw=1.4)
                marker_color = "black"
            else:
                for name, style in MULTI_STYLES.items():
                    if name not in shared:
                        draw(ax, x, values(at[f"{name}_gpus"].sum("gpu")), s.color, band=not crowd, **style)
                marker_color = s.color if not crowd else "0.4"
            per_type = {g: steps(at["installed_gpus"].sel(gpu=g), x) for g in gpu_types}
            for g, events in per_type.items():
                for t, change in events:
                    up = change > 0
                    kinds.add(up)
                    if (t, up, marker_color) in marked:  # the same arrival in another series: marked once
                        continue
                    marked.add((t, up, marker_color))
                    ax.axvline(t, color=marker_color, lw=0.8, ls=(0, (2, 2)), alpha=0.6, zorder=1)
                    ax.plot([t], [0], marker="^" if up else "v", color="#2ca02c" if up else "#7f7f7f",
                            markersize=8, clip_on=False, zorder=5, transform=ax.get_xaxis_transform())
                    if single:
                        arrivals_text.append((t, f"{'+' if up else '-'}{abs(change):,.0f} {g}"))
        # Room above the data for the arrival labels; labels close in time are stepped down.
        top = ax.dataLim.y1 if np.isfinite(ax.dataLim.y1) and ax.dataLim.y1 > 0 else 1.0
        ax.set_ylim(0, top * (1.3 if arrivals_text else 1.1))
        span = (time_edges(series[0].r)[-1] - time_edges(series[0].r)[0]) / np.timedelta64(1, "s")
        level, previous = 0, None
        for t, text in sorted(arrivals_text, key=lambda e: e[0]):
            close = previous is not None and (t - previous) / np.timedelta64(1, "s") < 0.12 * span
            level = (level + 1) % 2 if close else 0
            previous = t
            near_end = (time_edges(series[0].r)[-1] - t) / np.timedelta64(1, "s") < 0.15 * span
            ax.annotate(text, xy=(t, 0.97 - 0.09 * level), xycoords=("data", "axes fraction"),
                        xytext=(-3 if near_end else 3, 0), textcoords="offset points", fontsize=8, va="top",
                        ha="right" if near_end else "left",
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
        ax.set_title(site, loc="left", fontsize=11)
        style_axes(ax, "GPUs")
        marks = [Line2D([], [], color="#2ca02c", marker="^", ls="none", label="procurement arrival"),
                 Line2D([], [], color="#7f7f7f", marker="v", ls="none", label="retirement")]
        marks = [m for m, kind in zip(marks, (True, False)) if kind in kinds]
        if single:
            handles, _ = ax.get_legend_handles_labels()
            outside_legend(ax, handles[::-1] + marks)  # top to bottom, as stacked
        else:
            words = {"installed": "installed", "powered": "powered", "stranded": "stranded (dark)"}
            styles = [Line2D([], [], color="0.25" if name in shared else "0.3", **style,
                             label=words[name] + (f"\n(the same in all {len(mine)})" if name in shared else ""))
                      for name, style in MULTI_STYLES.items()]
            outside_legend(ax, scenario_legend(mine, styles + marks))
    if crowd and apart:
        series_key(fig, axes[:, 0], series)
    set_time_limits(axes, series)
    return fig
