#!/usr/bin/env python3
"""Plots the results of `capsim run` and `capsim replay` (HDF5 files, docs/output.md) as figures for planners.

Figures, written to OUTDIR as NAME.FORMAT:
  gpus         GPUs over time per site: installed, powered (by GPU type) and stranded, with
               procurement arrivals and retirements marked
  power        facility power per site, mean and peak within each output step, against the grid
               capacity
  energy       cumulative facility energy (MWh), electricity cost and carbon (t CO2e) per site
  utilization  utilization of the powered GPUs, and the queue: jobs waiting and GPUs they ask for *
               (heat maps, a row per series, for more than ten series)
  waits        wait (first start - submit) per tenant, p50 and p95 by month of submission *
  waits_by_class
               wait by job class from the summary: p50, mean and p95 over the horizon and, over
               several years, p95 and mean by year of submission (summary_by_year) *
  shares       delivered against entitled share of GPU-hours per tenant, since the start (each panel
               scaled to its tenant) *
  goodput      what node failures and stops cost the jobs: ETTR (GPU-hour weighted, and the mean over
               jobs) and GPU-hours lost per tenant and job class, and nodes in repair per site over
               time * (skipped, with a note, for files written before node failures)
  summary      one page for a slide: key totals, GPUs over time, delivered against entitled share,
               wait by job class
  sweep        key totals of a study against its swept value (--sweep-x KEY: which swept key, by default
               the first): facility energy, electricity cost, carbon, GPU-hours stranded and, with
               workloads, jobs completed and the mean and p95 wait; the mean with its 95 % confidence
               interval, and the p10-p90 range of the replications; one line per value of the other
               swept axes (keys zipped together are one axis); --target lines **
  * only for scenarios with workloads; skipped, with a note on stderr, otherwise. waits also needs the
    job table, which study files do not keep.
  ** only for study files with a sweep.

Several files: every figure overlays them, named by their scenarios (comparison mode). A file with
a leading `replication` dimension is drawn as the median with a p10-p90 band; one with a `point`
dimension as one series per point. More than ten series get a colour each from a scale in their order
and a key beside the panels, and no bands.

Study files (`capsim run` of a scenario with `replications:` or `sweep:`): each point is a series,
named by its swept values ("rate=40/day", "capacity=45 kW"), drawn as the median of its replications
with a p10-p90 band; a file written with `output.replications: stats` has only the statistics of the
series, and its lines and bands are the file's p50, p10 and p90 (sums over sites and the utilization
then combine quantiles, a close approximation).

Replay files (`capsim replay TRACE -o FILE`): utilization, waits and summary, on the trace's clock;
the other figures are skipped with a note. They cannot be drawn beside the results of `capsim run`.

Exit status: 0 success, 64 bad command line, 65 a file that is not a capsim result, replays beside runs,
or a --target that cannot be read, 74 a missing or unreadable file or an output folder that cannot be
written.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the capsim_plots package and capsim_results.py
from capsim_plots.cli import main  # noqa: E402

# Kept here for code that imports this script (tests/python/test_plots.py); pyplot comes after the
# package, which sets the Agg backend.
import matplotlib.pyplot as plt  # noqa: E402,F401
from capsim_plots.loading import load_series, quantile_members  # noqa: E402,F401
from capsim_plots.sweep import plot_sweep  # noqa: E402,F401

__all__ = ["load_series", "main", "plot_sweep", "plt", "quantile_members"]

if __name__ == "__main__":
    sys.exit(main(description=__doc__))
