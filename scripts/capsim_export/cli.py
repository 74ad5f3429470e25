"""The command line of export_results.py: its options, reading the file, checking and staging the outputs
(written under temporary names and renamed only once all of them are complete), messages and the exit
status."""
import argparse
import os
import signal
import sys
from pathlib import Path

from capsim_results import NotCapsimResult, open_results

from .csv_files import write_csv
from .tables import file_tables

PROG = "export_results.py"
EXIT_USAGE, EXIT_BAD_INPUT, EXIT_UNAVAILABLE, EXIT_IO = 64, 65, 69, 74


class ArgumentParser(argparse.ArgumentParser):
    """Exits with EXIT_USAGE (argparse's own status is 2), the message named by PROG."""

    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"{PROG}: error: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


class ExportError(Exception):
    """A failure to report in one line, with its exit status."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


def warn(message):
    print(f"{PROG}: warning: {message}", file=sys.stderr)


class Staging:
    """Output files written as NAME.tmp.PID beside their final names: commit() renames them all, rollback()
    removes them and the folders made for them, so that a failed export leaves nothing that looks complete."""

    def __init__(self):
        self.files = []  # (temporary, final)
        self.made = []  # folders created, outermost first

    def folder(self, path: Path):
        missing = []
        for parent in [path, *path.parents]:
            if parent.exists():
                break
            missing.append(parent)
        path.mkdir(parents=True, exist_ok=True)
        self.made += reversed(missing)

    def temporary(self, final: Path) -> Path:
        temp = final.with_name(f"{final.name}.tmp.{os.getpid()}")
        self.files.append((temp, final))
        return temp

    def commit(self):
        for temp, final in self.files:
            os.replace(temp, final)
        self.files, self.made = [], []

    def rollback(self):
        for temp, _ in self.files:
            try:
                temp.unlink()
            except FileNotFoundError:
                pass
        for folder in reversed(self.made):
            try:
                folder.rmdir()
            except OSError:
                pass
        self.files, self.made = [], []


def parse_args(argv, description=None):
    parser = ArgumentParser(prog=PROG, description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", metavar="RESULTS.h5", type=Path,
                        help="a file written by `capsim run`, `capsim merge` or `capsim replay`")
    parser.add_argument("--csv", metavar="DIR", type=Path, help="write one CSV file per table into DIR (created if "
                                                                "missing)")
    parser.add_argument("--xlsx", metavar="FILE", type=Path, help="write one workbook, a sheet per table")
    parser.add_argument("--no-jobs", action="store_true", help="leave out the job table (the longest by far)")
    parser.add_argument("--force", action="store_true", help="overwrite the files of an earlier export")
    args = parser.parse_args(argv)
    if args.csv is None and args.xlsx is None:
        parser.error("nothing to write: give --csv DIR, --xlsx FILE or both")
    if args.xlsx is not None:
        try:
            workbook().max_rows_allowed()
        except ValueError as e:
            parser.error(str(e))
    return args


def workbook():
    """The XLSX writer, imported only for --xlsx: CSV needs no openpyxl."""
    try:
        from . import workbook as module
    except ImportError as e:
        print(f"{PROG}: error: --xlsx needs openpyxl ({e}); on Debian: apt install python3-openpyxl",
              file=sys.stderr)
        sys.exit(EXIT_UNAVAILABLE)
    return module


def read(path: Path):
    try:
        return open_results(path, jobs=False)
    except FileNotFoundError as e:
        raise ExportError(f"{e.filename}: no such file" if e.filename else str(e), EXIT_IO) from None
    except NotCapsimResult as e:
        raise ExportError(str(e), EXIT_BAD_INPUT) from None
    except OSError as e:
        raise ExportError(f"cannot read {e.filename or path}: {e.strerror or e}", EXIT_IO) from None


def tables_of(r, jobs):
    try:
        return file_tables(r, jobs=jobs)
    except OSError as e:
        raise ExportError(f"cannot read {e.filename or r.path}: {e.strerror or e}", EXIT_IO) from None
    except (KeyError, ValueError, TypeError) as e:
        raise ExportError(f"{r.path}: not a complete capsim result file ({e})", EXIT_BAD_INPUT) from None


def check_outputs(args, tables):
    """Refuses outputs that are folders where files go (or files where a folder goes), or that an earlier
    export wrote, unless --force."""
    if args.csv is not None:
        if args.csv.exists() and not args.csv.is_dir():
            raise ExportError(f"{args.csv} exists and is not a folder", EXIT_IO)
        clash = [args.csv / f"{t.name}.csv" for t in tables if (args.csv / f"{t.name}.csv").exists()]
        if clash and not args.force:
            more = f" (and {len(clash) - 1} more)" if len(clash) > 1 else ""
            raise ExportError(f"output '{clash[0]}'{more} exists; use --force to overwrite it", EXIT_USAGE)
    if args.xlsx is not None:
        if args.xlsx.is_dir():
            raise ExportError(f"{args.xlsx} is a folder, not a workbook file", EXIT_IO)
        if args.xlsx.exists() and not args.force:
            raise ExportError(f"output '{args.xlsx}' exists; use --force to overwrite it", EXIT_USAGE)
        if not args.xlsx.parent.is_dir():
            raise ExportError(f"cannot write {args.xlsx}: no folder {args.xlsx.parent}", EXIT_IO)
        if args.xlsx.suffix.lower() != ".xlsx":
            warn(f"{args.xlsx} does not end in .xlsx: Excel may refuse to open it")


def overview(r):
    """The lines at the top of the workbook's about sheet."""
    a = r.attrs
    kind = "study" if r.is_study else ("single run" if r.kind == "run" else "replay")
    lines = [("capsim results", r.label), ("file", str(r.path)), ("kind", kind)]
    if a.get("scenario"):
        lines.append(("scenario", str(a["scenario"])))
    if a.get("source"):
        lines.append(("source", str(a["source"])))
    if r.start is not None:
        lines.append(("horizon", f"{a['start']} to {a['end']} (UTC; the end is exclusive)"))
    if "timestep_s" in a:
        lines.append(("output step", f"{float(a['timestep_s']):g} s"))
    if r.is_study:
        lines.append(("study", f"{a.get('points', '?')} points x {a.get('replications', '?')} replications"))
        lines.append(("swept keys", ", ".join(r.swept) if r.swept else "none"))
    if "policy" in a:
        lines.append(("replay", f"policy {a['policy']}, order {a.get('order', '?')}, "
                                f"{a.get('processors', '?')} processors"))
    revision = f" (revision {a['capsim_revision']})" if a.get("capsim_revision") else ""
    lines.append(("capsim version", f"{a.get('capsim_version')}{revision}"))
    lines.append(("exported by", "scripts/export_results.py: one sheet per table, units in brackets after "
                                 "each column's name, dates in UTC"))
    return lines


def export(args):
    r = read(args.results)
    tables = tables_of(r, jobs=not args.no_jobs)
    check_outputs(args, tables)
    staging = Staging()
    written = []
    try:
        if args.csv is not None:
            staging.folder(args.csv)
            for table in tables:
                final = args.csv / f"{table.name}.csv"
                write_csv(table, staging.temporary(final))
                written.append(final)
        if args.xlsx is not None:
            workbook().write_workbook(tables, staging.temporary(args.xlsx), overview(r), warn)
            written.append(args.xlsx)
        staging.commit()
    except OSError as e:
        staging.rollback()
        raise ExportError(f"cannot write {e.filename or args.csv or args.xlsx}: {e.strerror or e}", EXIT_IO) from None
    except BaseException:
        staging.rollback()
        raise
    return written


def main(argv=None, description=None):
    """Exports the file that argv (by default the command line) names; returns the exit status."""
    args = parse_args(sys.argv[1:] if argv is None else argv, description)
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))  # to clean up
    try:
        for path in export(args):
            print(path)
    except ExportError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return e.status
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; nothing written", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0
