"""The figures of `capsim replay` results (docs/output.md): a job table (submit, start, end, processors) on
the trace's clock, without dates, sites or tenants, and the replay's summary as root attributes. Time
runs in days from the trace's first submit.

  utilization  busy processors / the machine's, the jobs waiting and the processors they ask for, as means
               over steps of an hour to a week (integrated exactly from the job table)
  waits        the share of jobs that started within each wait (one line per file), the wait by job size
               (processors asked) and by week (or day, month) of submission
  summary      one page: the replay's key figures, utilization over time, and the waits
Several files (policies on one trace) are drawn together, one colour each."""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from .style import TITLE_WIDTH, draw, duration_axis, key_height, many, outside_legend, series_key, style_axes, wrap
from .units import fmt_duration, plural

DAY_S = 86400.0
# Output steps the figures average over, the shortest that gives at most MAX_STEPS of them.
STEPS_S = ((3600.0, "hour"), (6 * 3600.0, "6 hours"), (DAY_S, "day"), (7 * DAY_S, "week"), (30 * DAY_S, "30 days"))
MAX_STEPS = 240
WAIT_STEPS_S = ((DAY_S, "day"), (7 * DAY_S, "week"), (30 * DAY_S, "30 days"))
MAX_WAIT_STEPS = 60
SIZE_EDGES = (1, 2, 5, 17, 65, 257, 1025, 4097)  # job sizes: 1, 2-4, 5-16, 17-64, 65-256, ...
STAT_COLORS = {"p50": "#6baed6", "mean": "#ff7f0e", "p95": "#08519c"}


def span_of(series):
    """(start, end) in seconds of the trace's clock, over every file."""
    starts = [float(np.nanmin(s.r.jobs["submit"])) for s in series]
    ends = [float(np.nanmax(np.fmax(s.r.jobs["end"], s.r.jobs["submit"]))) for s in series]
    return min(starts), max(ends)


def step_edges(start, end, steps=STEPS_S, limit=MAX_STEPS):
    """Edges of equal steps over [start, end] (the shortest step giving at most `limit`), and its name."""
    for width, name in steps:
        if (end - start) / width <= limit:
            break
    n = max(1, int(np.ceil((end - start) / width)))
    return start + width * np.arange(n + 1), name


def mean_level(begin, finish, weights, edges):
    """The mean over each step of sum(weight of the intervals [begin, finish) that cover the time): the
    integral of a step function, piecewise linear between the intervals' ends, read at the edges."""
    keep = np.isfinite(begin)
    begin, weights = begin[keep], weights[keep]
    finish = np.where(np.isfinite(finish[keep]), finish[keep], edges[-1])  # never ended: to the end
    times = np.concatenate([begin, finish])
    change = np.concatenate([weights, -weights])
    order = np.argsort(times, kind="stable")
    times, change = times[order], change[order]
    level = np.cumsum(change)  # from each event time to the next
    integral = np.concatenate([[0.0], np.cumsum(level[:-1] * np.diff(times))])
    at_edges = np.interp(edges, times, integral, left=0.0, right=integral[-1] if len(integral) else 0.0)
    return np.diff(at_edges) / np.diff(edges)


def processors_of(s):
    return float(s.r.attrs.get("processors", np.nan))


def utilization_panels(axes, series, edges):
    """Utilization, jobs waiting and processors asked for by them, a line per file."""
    single = len(series) == 1
    days = (edges - edges[0]) / DAY_S
    for s in series:
        jobs = s.r.jobs
        submit, start, end = (jobs[c].to_numpy(dtype=float) for c in ("submit", "start", "end"))
        procs = jobs["processors"].to_numpy(dtype=float)
        busy = mean_level(start, end, procs, edges)
        color = "#1f77b4" if single else s.color
        rows = (100 * busy / processors_of(s), mean_level(submit, start, np.ones_like(procs), edges),
                mean_level(submit, start, procs, edges))
        for ax, y in zip(axes, rows):
            draw(ax, days, y, color, lw=1.2)
    titles = ("Utilization: busy processors / the machine's processors", "Jobs waiting in the queue",
              "Processors asked for by the waiting jobs")
    for ax, title, unit in zip(axes, titles, ("utilization (%)", "queued jobs", "processors")):
        ax.set_title(f"{title} (mean over each step)", loc="left", fontsize=11)
        style_axes(ax, unit, dates=False)
        ax.set_ylim(bottom=0)
        ax.set_xlim(days[0], days[-1])
    axes[0].set_ylim(0, 105)


