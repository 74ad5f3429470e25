"""What the figures share in how they look: colours, step lines and stacked areas over the output steps,
axes, figures and their titles, and legends; for many series (a sweep of 20 points), a colour scale in
their order and a key beside the panels in place of a legend."""
import textwrap
import warnings

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.lines import Line2D

from .data import median, time_edges
from .units import tick_format

SCENARIO_COLORS = plt.get_cmap("tab10").colors
STRANDED_COLOR = "#d62728"
TARGET_COLOR = "#d62728"
#: More series than tab10 has colours: each gets its own colour from a scale in the series' order (a sweep's
#: points in sweep order), the figures draw no bands (twenty overlapping bands are a grey smear), and a key
#: beside the panels names them in place of a legend.
MAX_LEGEND_SERIES = len(SCENARIO_COLORS)
KEY_ENTRY_IN = 0.18  # inches the key gives each series
MAX_KEY_LABELS = 40  # more series than this: the key names every k-th


def series_colors(n):
    """n distinct colours: tab10 for up to ten, else a perceptual scale (viridis, short of its pale yellow)."""
    if n <= MAX_LEGEND_SERIES:
        return [SCENARIO_COLORS[k] for k in range(n)]
    cmap = plt.get_cmap("viridis")
    return [cmap(0.9 * k / (n - 1)) for k in range(n)]


def many(series):
    """True where the series are too many for a legend and bands: the figures draw them as a colour scale."""
    return len(series) > MAX_LEGEND_SERIES


def wrap(text, width):
    """Text on lines of about `width` characters, broken between words only (never inside a word or a
    key path, never at a hyphen)."""
    return textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False)


def key_height(series):
    """Inches the key of many series needs beside a panel (0 where a legend does)."""
    return KEY_ENTRY_IN * min(len(series), MAX_KEY_LABELS) + 0.6 if many(series) else 0.0


def series_key(fig, axes, series, title=None):
    """The key of many series: a colour bar of their colours, in their order from the top, each labelled,
    beside `axes` (outside them)."""
    n = len(series)
    mappable = ScalarMappable(BoundaryNorm(np.arange(n + 1) - 0.5, n), ListedColormap([s.color for s in series]))
    bar = fig.colorbar(mappable, ax=list(np.ravel(axes)), location="right", aspect=max(20, 2 * n), pad=0.01,
                       fraction=0.04)
    step = -(-n // MAX_KEY_LABELS)
    ticks = list(range(0, n, step))
    bar.set_ticks(ticks)
    bar.set_ticklabels([series[k].label for k in ticks])
    bar.ax.tick_params(labelsize=7.5, length=2)
    bar.ax.invert_yaxis()
    bar.outline.set_linewidth(0.5)
    if title is None:
        title = f"{n} sweep points" if shared_study(series) else f"{n} series"
    bar.ax.set_title(wrap(title, 18), fontsize=8, loc="left")
    return bar


def _extend(y):
    return np.append(y, y[-1:]) if len(y) else y


def draw(ax, x, y, color, label=None, ls="-", lw=1.5, alpha=1.0, band=True, zorder=2):
    """A step line over the output steps (x has one more point than y has steps). With a leading
    replication axis: the median and a p10-p90 band."""
    y = np.asarray(y, dtype=float)
    if y.ndim == 2 and y.shape[0] > 1:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            lo, mid, hi = np.nanpercentile(y, [10, 50, 90], axis=0)
        if band:
            ax.fill_between(x, _extend(lo), _extend(hi), step="post", color=color, alpha=0.2, lw=0, zorder=zorder - 1)
        y = mid
    elif y.ndim == 2:
        y = y[0] if y.shape[0] else np.full(y.shape[1], np.nan)
    return ax.plot(x, _extend(y), drawstyle="steps-post", color=color, ls=ls, lw=lw, alpha=alpha, label=label,
                   zorder=zorder)[0]


def same_for_all(arrays):
    """True where every array equals the first (NaN equal to NaN)."""
    first = np.asarray(arrays[0], dtype=float)
    return all(np.asarray(a, dtype=float).shape == first.shape and np.allclose(a, first, equal_nan=True)
               for a in arrays[1:])


def stack(ax, x, layers, colors, labels, base=None):
    """Stacked step areas (medians over replications)."""
    bottom = np.zeros(len(x) - 1) if base is None else base
    for y, color, lab in zip(layers, colors, labels):
        y = np.nan_to_num(median(y))
        if not np.any(y > 0):
            continue
        ax.fill_between(x, _extend(bottom), _extend(bottom + y), step="post", color=color, lw=0, alpha=0.85,
                        label=lab)
        bottom = bottom + y
    return bottom


def style_axes(ax, ylabel, dates=True):
    ax.set_ylabel(ylabel)
    ax.grid(True, color="0.9", lw=0.6)
    ax.set_axisbelow(True)
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(tick_format))
    if dates:
        locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def set_time_limits(axes, series):
    starts = [time_edges(s.r)[0] for s in series]
    ends = [time_edges(s.r)[-1] for s in series]
    for ax in np.ravel(axes):
        ax.set_xlim(min(starts), max(ends))


