"""What a report is made of, before it is HTML: sections holding paragraphs, lists of facts, cards of key
totals, tables (a caption, columns headed with their units, rows of texts) and figures (PNG images). The
page module lays these out; the other modules only fill them."""
from dataclasses import dataclass, field


@dataclass
class Cell:
    """A table cell: its text and, below it in small type, a detail (the p10-p90 of replications, a note)."""
    text: str
    detail: str = ""


@dataclass
class Column:
    """A table column: its title, the unit of its values (shown under the title; empty where each value
    says its own, as waits do) and whether it holds numbers (right-aligned)."""
    title: str
    unit: str = ""
    numeric: bool = True


@dataclass
class Table:
    key: str  # the table's id on the page, unique within a section
    caption: str
    columns: list  # of Column; the first heads the rows
    rows: list  # of lists of str or Cell, one per column
    note: str = ""  # how to read it, below the table
    grouped: bool = False  # rows in runs of the same first cell (a site's points): the name shown once a run

    def __post_init__(self):
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"table {self.key}: a row of {len(row)} cells under {len(self.columns)} columns")


@dataclass
class Card:
    """A key total shown large: `facility energy` `97.4 MWh` (`IT 74.9 MWh`)."""
    label: str
    value: str
    detail: str = ""


@dataclass
class Cards:
    cards: list
    note: str = ""


@dataclass
class Facts:
    """Name and value pairs (provenance, horizon, study size)."""
    items: list  # of (name, value)


@dataclass
class Paragraph:
    text: str
    kind: str = ""  # "" a paragraph, "description" the scenario's own words, "note" a remark in grey


@dataclass
class Figure:
    name: str  # the figure's name in plot_results.py (gpus, power, ...), unique within a section
    title: str
    caption: str
    png_base64: str
    width_px: int  # the width and height at which it is shown, in CSS pixels, before the page narrows it
    height_px: int


@dataclass
class Section:
    key: str  # the id on the page, unique in the report
    title: str
    blocks: list = field(default_factory=list)
    subsections: list = field(default_factory=list)  # Sections, one level down
