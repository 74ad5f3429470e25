"""The program's name, as its messages give it, and its notes on stderr."""
import sys

PROG = "plot_results.py"


def note(message):
    print(f"{PROG}: note: {message}", file=sys.stderr)