DURATION_TICKS = ((0, "0"), (1, "1 s"), (10, "10 s"), (60, "1 min"), (600, "10 min"), (3600, "1 h"),
                  (6 * 3600, "6 h"), (86400, "1 day"), (7 * 86400, "1 week"), (30 * 86400, "30 days"),
                  (365 * 86400, "1 year"))


def duration_axis(ax, top_seconds, which="y"):
    """A y (or x) axis in seconds, linear below one minute and logarithmic above, labelled in readable
    durations: waits span zero (most jobs) to weeks (jobs that arrived before their GPUs)."""
    axis = ax.yaxis if which == "y" else ax.xaxis
    (ax.set_yscale if which == "y" else ax.set_xscale)("symlog", linthresh=60, linscale=0.6)
    top = max(3600.0, top_seconds * 1.6 if np.isfinite(top_seconds) else 3600.0)
    ticks = [(v, lab) for v, lab in DURATION_TICKS if v <= top and (v == 0 or v >= 60)]
    axis.set_ticks([v for v, _ in ticks])
    axis.set_ticklabels([lab for _, lab in ticks])
    axis.set_minor_locator(mticker.NullLocator())
    (ax.set_ylim if which == "y" else ax.set_xlim)(0, top)


def legend_row_height(series, keys):
    """A panel's height (inches) that holds its legend outside: one line per series and `keys` more."""
    entries = (len(series) + keys) if len(series) > 1 else keys
    return max(2.6, 0.24 * entries + 0.4)


def new_figure(nrows, ncols=1, width=11.0, row_height=2.6, title=None, sharex=True, sharey=False):
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, 0.9 + row_height * nrows), sharex=sharex,
                             sharey=sharey, squeeze=False, constrained_layout=True)
    if title:
        fig.suptitle(title, fontsize=13, fontweight="bold")
    return fig, axes


def replication_note(series, drawn="lines"):
    """How replications are drawn: `drawn` ("lines", "rows" of a heat map) as their median, with bands."""
    counts = sorted({s.replications for s in series if s.replications > 1})
    if not counts:
        return ""
    n = counts[0] if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"
    source = ", from the file's statistics" if any(s.from_statistics for s in series) else ""
    if many(series) or drawn != "lines":  # no bands: they would hide each other
        return f"{drawn}: median of {n} replications{source}"
    return f"lines: median of {n} replications; bands: p10-p90{source}"


def shared_study(series):
    """The study whose points the series are, when they are the points of one study."""
    studies = {s.study for s in series}
    return studies.pop() if len(studies) == 1 and "" not in studies else ""


def series_list(series, limit=200):
    """The series' labels for a title, or their count where the list would not fit (the legend names them)."""
    labels = " vs ".join(s.label for s in series)
    if len(labels) <= limit:
        return labels
    return f"{len(series)} sweep points" if shared_study(series) else f"{len(series)} scenarios"


#: Characters a line of a figure's title holds: a figure 11 inches wide fits about 100 of 13-point bold.
TITLE_WIDTH = 90


def fig_title(what, series, drawn="lines"):
    note_text = replication_note(series, drawn)
    study = shared_study(series)
    if study:  # the study on the first line; its points, and how they are drawn, on the next
        points = series_list(series, limit=100)
        return (wrap(f"{what}: {study}", TITLE_WIDTH) + "\n"
                + wrap(f"{points} ({note_text})" if note_text else points, TITLE_WIDTH))
    if note_text:
        what = f"{what} ({note_text})"
    if len(series) == 1:
        return wrap(f"{what}: {series[0].label}", TITLE_WIDTH)
    return wrap(what, TITLE_WIDTH) + "\n" + wrap(series_list(series), TITLE_WIDTH)


def short_label(name, width):
    """A category name on several lines if long, broken after hyphens where possible."""
    return textwrap.fill(name, width, break_on_hyphens=True, break_long_words=True)


def scenario_legend(series, extra=()):
    """Legend entries for the series (none where they are many: their key names them) and `extra`."""
    if many(series):
        return list(extra)
    handles = [Line2D([], [], color=s.color, lw=2.5, label=wrap(s.label, 34)) for s in series]
    return handles + list(extra)


def outside_legend(ax, handles=None, **kw):
    if handles is None:
        handles, _ = ax.get_legend_handles_labels()
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5, frameon=False, **kw)
