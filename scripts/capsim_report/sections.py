"""The report's sections for the files given: for each file, by its kind (KINDS: a single run, a study, a
replay), its key totals, what was simulated, its tables and, where it is the only file of its family (runs
and studies, or replays), its figures; with several files of a family, a comparison first: their key
totals side by side and the figures drawn for them together, as plot_results.py draws them. A plan file
(is_plan) has a report of its own, plan_sections.py."""
from dataclasses import dataclass, field

import h5py
import pandas as pd
from capsim_plots.loading import load_series
from capsim_plots.replay import short_names
from capsim_plots.style import series_colors

from . import formatting as fmt
from . import run_tables, scenario, study_tables
from .blocks import Facts, Paragraph, Section
from .figures import replay_figures, run_figures, skipped_figures
from .replay_tables import replay_cards, replay_comparison_table, replay_facts


@dataclass
class Options:
    sweep_x: str = None  # the swept key on the sweep figure's x axis (default: the first)
    targets: list = field(default_factory=list)  # capsim_plots.targets.Target lines on the sweep figure
    dpi: int = 144


@dataclass
class Report:
    title: str
    subtitle: str
    sections: list


def is_plan(path):
    """True for a file of `capsim plan` (root attribute file_kind = plan: candidates along `candidate`, no sites),
    which capsim_results does not read and plan_sections.py reports."""
    try:
        with h5py.File(path, "r") as f:
            return str(f.attrs.get("file_kind", "")) == "plan" or str(f.attrs.get("title", "")).startswith(
                "capsim plan:")
    except OSError:  # not HDF5, or unreadable: capsim_results says which
        return False


def kind_of(r):
    """`run` (a single `capsim run`), `study` (replications or a sweep) or `replay`."""
    if r.kind == "replay":
        return "replay"
    return "study" if r.is_study else "run"


def family_of(kind):
    """Files drawn in the same figures: runs with studies, replays with replays."""
    return "replay" if kind == "replay" else "run"


def horizon(r):
    if r.start is None or r.end is None:
        return fmt.DASH
    last = r.end - pd.Timedelta(1, "s")
    return f"{fmt.date(r.start)} to {fmt.date(last.normalize())} ({(r.end - r.start).days:,} days)"


def provenance(r):
    a = r.attrs
    revision = f" (revision {a['capsim_revision']})" if a.get("capsim_revision") else ""
    return [("file", str(r.path)), ("written by", f"capsim {a.get('capsim_version', '?')}{revision}")]


def run_facts(r, kind):
    a = r.attrs
    items = [("scenario file", str(a.get("source", fmt.DASH))), ("horizon", horizon(r)),
             ("output step", fmt.step(a.get("timestep_s"))), ("seed", str(a.get("seed", fmt.DASH))),
             ("currency", str(a.get("currency", fmt.DASH)))]
    if kind == "study":
        size = f"{fmt.human(a.get('points'))} points × {fmt.human(a.get('replications'))} replications"
        if str(a.get("shard", "")):
            size += f"; shard {a['shard']} ({fmt.human(a.get('runs'))} runs)"
        items.insert(0, ("study", size))
        items.insert(1, ("swept", ", ".join(r.swept) if r.swept else "nothing (replications only)"))
    sets = scenario.overrides(r)
    if sets:
        items.append(("--set", "; ".join(sets)))
    return Facts(items + provenance(r))


def scenario_section(prefix, r, kind):
    blocks = []
    text = scenario.description(r)
    if text:
        blocks.append(Paragraph(text, "description"))
    blocks.append(run_facts(r, kind))
    if kind == "study" and r.swept:
        blocks.append(Paragraph("The settings below are those of one point of the study; a swept setting names "
                                "its values at the points.", "note"))
    blocks += [t for t in (scenario.settings_table(r), scenario.buildout_table(r), scenario.workloads_table(r))
               if t is not None]
    return Section(f"{prefix}scenario", "Scenario", blocks)


def figures_section(prefix, figures, notes=()):
    blocks = [Paragraph(f"Not drawn: {name} ({why}).", "note") for name, why in notes] + list(figures)
    return Section(f"{prefix}figures", "Figures", blocks)


