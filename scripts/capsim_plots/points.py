"""The series along an x axis, for panels that draw one value per series where bars, one per series in each
category, would be too thin (the 20 points of a sweep): the swept value of a study of one axis, numbers on
a numeric axis, else the series in their order, by name."""
from dataclasses import dataclass

import matplotlib.ticker as mticker
import numpy as np

from .loading import swept_axes
from .style import shared_study
from .units import tick_format

MAX_TICK_LABELS = 30  # more series than this: every k-th is named


@dataclass
class SeriesAxis:
    """Where each series stands along x, and how the axis says it."""
    x: np.ndarray
    numeric: bool
    label: str
    names: list  # the tick labels of a category axis, one per series


def series_axis(series):
    """The x axis of panels with a value per series."""
    keys = series[0].keys
    if shared_study(series) and keys and all(s.keys is keys and s.point >= 0 for s in series):
        axes = swept_axes(keys)
        if len(axes) == 1 and axes[0][0].numeric:
            first, partners = axes[0][0], axes[0][1:]
            label = first.axis_label
            if partners:
                label += ", zipped with " + ", ".join(k.key for k in partners)
            return SeriesAxis(np.array([first.values[s.point] for s in series], dtype=float), True, label, [])
        if len(axes) == 1:
            names = [", ".join(k.text(s.point) for k in axes[0]) for s in series]
            return SeriesAxis(np.arange(len(series), dtype=float), False,
                              " + ".join(k.key for k in axes[0]) + " (in point order)", names)
        return SeriesAxis(np.arange(len(series), dtype=float), False, "sweep point", [s.label for s in series])
    return SeriesAxis(np.arange(len(series), dtype=float), False, "", [s.label for s in series])


def style_series_axis(ax, axis, xlabel=True):
    """Ticks and label of a series axis: numbers, or the series' names on end (every k-th of many)."""
    if axis.numeric:
        ax.xaxis.set_major_formatter(mticker.FuncFormatter(tick_format))
        ax.margins(x=0.05)
    else:
        step = -(-len(axis.names) // MAX_TICK_LABELS)
        ax.set_xticks(axis.x[::step])
        ax.set_xticklabels(axis.names[::step], rotation=90, fontsize=7)
        ax.set_xlim(axis.x[0] - 0.6, axis.x[-1] + 0.6)
    if xlabel and axis.label:
        ax.set_xlabel(axis.label, fontsize=8.5)


def category_lines(ax, series, axis, categories, value_of, colors, spread_of=None, **style):
    """One line per category (a tenant, a job class) through the value of every series, with the p10-p90
    of the replications as error bars where spread_of gives it; returns the lines, for a legend."""
    order = np.argsort(axis.x, kind="stable")
    x = axis.x[order]
    lines = []
    for category, color in zip(categories, colors):
        y = np.array([value_of(s, category) for s in series], dtype=float)[order]
        line = ax.plot(x, y, color=color, label=category, **{"marker": "o", "ms": 3.5, "lw": 1.4, **style})[0]
        lines.append(line)
        if spread_of is None:
            continue
        ranges = [spread_of(s, category) for s in series]
        if all(r is not None for r in ranges):
            lo, hi = np.array(ranges, dtype=float)[order].T
            ax.errorbar(x, y, yerr=[np.clip(y - lo, 0, None), np.clip(hi - y, 0, None)], fmt="none", ecolor=color,
                        elinewidth=0.8, alpha=0.5, capsize=0)
    return lines
