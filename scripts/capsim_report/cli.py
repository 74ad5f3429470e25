"""The command line of report_results.py: its options, reading the files, writing the page under a temporary
name in the output's folder and renaming it once complete (a failed or interrupted report leaves nothing),
messages and the exit status."""
import argparse
import os
import signal
import sys
from pathlib import Path

from capsim_plots import messages as plot_messages
from capsim_plots.sweep import resolve_sweep_key
from capsim_plots.targets import TargetError, parse_target
from capsim_results import NotCapsimResult

from .figures import DPI
from .messages import EXIT_BAD_INPUT, EXIT_IO, EXIT_USAGE, PROG, ReportError
from .page import page_html
from .plan_sections import plan_report_parts
from .sections import Options, Report, build_report, is_plan


class ArgumentParser(argparse.ArgumentParser):
    """Exits with EXIT_USAGE (argparse's own status is 2), the message named by PROG."""

    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"{PROG}: error: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def parse_args(argv, description=None):
    parser = ArgumentParser(prog=PROG, description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="+", metavar="RESULTS.h5", type=Path,
                        help="files written by `capsim run`, `capsim merge` or `capsim replay`")
    parser.add_argument("-o", "--output", metavar="REPORT.html", required=True, type=Path,
                        help="the report to write (one HTML file)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing report")
    parser.add_argument("--dpi", type=int, default=DPI, help=f"resolution of the figures (default: {DPI})")
    parser.add_argument("--sweep-x", metavar="KEY",
                        help="the swept key on the x axis of the sweep figure (default: the first swept key)")
    parser.add_argument("--target", dest="targets", action="append", default=[], metavar="METRIC=VALUE",
                        help="a dashed target line on the sweep figure, as plot_results.py draws it "
                             "(wait_p95=24h, energy=50MWh, ...); repeat for several")
    args = parser.parse_args(argv)
    if args.dpi <= 0:
        parser.error("--dpi must be positive")
    seen = set()
    for path in args.results:
        if path.resolve() in seen:
            parser.error(f"{path}: given twice")
        seen.add(path.resolve())
    return args


def check_output(args):
    out = args.output
    if out.is_dir():
        raise ReportError(f"{out} is a folder, not a report file", EXIT_IO)
    if out.exists() and not args.force:
        raise ReportError(f"output '{out}' exists; use --force to overwrite it", EXIT_USAGE)
    if not out.parent.is_dir():
        raise ReportError(f"cannot write {out}: no folder {out.parent}", EXIT_IO)


def options_of(args):
    try:
        targets = [parse_target(t) for t in args.targets]
    except TargetError as e:
        raise ReportError(str(e), EXIT_BAD_INPUT) from None
    return Options(sweep_x=args.sweep_x, targets=targets, dpi=args.dpi)


def report_of(args, options):
    plans = [path for path in args.results if path.is_file() and is_plan(path)]
    if plans:
        if len(args.results) > 1:
            raise ReportError(f"{plans[0]}: a plan file (`capsim plan`) is reported on its own", EXIT_BAD_INPUT)
        try:
            return Report(*plan_report_parts(plans[0], options.dpi))
        except (KeyError, ValueError) as e:
            raise ReportError(f"{plans[0]}: not a complete plan file ({e})", EXIT_BAD_INPUT) from None
    try:
        report = build_report(args.results, options)
    except FileNotFoundError as e:
        raise ReportError(f"{e.filename}: no such file" if e.filename else str(e), EXIT_IO) from None
    except NotCapsimResult as e:
        raise ReportError(str(e), EXIT_BAD_INPUT) from None
    except OSError as e:
        raise ReportError(f"cannot read {e.filename or ''}: {e.strerror or e}", EXIT_IO) from None
    return report


def check_sweep_x(args):
    """--sweep-x must name a swept key of a study among the files (read cheaply, before anything is drawn)."""
    if args.sweep_x is None:
        return
    from capsim_results import open_results
    try:
        files = [open_results(p, jobs=False) for p in args.results]
    except FileNotFoundError as e:
        raise ReportError(f"{e.filename}: no such file" if e.filename else str(e), EXIT_IO) from None
    except NotCapsimResult as e:
        raise ReportError(str(e), EXIT_BAD_INPUT) from None
    studies = [r for r in files if r.swept]
    key = resolve_sweep_key(studies, args.sweep_x) if studies else None
    if key is None:
        swept = ", ".join(k for r in studies for k in r.swept) or "none"
        raise ReportError(f"--sweep-x {args.sweep_x}: not a swept key (swept: {swept})", EXIT_USAGE)
    args.sweep_x = key


def write(args, html):
    """The page under a temporary name beside the output, renamed into place once written whole."""
    temp = args.output.with_name(f"{args.output.name}.tmp.{os.getpid()}")
    try:
        with open(temp, "w", encoding="utf-8", newline="\n") as f:
            f.write(html)
        os.replace(temp, args.output)
    except OSError as e:
        raise ReportError(f"cannot write {args.output}: {e.strerror or e}", EXIT_IO) from None
    finally:
        try:
            temp.unlink()
        except FileNotFoundError:
            pass


def main(argv=None, description=None):
    """Writes the report that argv (by default the command line) asks for; returns the exit status."""
    args = parse_args(sys.argv[1:] if argv is None else argv, description)
    plot_messages.PROG = PROG  # the notes of the figures' loading (a shard without statistics) name this program
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))  # to clean up
    try:
        check_output(args)
        options = options_of(args)
        check_sweep_x(args)
        if args.sweep_x is not None:
            options.sweep_x = args.sweep_x
        write(args, page_html(report_of(args, options), PROG))
        print(args.output)
    except ReportError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return e.status
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; nothing written", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0
