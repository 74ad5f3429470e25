"""The program's name as its messages give it, its notes on stderr, and the errors it reports in one line
with their exit status."""
import sys

PROG = "report_results.py"
EXIT_USAGE, EXIT_BAD_INPUT, EXIT_IO = 64, 65, 74


def note(message):
    print(f"{PROG}: note: {message}", file=sys.stderr)


class ReportError(Exception):
    """A failure to report in one line on stderr, with the exit status it gives."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status