def plot_replay_utilization(series):
    start, end = span_of(series)
    edges, step = step_edges(start, end)
    crowd = many(series)
    row = max(2.6, key_height(series) / 3) if crowd else 2.6
    fig, axes = plt.subplots(3, 1, figsize=(11.0, 1.1 + 3 * row), sharex=True, constrained_layout=True,
                             squeeze=False)
    fig.suptitle(replay_title("Utilization and queue", series), fontsize=13, fontweight="bold")
    utilization_panels(axes[:, 0], series, edges)
    axes[-1, 0].set_xlabel(f"days since the trace's first submit (steps of one {step})", fontsize=9)
    if crowd:
        series_key(fig, axes[:, 0], series)
    elif len(series) > 1:
        outside_legend(axes[0, 0], file_legend(series))
    return fig


def trace_of(s):
    return str(s.r.attrs.get("source", "")).rsplit("/", 1)[-1]


def short_names(series):
    """The files' names where they replay one trace: what differs, the policy and queue order ("easy /
    fifo"); else their labels."""
    names = [f"{s.r.attrs.get('policy', '?')} / {s.r.attrs.get('order', '?')}" for s in series]
    if len({trace_of(s) for s in series}) == 1 and len(set(names)) == len(names):
        return names
    return [s.label for s in series]


def replay_title(what, series):
    if len(series) == 1:
        return wrap(f"{what}: {series[0].label}", TITLE_WIDTH)
    if len({trace_of(s) for s in series}) == 1:
        return (wrap(f"{what}: replays of {trace_of(series[0])}", TITLE_WIDTH) + "\n"
                + wrap(" vs ".join(short_names(series)), TITLE_WIDTH))
    return wrap(what, TITLE_WIDTH) + "\n" + wrap(" vs ".join(s.label for s in series), TITLE_WIDTH)


def file_legend(series, extra=()):
    """Legend entries for the files, by their short names, and `extra`."""
    if many(series):
        return list(extra)
    return [Line2D([], [], color=s.color, lw=2.5, label=wrap(name, 34))
            for s, name in zip(series, short_names(series))] + list(extra)


def wait_share_panel(ax, series):
    """The share of jobs that started within each wait: one line per file (waits at 0 s at the left)."""
    top = 0.0
    for s in series:
        wait = np.sort(s.r.jobs["wait"].dropna().to_numpy(dtype=float))
        if not len(wait):
            continue
        share = 100 * np.arange(1, len(wait) + 1) / len(wait)
        ax.step(np.concatenate([[0.0], wait]), np.concatenate([[100 * np.mean(wait <= 0)], share]), where="post",
                color="#1f77b4" if len(series) == 1 else s.color, lw=1.6)
        top = max(top, float(wait[-1]))
    duration_axis(ax, top, which="x")
    ax.tick_params(axis="x", labelsize=8)
    ax.set_ylim(0, 101)
    ax.set_ylabel("jobs started within the wait (%)")
    ax.set_xlabel("wait until start", fontsize=9)
    ax.grid(True, color="0.9", lw=0.6)
    ax.set_title("Share of jobs that started within a wait", loc="left", fontsize=11)


def size_classes(series):
    """(edges, names) of job sizes by processors asked, up to the largest job."""
    largest = max(float(s.r.jobs["processors"].max()) for s in series)
    edges = [e for e in SIZE_EDGES if e <= largest] + [next((e for e in SIZE_EDGES if e > largest), largest + 1)]
    names = [f"{lo}" if hi - lo == 1 else f"{lo}-{hi - 1}" for lo, hi in zip(edges[:-1], edges[1:])]
    return edges, names