def run_sections(prefix, r, series, figures):
    s = series[0]
    out = [Section(f"{prefix}totals", "Key totals", [run_tables.totals_cards(s)]), scenario_section(prefix, r, "run")]
    sites = run_tables.sites_table(r)
    if sites is not None:
        out.append(Section(f"{prefix}sites", "Sites", [sites]))
    jobs = [t for t in (run_tables.tenants_table(r), run_tables.classes_table(r), run_tables.waits_by_year_table(r),
                        run_tables.failures_table(r)) if t is not None]
    if jobs:
        out.append(Section(f"{prefix}jobs", "Tenants and jobs", jobs))
    return out + figures


def study_sections(prefix, r, series, figures):
    study = study_tables.Study(r)
    out = [Section(f"{prefix}totals", "Key totals", [study_tables.totals_table(study)]),
           scenario_section(prefix, r, "study")]
    sites = study_tables.sites_table(study)
    if sites is not None:
        out.append(Section(f"{prefix}sites", "Sites", [sites]))
    jobs = [t for t in (study_tables.tenants_table(study), study_tables.classes_table(study)) if t is not None]
    if jobs:
        out.append(Section(f"{prefix}jobs", "Tenants and jobs", jobs))
    return out + figures


def replay_sections(prefix, r, series, figures):
    return [Section(f"{prefix}totals", "Key figures", [replay_cards(r)]),
            Section(f"{prefix}replay", "Replay", [Facts(replay_facts(r) + provenance(r))])] + figures


#: The sections of one file, by its kind: builder(prefix, results, its series, its figures section or []).
KINDS = {"run": run_sections, "study": study_sections, "replay": replay_sections}


def family_figures(prefix, series, files, options):
    """The figures of the files of one family, drawn together."""
    if family_of(kind_of(files[0])) == "replay":
        return figures_section(prefix, replay_figures(series, options.dpi))
    return figures_section(prefix, run_figures(series, files, options.sweep_x, options.targets, options.dpi),
                           skipped_figures(series))


def comparison(prefix, series, files, options):
    if family_of(kind_of(files[0])) == "replay":
        tables = [replay_comparison_table(series, short_names(series))]
        title = "Replays compared"
    else:
        tables = run_tables.comparison_tables(series)
        title = "Runs compared"
    figures = family_figures(f"{prefix}", series, files, options)
    return Section(prefix.rstrip("-"), title, tables, subsections=[figures])


def capitalized(title):
    """A file's label as a heading: `Replay of ...` (a scenario's name stays as written)."""
    return title[:1].upper() + title[1:]


def subtitle_of(r):
    kind = kind_of(r)
    if kind == "replay":
        return f"capsim replay of {r.attrs.get('source', '?')}"
    if kind == "study":
        return (f"capsim study: {fmt.human(r.attrs.get('points'))} points × "
                f"{fmt.human(r.attrs.get('replications'))} replications · {horizon(r)}")
    return f"capsim run · {horizon(r)}"


def build_report(paths, options):
    """The Report of the files (read here: FileNotFoundError, NotCapsimResult or OSError where one cannot be)."""
    series, files = load_series(paths, need_jobs=True)
    families = {}
    for r in files:
        families.setdefault(family_of(kind_of(r)), []).append(r)
    # Colours counted within each family, as plot_results.py gives them to the files it draws together.
    for members in families.values():
        mine = [s for s in series if any(s.r.path == r.path for r in members)]
        for s, color in zip(mine, series_colors(len(mine))):
            s.color = color
    by_file = {id(r): [s for s in series if s.r.path == r.path] for r in files}
    sections = []
    for name, members in families.items():
        if len(members) > 1:
            mine = [s for r in members for s in by_file[id(r)]]
            sections.append(comparison(f"compare-{name}-", mine, members, options))
    for k, r in enumerate(files):
        prefix = f"file{k + 1}-" if len(files) > 1 else ""
        family = families[family_of(kind_of(r))]
        figures = [family_figures(prefix, by_file[id(r)], [r], options)] if len(family) == 1 else []
        inner = KINDS[kind_of(r)](prefix, r, by_file[id(r)], figures)
        if len(files) == 1:
            sections += inner
        else:
            if len(family) > 1:
                inner.append(Section(f"{prefix}figures", "Figures", [Paragraph(
                    "Drawn with the other files, in the comparison above.", "note")]))
            sections.append(Section(f"file{k + 1}", f"{capitalized(r.label)} ({r.path.name})",
                                    [Paragraph(subtitle_of(r), "note")], subsections=inner))
    if len(files) == 1:
        return Report(capitalized(files[0].label), subtitle_of(files[0]), sections)
    names = ", ".join(r.label for r in files)
    return Report(f"capsim results: {len(files)} files", names, sections)
