"""Writing a table as CSV: a header row of `name [unit]`, numbers as Python writes them (the shortest text
that reads back as the same double), dates as `YYYY-MM-DD HH:MM:SS` (UTC), empty cells where a value is
missing (NaN, a job that never started)."""
import numpy as np
import pandas as pd

from .tables import Table

CHUNK_ROWS = 200_000


def date_texts(values: np.ndarray) -> np.ndarray:
    """datetime64 values as `YYYY-MM-DD HH:MM:SS` texts ("" for NaT), the form of the file's `start` and `end`,
    which spreadsheets read as dates."""
    texts = np.datetime_as_string(values.astype("datetime64[s]"), unit="s").astype(object)
    texts = np.array([t.replace("T", " ") for t in texts], dtype=object)
    texts[np.isnat(values)] = ""
    return texts


def csv_values(column, start, stop) -> np.ndarray:
    values = column.values[start:stop]
    return date_texts(values) if column.kind == "date" else values


def write_csv(table: Table, path) -> None:
    """Writes the table to path, CHUNK_ROWS rows at a time (so that a job table of millions of rows is never
    all text in memory)."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        for start in range(0, max(table.rows, 1), CHUNK_ROWS):
            stop = min(table.rows, start + CHUNK_ROWS)
            frame = pd.DataFrame({i: csv_values(c, start, stop) for i, c in enumerate(table.columns)})
            frame.columns = table.headers
            frame.to_csv(out, index=False, header=start == 0, na_rep="", lineterminator="\n")