def wait_by_size_panel(ax, series):
    """The mean (bars) and p95 (marks) wait by job size, a bar per file in each size."""
    edges, names = size_classes(series)
    stats = {}
    for s in series:
        jobs = s.r.jobs
        size = np.digitize(jobs["processors"].to_numpy(dtype=float), edges) - 1
        for k in range(len(names)):
            wait = jobs["wait"].to_numpy(dtype=float)[size == k]
            wait = wait[np.isfinite(wait)]
            stats[s.label, k] = ((float(np.mean(wait)), float(np.percentile(wait, 95)), len(wait)) if len(wait)
                                 else (np.nan, np.nan, 0))
    top = np.nanmax([0.0] + [v for mean, p95, _ in stats.values() for v in (mean, p95)])
    divisor, unit = (60.0, "min") if top < 2 * 3600 else (3600.0, "h") if top < 4 * DAY_S else (DAY_S, "days")
    n = len(series)
    width = 0.8 / n
    xs = np.arange(len(names))
    for j, s in enumerate(series):
        pos = xs - 0.4 + width * (j + 0.5)
        mean = np.array([stats[s.label, k][0] for k in range(len(names))]) / divisor
        p95 = np.array([stats[s.label, k][1] for k in range(len(names))]) / divisor
        ax.bar(pos, np.nan_to_num(mean), width * 0.9, color="#6baed6" if n == 1 else s.color)
        ax.hlines(p95, pos - width * 0.45, pos + width * 0.45, colors="black", lw=2.0, zorder=4)
    counts = [stats[series[0].label, k][2] for k in range(len(names))]
    ax.set_xticks(xs)
    ax.set_xticklabels([f"{name}\n{c:,} jobs" if n == 1 else name for name, c in zip(names, counts)], fontsize=8)
    ax.set_xlabel("processors asked for", fontsize=9)
    ax.set_ylabel(f"wait ({unit})")
    ax.grid(True, axis="y", color="0.9", lw=0.6)
    ax.set_axisbelow(True)
    ax.set_ylim(0, top / divisor * 1.25 if top > 0 else 1.0)
    ax.set_title("Wait by job size", loc="left", fontsize=11)
    ax.legend(handles=[Line2D([], [], color="#6baed6" if n == 1 else "0.6", lw=6, label="mean (bars)"),
                       Line2D([], [], color="black", lw=2.0, label="p95")], fontsize=8, frameon=False,
              loc="upper left", ncol=2)


def wait_over_time_panel(ax, series):
    """p50, mean and p95 wait of the jobs submitted in each week (day, month) of the trace."""
    start, end = span_of(series)
    edges, step = step_edges(start, end, WAIT_STEPS_S, MAX_WAIT_STEPS)
    days = (edges - edges[0]) / DAY_S
    single = len(series) == 1
    top = 0.0
    styles = {"p95": dict(ls="-", lw=1.6), "p50": dict(ls="-", lw=1.0), "mean": dict(ls=":", lw=1.4)}
    for s in series:
        jobs = s.r.jobs
        which = np.digitize(jobs["submit"].to_numpy(dtype=float), edges) - 1
        wait = jobs["wait"].to_numpy(dtype=float)
        rows = {name: np.full(len(edges) - 1, np.nan) for name in styles}
        for k in range(len(edges) - 1):
            w = wait[(which == k) & np.isfinite(wait)]
            if len(w):
                rows["p50"][k], rows["p95"][k], rows["mean"][k] = np.percentile(w, 50), np.percentile(w, 95), w.mean()
        for name, style in styles.items():
            draw(ax, days, rows[name], STAT_COLORS[name] if single else s.color, **style)
            if np.isfinite(rows[name]).any():
                top = max(top, float(np.nanmax(rows[name])))
    style_axes(ax, "wait", dates=False)
    duration_axis(ax, top)
    ax.set_xlim(days[0], days[-1])
    ax.set_xlabel(f"days since the trace's first submit (jobs submitted in each {step})", fontsize=9)
    ax.set_title("Wait by time of submission", loc="left", fontsize=11)
    keys = [Line2D([], [], color=STAT_COLORS[name] if single else "0.3", label=name, **style)
            for name, style in styles.items()]
    return keys


def plot_replay_waits(series):
    fig = plt.figure(figsize=(13.33, 8.6), constrained_layout=True)
    fig.suptitle(replay_title("Wait until start", series), fontsize=13, fontweight="bold")
    grid = fig.add_gridspec(2, 2, height_ratios=[1, 1])
    wait_share_panel(fig.add_subplot(grid[0, 0]), series)
    wait_by_size_panel(fig.add_subplot(grid[0, 1]), series)
    ax = fig.add_subplot(grid[1, :])
    keys = wait_over_time_panel(ax, series)
    outside_legend(ax, keys if len(series) == 1 else file_legend(series, keys))
    if many(series):
        series_key(fig, [ax], series)
    return fig


