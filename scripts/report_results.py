#!/usr/bin/env python3
"""Writes an HTML report of capsim results (HDF5 files of `capsim run`, `capsim merge` or `capsim replay`,
docs/output.md): one self-contained file, its figures and style inline, that any browser opens without a
server or a network, and that prints.

  python3 scripts/report_results.py results.h5 [more.h5 ...] -o report.html

For a run: the scenario's name and description; the key totals (energy, electricity cost, carbon, capex,
total cost, GPUs and GPU-hours stranded, jobs, GPU-hours delivered, utilization, waits); the sites'
settings, the build-out orders (site, node type, count, when ordered, delivered, in service and retired)
and the workloads; each site's totals; each tenant's demand, delivery and share; the jobs and waits of
each class and the p95 wait by year; what node failures cost, where nodes failed; and plot_results.py's
figures (GPUs, power, energy, utilization, waits, waits by class, shares, goodput, the summary page).
For a study (replications, a sweep): the same by sweep point, as the mean over the replications with its
95 % confidence interval and the p10-p90 of the replications, the figures' bands, and the sweep figure
(key totals against the swept value). For a replay: its key figures, the trace and policy, and its
utilization and waits figures.

Several files: their key totals side by side and the figures drawn for them together (runs and studies
in one set, replays in another), then each file's own sections.

The report is written under a temporary name beside it (REPORT.html.tmp.PID) and renamed once complete:
a report that fails leaves nothing. An existing report is kept unless --force is given.

Exit status: 0 success, 64 bad command line or an existing report (without --force), 65 a file that is not
a capsim result or a --target that cannot be read, 74 a missing or unreadable file or a report that cannot
be written.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # capsim_report, capsim_plots and capsim_results.py
from capsim_report.cli import main  # noqa: E402

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main(description=__doc__))
