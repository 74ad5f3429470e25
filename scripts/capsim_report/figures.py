"""plot_results.py's figures (capsim_plots) as images inside the page: each drawn as plot_results.py draws
it, for the same files together, then saved as PNG into memory and kept as base64 text. A figure is shown
at the size matplotlib laid it out for (its inches at 96 CSS pixels each), narrower where the window is,
and drawn at DPI dots per inch so that it stays sharp on a high-density screen."""
import base64
import io

import matplotlib.pyplot as plt
from capsim_plots.cli import PLOTTERS, REPLAY_PLOTTERS, series_for
from capsim_plots.sweep import plot_sweep

from .blocks import Figure

DPI = 144
CSS_PX_PER_INCH = 96

#: The figures of a run or a study, in the order of the report: (name, title, caption).
RUN_FIGURES = (
    ("gpus", "GPUs per site",
     "Installed GPUs (delivered, not retired), powered GPUs by type and stranded GPUs (in service, dark: over the "
     "grid connection), with procurement arrivals and retirements marked."),
    ("power", "Facility power per site",
     "Facility power, the mean and the peak within each output step, against the grid connection."),
    ("energy", "Energy, electricity cost and carbon",
     "Facility energy, electricity cost and carbon emissions per site, added up since the start."),
    ("utilization", "Utilization and queue",
     "GPUs held by jobs over powered GPUs, all sites; the jobs waiting and the GPUs they ask for."),
    ("waits", "Waits by month",
     "Wait until first start per tenant, p50 and p95 by month of submission (from the job table)."),
    ("waits_by_class", "Waits by job class",
     "p50, mean and p95 wait of each job class over the horizon and, over several years, by year of submission."),
    ("shares", "Delivered against entitled share",
     "Each tenant's share of the GPU-hours delivered since the start, against its entitled share."),
    ("goodput", "Goodput: what failures and stops cost",
     "ETTR (GPU-hour weighted, and the mean over jobs) and GPU-hours lost per tenant and class; nodes in repair "
     "per site."),
    ("summary", "One-page summary",
     "Key totals, GPUs over time, delivered against entitled share and wait by job class: a page for a slide."),
)
SWEEP_FIGURE = ("sweep", "Key totals against the swept value",
                "Key totals of each sweep point: the mean over the replications with its 95 % confidence interval "
                "(error bars) and the p10-p90 of the replications (band).")
STUDY_NOTE = " Lines are the median of the replications, bands their p10-p90."
REPLAY_FIGURES = (
    ("utilization", "Utilization and queue",
     "Busy processors over the machine's, the jobs waiting and the processors they ask for (days since the "
     "trace's first submit)."),
    ("waits", "Waits",
     "The share of jobs that started within each wait, the mean and p95 wait by job size, and the waits by "
     "week of submission."),
)


def figure_block(fig, name, title, caption, dpi=DPI):
    """The figure as an inline PNG (the figure is closed)."""
    width_in, height_in = fig.get_size_inches()
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    finally:
        plt.close(fig)
    return Figure(name, title, caption, base64.b64encode(buffer.getvalue()).decode("ascii"),
                  round(width_in * CSS_PX_PER_INCH), round(height_in * CSS_PX_PER_INCH))


def run_figures(series, files, sweep_x=None, targets=(), dpi=DPI):
    """The figures of runs and studies drawn together: the sweep first where a study has one, then every
    figure of plot_results.py that some series can be drawn in."""
    out = []
    studies = [r for r in files if r.swept and r.stats_totals is not None]
    if studies:
        key = sweep_x or studies[0].swept[0]
        name, title, caption = SWEEP_FIGURE
        out.append(figure_block(plot_sweep(studies, key, targets), name, f"{title}: {key}", caption, dpi))
    banded = any(s.replications > 1 for s in series)
    for name, title, caption in RUN_FIGURES:
        subset = series_for(name, series)
        if subset:
            out.append(figure_block(PLOTTERS[name](subset), name, title,
                                    caption + (STUDY_NOTE if banded and name != "summary" else ""), dpi))
    return out


def replay_figures(series, dpi=DPI):
    return [figure_block(REPLAY_PLOTTERS[name](series), name, title, caption, dpi)
            for name, title, caption in REPLAY_FIGURES]


def skipped_figures(series):
    """The run figures no series could be drawn in, with why: [(name, reason)]."""
    studies = all(s.r.is_study for s in series)
    reasons = {"waits": "a study keeps no job table; the waits by job class are drawn from the summary" if studies
               else "no job table, the scenario's output.jobs is false",
               "goodput": "no failure variables: the file was written before node failures"}
    out = []
    for name, _, _ in RUN_FIGURES:
        if not series_for(name, series):
            why = "no workloads" if not any(s.r.has_workloads for s in series) else reasons.get(name, "no data")
            out.append((name, why))
    return out
