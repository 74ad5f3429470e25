"""The report of a `capsim plan` file (docs/planning.md): the search (runs, grid, confidence), the chosen
plan against the runner-up (decisions, cost, each constraint's worst value and attainment), the frontier
of cost against attainment as a table, and the frontier figure plot_results.py draws."""
import h5py
import numpy as np
from capsim_plots.frontier import plot_frontier, read_plan

from . import formatting as fmt
from .blocks import Cell, Column, Facts, Paragraph, Section, Table
from .figures import figure_block


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def _value(value, unit):
    if np.isinf(value):
        return "unbounded (jobs turned away)"
    if not np.isfinite(value):
        return "-"
    return fmt.duration(value) if unit == "s" else f"{fmt.human(value)} {'' if unit == '1' else unit}".strip()


def plan_report_parts(path, dpi):
    """(title, subtitle, sections) of the plan file at `path`."""
    p = read_plan(path)
    with h5py.File(path, "r") as f:
        attrs = {k: f.attrs[k] for k in f.attrs}
        keys = _text(attrs.get("decided_keys", "")).splitlines()
        texts = [[_text(x) for x in f["candidates"][f"decision_{d}_text"][...]] for d in range(len(keys))]
        constraint_attainment = np.array([f["candidates"][f"constraint_{k}_attainment"][...]
                                          for k in range(len(p["bounds"]))])
    currency = p["currency"]
    facts = [("scenario", _text(attrs.get("scenario", ""))), ("source", _text(attrs.get("source", ""))),
             ("candidates evaluated", f"{fmt.human(len(p['settings']))} of a grid of {fmt.human(attrs['grid_size'])}"),
             ("runs", f"{fmt.human(attrs['runs'])} (budget {fmt.human(attrs['budget'])}"
                      f"{', spent' if attrs['budget_spent'] else ''})"),
             ("confidence", f"every constraint in {attrs['required_replications']} of {attrs['replications']} "
                            f"replications ({100 * attrs['confidence']:.0f} %)"),
             ("discount rate", f"{100 * attrs['discount_rate_per_year']:g} % a year")]
    shown = [(int(p["chosen"]), "chosen"), (int(p["runner_up"]), "runner-up")]
    if p["chosen"] < 0:
        shown = [(int(p["closest"]), "closest (no candidate is feasible)")]
    shown = [(i, name) for i, name in shown if i >= 0]
    blocks = []
    if shown:
        columns = [Column("", numeric=False)] + [Column(name, numeric=False) for _, name in shown]
        rows = [[key] + [texts[d][i] for i, _ in shown] for d, key in enumerate(keys)]
        rows.append([f"cost ({currency})"] + [fmt.money(p["cost"][i]) for i, _ in shown])
        rows.append(["replications meeting every constraint"] +
                    [f"{int(round(p['attainment'][i] * p['replications']))} of {p['replications']}" for i, _ in shown])
        for k, description in enumerate(p["constraints"]):
            rows.append([description] + [Cell(_value(p["values"][k, i], p["units"][k]),
                                              f"held in {fmt.percent(constraint_attainment[k, i], 0)}")
                                         for i, _ in shown])
        blocks.append(Table("choice", "The chosen plan against the runner-up", columns, rows,
                            note="Each constraint's worst value over its groups and years, mean over the "
                                 "replications; below it, the share of replications in which it held."))
    else:
        blocks.append(Paragraph("No candidate could be evaluated.", "note"))
    complete = p["replications_run"] == p["replications"]
    front = [i for i in np.argsort(p["cost"]) if complete[i] and p["on_frontier"][i] == 1]
    frontier = Table("frontier", "Frontier: no cheaper candidate meets the constraints in as many replications",
                     [Column("cost", currency), Column("attainment", "%"), Column("verdict", numeric=False),
                      Column("decisions", numeric=False)],
                     [[fmt.money(p["cost"][i]), f"{100 * p['attainment'][i]:.0f}", _text(p["verdict"][i]),
                       p["settings"][i]] for i in front])
    figure = figure_block(plot_frontier(path), "frontier", "Cost against attainment",
                          "Every candidate run on every replication; the frontier; the chosen plan against the "
                          "runner-up, constraint by constraint.", dpi)
    sections = [Section("plan", "The search", [Facts(facts)]), Section("choice", "The plan", blocks),
                Section("frontier", "Frontier", [frontier]), Section("figures", "Figures", [figure])]
    return f"Plan: {_text(attrs.get('scenario', ''))}", f"capsim plan · {fmt.human(attrs['runs'])} runs", sections
