"""The command line of plot_results.py: its options, which figures to make for which files (with a note
for those skipped; `capsim replay` files get figures of their own), writing them, and the exit status."""
import argparse
import sys
from pathlib import Path

import matplotlib.pyplot as plt
from capsim_results import NotCapsimResult

from .data import union
from .energy import plot_energy
from .frontier import is_plan_file, plot_frontier
from .goodput import has_goodput, plot_goodput
from .gpus import plot_gpus
from .loading import file_label, load_series
from .messages import PROG, note
from .power import plot_power
from .replay import plot_replay_summary, plot_replay_utilization, plot_replay_waits
from .shares import plot_shares
from .summary import plot_summary
from .sweep import plot_sweep, resolve_sweep_key, sweep_metrics
from .targets import TargetError, parse_target
from .utilization import plot_utilization
from .waits import plot_waits
from .waits_by_class import plot_waits_by_class

FIGURES = ("gpus", "power", "energy", "utilization", "waits", "waits_by_class", "shares", "goodput", "summary",
           "sweep")
WORKLOAD_FIGURES = ("utilization", "waits", "waits_by_class", "shares", "goodput")
GOODPUT_FIGURES = ("goodput",)  # needs the failure variables, which files written before them lack
JOB_FIGURES = ("waits",)  # drawn from the job table, which study files do not keep
FORMATS = ("png", "svg", "pdf")
EXIT_USAGE, EXIT_BAD_INPUT, EXIT_IO = 64, 65, 74


class ArgumentParser(argparse.ArgumentParser):
    """Exits with EXIT_USAGE (argparse's own status is 2), the message named by PROG."""

    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"{PROG}: error: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


PLOTTERS = {"gpus": plot_gpus, "power": plot_power, "energy": plot_energy, "utilization": plot_utilization,
            "waits": plot_waits, "waits_by_class": plot_waits_by_class, "shares": plot_shares, "goodput": plot_goodput,
            "summary": plot_summary}
#: The figures of `capsim replay` files (a job table on the trace's clock, no sites or tenants), by name.
REPLAY_PLOTTERS = {"utilization": plot_replay_utilization, "waits": plot_replay_waits, "summary": plot_replay_summary}


def series_for(name, series):
    """The series that figure `name` draws: those with what it needs (workloads, the job table, the failure
    variables); empty where none has it."""
    subset = series
    if name in WORKLOAD_FIGURES:
        subset = [s for s in subset if s.r.has_workloads]
    if name in JOB_FIGURES:
        subset = [s for s in subset if s.r.jobs is not None]
    if name in GOODPUT_FIGURES:
        subset = [s for s in subset if has_goodput(s)]
    return subset


def file_names(series):
    """The files behind the series, by scenario name, each once."""
    return ", ".join(f"'{name}'" for name in union([[s.source] for s in series]))


