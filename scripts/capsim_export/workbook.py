"""Writing the tables as one XLSX workbook with openpyxl's write-only mode (rows stream to disk, so a
million-row sheet needs little memory): an `about` sheet first, then one sheet per table with its header
row bold and frozen, numbers as numbers, dates as dates, empty cells where values are missing. A sheet
longer than Excel's row limit is cut, with a note beside its header."""
import os
import re

import numpy as np
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .tables import Table

#: Rows of an Excel sheet, the header included.
EXCEL_MAX_ROWS = 1_048_576
#: For tests: a smaller row limit (the header included), to cut small sheets as the job table is cut.
MAX_ROWS_VARIABLE = "CAPSIM_XLSX_MAX_ROWS"
SHEET_NAME_MAX = 31
CHUNK_ROWS = 20_000
BOLD = Font(bold=True)
NOTE = Font(bold=True, italic=True, color="C00000")


def max_rows_allowed() -> int:
    """Excel's row limit, or the smaller one CAPSIM_XLSX_MAX_ROWS sets (for tests); ValueError if it is not an
    integer from 2 to Excel's limit."""
    text = os.environ.get(MAX_ROWS_VARIABLE, "")
    if not text:
        return EXCEL_MAX_ROWS
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 2 <= value <= EXCEL_MAX_ROWS:
        raise ValueError(f"{MAX_ROWS_VARIABLE}={text}: expected an integer from 2 to {EXCEL_MAX_ROWS}")
    return value


def sheet_names(names) -> list:
    """Sheet names Excel accepts: at most 31 characters, none of []:*?/\\, unique (ignoring case); a name
    shortened onto another's gets ~2, ~3, ..."""
    out, taken = [], set()
    for name in names:
        clean = re.sub(r"[\[\]:*?/\\]", "-", name).strip("'") or "sheet"
        candidate, n = clean[:SHEET_NAME_MAX], 1
        while candidate.lower() in taken:
            n += 1
            suffix = f"~{n}"
            candidate = clean[:SHEET_NAME_MAX - len(suffix)] + suffix
        taken.add(candidate.lower())
        out.append(candidate)
    return out


def text_cell(ws, value):
    """A text that Excel would take for a formula or an error code, kept as text."""
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell


def cell_values(ws, column, start, stop) -> list:
    """The column's values from start to stop as openpyxl takes them: None for an empty cell."""
    values = column.values[start:stop]
    if column.kind == "number":
        if values.dtype.kind == "f":
            bad = ~np.isfinite(values)
            if bad.any():
                values = values.astype(object)
                values[bad] = None
        return values.tolist()
    if column.kind == "date":
        return values.astype("datetime64[us]").astype(object).tolist()  # NaT becomes None
    out = []
    for v in values.tolist():
        if isinstance(v, str):
            if v == "":
                v = None
            elif v.startswith("=") or v in ERROR_CODES:
                v = text_cell(ws, v)
        elif isinstance(v, float) and not np.isfinite(v):
            v = None
        out.append(v)
    return out


def column_width(column) -> float:
    if column.kind == "date":
        return 20
    width = len(column.header)
    if column.kind in ("text", "mixed") and len(column.values):
        width = max(width, max(len(str(v)) for v in column.values[:200]))
    return min(max(width + 2, 8), 60)


def header_row(ws, headers, font=BOLD):
    row = []
    for text in headers:
        cell = WriteOnlyCell(ws, value=text)
        cell.data_type = "s"
        cell.font = font
        row.append(cell)
    return row


def cut_note(kept, rows, max_rows) -> str:
    return (f"cut at Excel's row limit ({max_rows:,} rows with this header): the first {kept:,} of {rows:,} rows; "
            "the CSV export (--csv) keeps them all")


def write_table_sheet(ws, table: Table, kept, max_rows):
    for i, column in enumerate(table.columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = column_width(column)
    ws.freeze_panes = "A2"
    header = header_row(ws, table.headers)
    if kept < table.rows:
        note = WriteOnlyCell(ws, value=cut_note(kept, table.rows, max_rows))
        note.font = NOTE
        header.append(note)
    ws.append(header)
    for start in range(0, kept, CHUNK_ROWS):
        stop = min(kept, start + CHUNK_ROWS)
        for row in zip(*(cell_values(ws, c, start, stop) for c in table.columns)):
            ws.append(row)


def write_about_sheet(ws, overview, contents, about: Table):
    """What the workbook is and holds: the file's scenario, horizon and version, one line per sheet, then the
    root attributes."""
    for width, letter in zip((24, 90, 22, 30), "ABCD"):
        ws.column_dimensions[letter].width = width
    title, *lines = overview
    ws.append(header_row(ws, title))
    for key, value in lines:
        ws.append([key, text_cell(ws, value) if isinstance(value, str) else value])
    ws.append([])
    ws.append(header_row(ws, ["sheet", "holds", "rows", "rows along"]))
    for row in contents:
        ws.append(row)
    ws.append([])
    ws.append(header_row(ws, ["attribute", "value", "unit"]))
    for row in zip(*(cell_values(ws, c, 0, about.rows) for c in about.columns)):
        ws.append(row)


def write_workbook(tables, path, overview, warn):
    """Writes the tables (the first is `about`) to path; warn(message) is told of each sheet that is cut.
    overview: [(title, label), (key, value), ...] for the top of the about sheet."""
    max_rows = max_rows_allowed()
    about, rest = tables[0], tables[1:]
    names = sheet_names(["about"] + [t.name for t in rest])
    kept = [min(t.rows, max_rows - 1) for t in rest]
    contents = []
    for name, table, k in zip(names[1:], rest, kept):
        rows = table.rows if k == table.rows else f"{k:,} of {table.rows:,} (cut at Excel's row limit)"
        along = ", ".join(table.dims) if table.dims else "name, value, unit"
        contents.append([name, table.description, rows, along])
    wb = Workbook(write_only=True)
    write_about_sheet(wb.create_sheet(names[0]), overview, contents, about)
    for name, table, k in zip(names[1:], rest, kept):
        if k < table.rows:
            warn(f"sheet '{name}' cut at Excel's row limit: the first {k:,} of its {table.rows:,} rows "
                 f"(the CSV export keeps them all)")
        write_table_sheet(wb.create_sheet(name), table, k, max_rows)
    wb.save(path)
