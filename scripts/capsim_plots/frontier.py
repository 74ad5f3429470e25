"""The figure of a `capsim plan` file (docs/planning.md): every candidate run on every replication as
cost against attainment (the share of replications meeting every constraint), the frontier through
them, the confidence the plan asked for, and the chosen plan against the runner-up, constraint by
constraint (each constraint's worst value as a share of its bound)."""
import h5py
import matplotlib.pyplot as plt
import numpy as np

from .style import wrap
from .units import fmt_big, fmt_duration

CHOSEN_COLOR = "#2ca02c"
RUNNER_UP_COLOR = "#1f77b4"
FEASIBLE_COLOR = "#7f7f7f"
INFEASIBLE_COLOR = "#d62728"


def is_plan_file(path):
    """True for a file `capsim plan` wrote."""
    try:
        with h5py.File(path, "r") as f:
            value = f.attrs.get("file_kind", b"")
            return (value.decode() if isinstance(value, bytes) else str(value)) == "plan"
    except OSError:
        return False


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def read_plan(path):
    """The candidates, constraints and choice of a plan file, as plain arrays."""
    with h5py.File(path, "r") as f:
        c = f["candidates"]
        plan = {name: c[name][...] for name in ("cost", "attainment", "on_frontier", "replications_run", "feasible")}
        plan["verdict"] = [_text(x) for x in c["verdict"][...]]
        plan["settings"] = [_text(x) for x in c["settings"][...]]
        constraints = f["constraints"]
        plan["constraints"] = [_text(x) for x in constraints["description"][...]]
        plan["units"] = [_text(x) for x in constraints["units"][...]]
        plan["bounds"] = constraints["bound"][...]
        plan["kinds"] = [_text(x) for x in constraints["kind"][...]]
        plan["values"] = np.array([c[f"constraint_{k}_value"][...] for k in range(len(plan["bounds"]))])
        for key in ("chosen", "runner_up", "closest", "replications", "confidence"):
            plan[key] = f.attrs[key]
        plan["currency"] = _text(f.attrs.get("currency", ""))
        plan["scenario"] = _text(f.attrs.get("scenario", ""))
    return plan


def _value_text(value, unit):
    if not np.isfinite(value):
        return "unbounded" if np.isinf(value) else "-"
    return fmt_duration(value) if unit == "s" else f"{value:,.3g} {unit if unit != '1' else ''}".strip()


def plot_frontier(path):
    """One figure: the frontier (left) and the chosen plan against the runner-up (right)."""
    p = read_plan(path)
    complete = p["replications_run"] == p["replications"]
    fig, (ax, bars) = plt.subplots(1, 2, figsize=(12.5, 5.6), gridspec_kw={"width_ratios": [1.35, 1]})
    scale, unit = 1e6, f"M {p['currency']}"
    if np.nanmax(np.where(complete, p["cost"], np.nan), initial=0) > 5e9:
        scale, unit = 1e9, f"bn {p['currency']}"
    cost = p["cost"] / scale
    attained = 100 * p["attainment"]
    for feasible, color, label in ((1, FEASIBLE_COLOR, "feasible"), (0, INFEASIBLE_COLOR, "not feasible")):
        keep = complete & (p["feasible"] == feasible)
        ax.scatter(cost[keep], attained[keep], s=22, color=color, alpha=0.7, label=f"{label} ({keep.sum()})", zorder=2)
    front = np.flatnonzero(complete & (p["on_frontier"] == 1))
    front = front[np.argsort(cost[front])]
    if len(front):
        ax.step(cost[front], attained[front], where="post", color="black", lw=1, label="frontier", zorder=1)
    ax.axhline(100 * p["confidence"], color="black", ls=":", lw=1, label=f"confidence {100 * p['confidence']:.0f} %")
    shown = [(p["chosen"], "chosen", CHOSEN_COLOR, "*"), (p["runner_up"], "runner-up", RUNNER_UP_COLOR, "D")]
    if p["chosen"] < 0:
        shown = [(p["closest"], "closest", INFEASIBLE_COLOR, "*")]
    notes = []
    for index, name, color, marker in shown:
        if index < 0:
            continue
        ax.scatter([cost[index]], [attained[index]], s=160 if marker == "*" else 60, marker=marker, color=color,
                   edgecolor="black", zorder=3, label=name)
        notes.append(f"{name}: {p['settings'][index]} ({fmt_big(p['cost'][index], p['currency'])})")
    ax.set_xlabel(f"cost, {unit} (mean over replications)")
    ax.set_ylabel("replications meeting every constraint (%)")
    ax.set_ylim(-5, 105)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title("cost against attainment\n(candidates run on every replication)", fontsize=10)

    names = [wrap(text, 34) for text in p["constraints"]]
    y = np.arange(len(names))
    height = 0.38
    for offset, (index, name, color, _) in zip((-height / 2, height / 2), shown):
        if index < 0:
            continue
        share = []
        for k, bound in enumerate(p["bounds"]):
            value = p["values"][k, index]
            share.append(np.nan if not np.isfinite(value) else (value / bound if bound else (0.0 if value == 0 else np.inf)))
        share = np.array(share, dtype=float)
        drawn = np.where(np.isfinite(share), share, 0)
        bars.barh(y + offset, 100 * np.clip(drawn, 0, 2), height=height, color=color, label=name)
        for k, s in enumerate(share):
            bars.text(100 * min(drawn[k], 2) + 2, y[k] + offset, _value_text(p["values"][k, index], p["units"][k]),
                      va="center", fontsize=7)
    bars.axvline(100, color="black", ls=":", lw=1)
    bars.set_yticks(y, names, fontsize=8)
    bars.invert_yaxis()
    bars.set_xlim(0, 240)
    bars.set_xlabel("worst value, % of the bound (mean over replications)")
    bars.legend(loc="lower right", fontsize=8)
    bars.set_title("the chosen plan against the runner-up", fontsize=10)
    fig.suptitle(wrap(f"capsim plan: {p['scenario']}", 100), fontsize=12)
    fig.text(0.01, 0.01, "\n".join(wrap(n, 150) for n in notes), fontsize=8, va="bottom")
    fig.tight_layout(rect=(0, 0.08 + 0.03 * len(notes), 1, 0.95))
    return fig