def save(fig, outdir, name, formats, dpi):
    written = []
    for fmt in formats:
        path = outdir / f"{name}.{fmt}"
        metadata = {"png": None, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[fmt]
        fig.savefig(path, dpi=dpi, metadata=metadata)
        written.append(path)
    plt.close(fig)
    return written


def parse_args(argv, description=None):
    """The options; `description` is the text of --help above them (plot_results.py's docstring)."""
    parser = ArgumentParser(prog=PROG, description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="+", metavar="RESULTS.h5",
                        help="files written by `capsim run ... -o` or `capsim replay ... -o`")
    parser.add_argument("-o", "--output", metavar="OUTDIR", required=True, type=Path,
                        help="folder for the figures (created if missing)")
    parser.add_argument("--format", dest="formats", action="append", choices=FORMATS, metavar="{png,svg,pdf}",
                        help="file format; repeat for several (default: png)")
    parser.add_argument("--only", action="append", choices=FIGURES, metavar="FIGURE",
                        help=f"make only this figure; repeat for several ({', '.join(FIGURES)})")
    parser.add_argument("--dpi", type=int, default=100, help="resolution of PNG files (default: 100)")
    parser.add_argument("--sweep-x", metavar="KEY",
                        help="the swept key on the x axis of the sweep figure, as its path or the end of it "
                             "(default: the first swept key)")
    parser.add_argument("--target", dest="targets", action="append", default=[], metavar="METRIC=VALUE",
                        help="a dashed target line on the sweep figure's panel of METRIC; repeat for several. METRIC: "
                             "wait_p95, wait_mean (VALUE a duration: 24h, 90min, 2d), energy (50MWh), cost (in the "
                             "file's currency), carbon (20t), stranded (GPU-hours), jobs_completed")
    args = parser.parse_args(argv)
    args.formats = list(dict.fromkeys(args.formats or ["png"]))
    args.only = list(dict.fromkeys(args.only or FIGURES))
    if args.dpi <= 0:
        parser.error("--dpi must be positive")
    return args


def main(argv=None, description=None):
    """Makes the figures that argv (by default the command line) asks for; returns the exit status."""
    args = parse_args(sys.argv[1:] if argv is None else argv, description)
    wanted = [f for f in FIGURES if f in args.only]
    try:
        targets = [parse_target(text) for text in args.targets]
    except TargetError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    plans = [path for path in args.results if is_plan_file(path)]
    if plans:
        return plot_plans(args, plans)
    try:
        series, files = load_series(args.results, need_jobs=any(f in JOB_FIGURES for f in wanted))
    except FileNotFoundError as e:
        print(f"{PROG}: error: {e.filename or e}: no such file" if e.filename else f"{PROG}: error: {e}",
              file=sys.stderr)
        return EXIT_IO
    except NotCapsimResult as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as e:
        print(f"{PROG}: error: cannot read {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return EXIT_IO
    replays = [s for s in series if s.r.kind == "replay"]
    if replays and len(replays) < len(series):
        runs = file_names([s for s in series if s.r.kind != "replay"])
        print(f"{PROG}: error: {file_names(replays)}: `capsim replay` results (a job table on the trace's clock) "
              f"cannot be drawn beside the results of `capsim run` ({runs}): plot them apart", file=sys.stderr)
        return EXIT_BAD_INPUT
    for target in targets:
        currencies = {str(r.attrs.get("currency", "")) for r in files}
        if target.currency and currencies != {target.currency}:
            print(f"{PROG}: error: --target {target.name}={target.text}: the results are in "
                  f"{', '.join(sorted(currencies))}, not {target.currency}", file=sys.stderr)
            return EXIT_BAD_INPUT
    studies = [r for r in files if r.swept and r.stats_totals is not None]
    sweep_x = studies[0].swept[0] if studies else None
    if args.sweep_x is not None and studies:
        sweep_x = resolve_sweep_key(studies, args.sweep_x)
        if sweep_x is None:
            keys = ", ".join(union([r.swept for r in studies]))
            print(f"{PROG}: error: --sweep-x {args.sweep_x}: not a swept key (swept: {keys})", file=sys.stderr)
            return EXIT_USAGE
    if not make_output_folder(args):
        return EXIT_IO

    if replays:
        return plot_replays(args, wanted, series, targets)
    without = [s for s in series if not s.r.has_workloads]
    if without and any(f in WORKLOAD_FIGURES for f in wanted):
        names = file_names(without)
        if len(without) == len(series):
            note(f"no workloads in {names} (infrastructure only): skipping {', '.join(WORKLOAD_FIGURES)}")
        else:
            note(f"no workloads in {names}: left out of {', '.join(WORKLOAD_FIGURES)}")
    without_jobs = [s for s in series if s.r.has_workloads and s.r.jobs is None]
    if without_jobs and any(f in JOB_FIGURES for f in wanted):
        names = file_names(without_jobs)
        why = " (a study file keeps none; waits_by_class draws its waits by job class)" if all(
            s.r.is_study for s in without_jobs) else ""
        if len(without_jobs) == len([s for s in series if s.r.has_workloads]):
            note(f"no job table in {names}{why}: skipping {', '.join(JOB_FIGURES)}")
        else:
            note(f"no job table in {names}{why}: left out of {', '.join(JOB_FIGURES)}")
    without_goodput = [s for s in series if s.r.has_workloads and not has_goodput(s)]
    if without_goodput and any(f in GOODPUT_FIGURES for f in wanted):
        names = file_names(without_goodput)
        why = "no ETTR, lost GPU-hours or nodes in repair (written before node failures)"
        if len(without_goodput) == len([s for s in series if s.r.has_workloads]):
            note(f"{why} in {names}: skipping {', '.join(GOODPUT_FIGURES)}")
        else:
            note(f"{why} in {names}: left out of {', '.join(GOODPUT_FIGURES)}")
    if "sweep" in wanted and not studies and (args.only != list(FIGURES) or any(r.is_study for r in files)):
        without_statistics = [r for r in files if r.swept]
        if without_statistics:
            names = ", ".join(f"'{file_label(r, files)}'" for r in without_statistics)
            note(f"no statistics in {names}: skipping sweep")
        else:
            note(f"no sweep in {file_names(series)}: skipping sweep")
    elif "sweep" in wanted and studies:
        unswept = [r for r in files if r.is_study and sweep_x not in r.swept]
        if unswept:
            names = ", ".join(f"'{file_label(r, files)}'" for r in unswept)
            note(f"{sweep_x} is not swept in {names}: left out of sweep")
        studies = [r for r in studies if sweep_x in r.swept]
    if targets:
        drawn = {metric for metric, _, _ in sweep_metrics(studies)} if "sweep" in wanted and studies else set()
        for target in targets:
            if target.variable not in drawn:
                why = "no sweep figure is drawn" if not drawn else "the sweep figure has no such panel (no workloads)"
                note(f"--target {target.name}={target.text}: not drawn, {why}")
    for name in wanted:
        if name == "sweep":
            if not studies:
                continue
            fig = plot_sweep(studies, sweep_x, targets)
        else:
            subset = series_for(name, series)
            if not subset:
                continue
            fig = PLOTTERS[name](subset)
        if not write(fig, args, name):
            return EXIT_IO
    return 0


def write(fig, args, name):
    """Saves the figure in every format asked for, printing each path; False (with a message) where it cannot."""
    try:
        for path in save(fig, args.output, name, args.formats, args.dpi):
            print(path)
    except OSError as e:
        print(f"{PROG}: error: cannot write {args.output / name}: {e.strerror or e}", file=sys.stderr)
        return False
    return True


def make_output_folder(args):
    """Creates the figures' folder; False (with a message) where it cannot be."""
    if args.output.exists() and not args.output.is_dir():
        print(f"{PROG}: error: {args.output} exists and is not a folder", file=sys.stderr)
        return False
    try:
        args.output.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        print(f"{PROG}: error: cannot create {args.output}: {e.strerror or e}", file=sys.stderr)
        return False
    return True


def plot_plans(args, plans):
    """The frontier figure of each `capsim plan` file (frontier.png, or frontier-NAME.png for several)."""
    others = [str(path) for path in args.results if path not in plans]
    if others:
        print(f"{PROG}: error: {', '.join(others)}: plan files ({', '.join(map(str, plans))}) are drawn on their own: "
              "plot them apart", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not make_output_folder(args):
        return EXIT_IO
    for path in plans:
        name = "frontier" if len(plans) == 1 else f"frontier-{Path(path).stem}"
        if not write(plot_frontier(path), args, name):
            return EXIT_IO
    return 0


def plot_replays(args, wanted, series, targets):
    """The figures of `capsim replay` files: those of REPLAY_PLOTTERS that are wanted, a note for the rest."""
    skipped = [name for name in wanted if name not in REPLAY_PLOTTERS]
    if skipped:
        note(f"{file_names(series)}: `capsim replay` results (a job table on the trace's clock, no sites, tenants or "
             f"sweep): skipping {', '.join(skipped)}")
    for target in targets:
        note(f"--target {target.name}={target.text}: not drawn, a replay has no sweep figure")
    for name in wanted:
        if name in REPLAY_PLOTTERS and not write(REPLAY_PLOTTERS[name](series), args, name):
            return EXIT_IO
    return 0