def key_figures(s):
    a = s.r.attrs
    skipped = int(a.get("skipped", 0) or 0)
    return [("trace", str(a.get("source", "")).rsplit("/", 1)[-1]),
            ("machine", plural(int(a.get("processors", 0) or 0), "processor")),
            ("policy / queue order", f"{a.get('policy', '?')} / {a.get('order', '?')}"),
            ("jobs simulated", f"{int(a.get('jobs', 0) or 0):,}"),
            ("skipped / rejected", f"{skipped:,} / {int(a.get('rejected', 0) or 0):,}"),
            ("utilization", f"{100 * float(a.get('utilization', np.nan)):.1f} %"),
            ("wait: mean / p50", f"{fmt_duration(float(a.get('wait_mean_s', np.nan)))} / "
                                 f"{fmt_duration(float(a.get('wait_p50_s', np.nan)))}"),
            ("wait: p95 / p99", f"{fmt_duration(float(a.get('wait_p95_s', np.nan)))} / "
                                f"{fmt_duration(float(a.get('wait_p99_s', np.nan)))}"),
            ("flow time (wait + run), mean", fmt_duration(float(a.get("flow_mean_s", np.nan)))),
            ("bounded slowdown: mean / max", f"{float(a.get('bounded_slowdown_mean', np.nan)):.3g} / "
                                             f"{float(a.get('bounded_slowdown_max', np.nan)):.4g}"),
            ("makespan", fmt_duration(float(a.get("makespan_s", np.nan))))]


def key_figures_panel(ax, series):
    ax.axis("off")
    tables = [key_figures(s) for s in series]
    same_trace = len({trace_of(s) for s in series}) == 1
    rows = [[label] + [dict(t)[label] for t in tables] for label, _ in tables[0]
            if not (label == "trace" and same_trace and len(series) > 1)]
    labels = None if len(series) == 1 else [""] + [wrap(name, 14) for name in short_names(series)]
    height = min(1.0, 0.075 * (len(rows) + (2 if labels else 0)))
    table = ax.table(cellText=rows, colLabels=labels, loc="upper left", cellLoc="left", edges="horizontal",
                     bbox=(0, 1 - height, 1, height))
    table.auto_set_font_size(False)
    table.set_fontsize(9 if len(series) == 1 else 8 if len(series) <= 3 else 7)
    # Each column as wide as its longest line.
    header = labels or [""] * (len(series) + 1)
    longest = np.array([max(len(line) for text in [header[c]] + [r[c] for r in rows] for line in text.split("\n"))
                        + 2 for c in range(len(series) + 1)], dtype=float)
    longest[1:] *= 1.3  # bold
    for (row, col), cell in table.get_celld().items():
        cell.set_edgecolor("0.85")
        cell.set_width(longest[col] / longest.sum())
        if col > 0:
            cell.get_text().set_fontweight("bold")
        if row == 0 and labels is not None:
            cell.set_height(cell.get_height() * 1.6)
            if col > 0:
                cell.get_text().set_color(series[col - 1].color)
    ax.set_title("Key figures of the replay", loc="left", fontsize=11, fontweight="bold")


def plot_replay_summary(series):
    start, end = span_of(series)
    edges, step = step_edges(start, end)
    fig = plt.figure(figsize=(13.33, 7.5), constrained_layout=True)
    fig.suptitle(replay_title("Replay", series), fontsize=14, fontweight="bold")
    grid = fig.add_gridspec(2, 3, width_ratios=[1.2 + 0.25 * max(0, len(series) - 1), 1, 1])
    key_figures_panel(fig.add_subplot(grid[:, 0]), series)
    ax = fig.add_subplot(grid[0, 1:])
    utilization_panels([ax], series, edges)
    ax.set_xlabel(f"days since the trace's first submit (means over steps of one {step})", fontsize=8.5)
    if len(series) > 1 and not many(series):
        outside_legend(ax, file_legend(series))
    wait_share_panel(fig.add_subplot(grid[1, 1]), series)
    wait_by_size_panel(fig.add_subplot(grid[1, 2]), series)
    return fig
