"""The figures of plot_results.py, which plots the results of `capsim run` (docs/output.md).

Modules, each importing only modules listed before it:
  messages, data, units   the program's name and notes; the arrays as drawn; numbers and their units
  targets                 --target METRIC=VALUE read into the value of a key total
  style                   colours, step lines and stacked areas, axes, figures, titles, legends, and the key
                          (a colour scale) of many series
  loading                 result files as the series to draw (a file, or each point of a study); swept keys
                          and the axes they form
  points                  the series along an x axis (a study's swept value), for a value per series
  gpus, power, energy, utilization, waits, shares, summary, waits_by_class, goodput, sweep   one figure
                          each (plot_NAME)
  replay                  the figures of `capsim replay` files (utilization, waits, summary)
  cli                     the command line: options, figures to make, writing them, exit status
"""
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display needed (cluster nodes); must precede every module's pyplot import

# capsim_results.py, the results reader, lives next to the package in scripts/.
_SCRIPTS = str(Path(__file__).resolve().parent.parent)
if _SCRIPTS not in sys.path:
    sys.path.insert(0, _SCRIPTS)
