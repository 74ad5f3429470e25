"""The HTML report of report_results.py: capsim result files as one self-contained page, with their key
totals, what was simulated, their tables and plot_results.py's figures inline.

Modules, each importing only modules listed before it:
  messages        the program's name, its notes, and errors with their exit status
  formatting      numbers for people, as `capsim summary` prints them (waits as 2.4 d, shares in %)
  blocks          what a report is made of: sections, paragraphs, facts, cards, tables, figures
  scenario        what a file says of its scenario: description, sites' settings, build-out, workloads
  run_tables      a run's key totals and its tables by site, tenant, job class and year
  study_tables    a study's tables by sweep point: the mean, its confidence interval and the p10-p90
  replay_tables   a replay's key figures
  figures         capsim_plots' figures as inline PNG images
  sections        the sections of each kind of file, and of files compared
  page            the HTML page: its template and style, and each block laid out
  cli             the command line: options, reading the files, writing the page under a temporary name
"""
import capsim_plots  # noqa: F401  (selects matplotlib's Agg backend; puts scripts/ on sys.path)
