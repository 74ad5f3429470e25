#!/usr/bin/env python3
"""Exports a capsim result file (HDF5, docs/output.md) as CSV files and/or an XLSX workbook, for
spreadsheets.

  python3 scripts/export_results.py results.h5 --csv DIR      one CSV file per table into DIR
  python3 scripts/export_results.py results.h5 --xlsx FILE    one workbook, a sheet per table
  (both may be given; the file is read once)

Tables: one per group of the file and per set of dimensions its variables share. Columns: the
dimension coordinates first (point and the swept keys, replication or statistic, then time, site,
gpu, tenant, group, year, job), then one column per variable, its header `name [unit]` (no unit for
dimensionless ones). A single run's totals are rows of name, value, unit. Names:
  about.csv                   every root attribute (name, value, unit) but the scenario's YAML texts
  totals.csv                  the run's totals (a study: one row per point and replication; a replay:
                              its summary attributes)
  GROUP.csv                   the variables most of the group's share (sites.csv: along time, site)
  GROUP-by-DIMS.csv           the others, named by their dimensions but point, replication and
                              statistic (sites-by-time-site-gpu.csv, sites-by-site.csv)
  stats-GROUP[-by-DIMS].csv   a study's statistics across replications (group stats/GROUP)
  jobs.csv                    the job table, categories as names, times in seconds and as dates
The workbook has an `about` sheet first (scenario, source, horizon, capsim version, what each sheet
holds, the root attributes), then a sheet per table of the same name (shortened to Excel's 31
characters where needed). A sheet over Excel's 1,048,576 rows (the job table of a long run) is cut,
with a note beside its header and a warning here; the CSV keeps every row. Dates are UTC, written
`YYYY-MM-DD HH:MM:SS` in CSV and as dates in the workbook; missing values are empty cells.

Outputs are written under temporary names (NAME.tmp.PID) and renamed once all are complete: a failed
export leaves nothing behind. Files of an earlier export are kept unless --force is given.
CAPSIM_XLSX_MAX_ROWS=N (for tests) cuts sheets at N rows, the header included.

Exit status: 0 success, 64 bad command line or an output that exists (without --force), 65 a file
that is not a capsim result, 69 --xlsx without openpyxl (Debian: python3-openpyxl), 74 a missing or
unreadable file or an output that cannot be written.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the capsim_export package and capsim_results.py
from capsim_export.cli import main  # noqa: E402

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main(description=__doc__))
