"""The key figures of a `capsim replay` result (its root attributes, as `capsim replay` prints them): the
machine and policy, the jobs simulated, skipped and rejected, waits, flow time, slowdown, utilization and
makespan."""
from . import formatting as fmt
from .blocks import Card, Cards, Cell, Column, Table


def replay_facts(r):
    a = r.attrs
    skipped = fmt.human(a.get("skipped"))
    why = [f"{fmt.human(a[k])} {k.split('_', 1)[1].replace('_', ' ')}" for k in ("skipped_run_time",
                                                                                 "skipped_processors") if k in a]
    return [("trace", str(a.get("source", "?"))),
            ("machine", f"{fmt.human(a.get('processors'))} processors"),
            ("policy", f"{a.get('policy', '?')}, queue order {a.get('order', '?')}"),
            ("records", f"{fmt.human(a.get('records'))} in the trace; {fmt.human(a.get('jobs'))} jobs simulated, "
                        f"{skipped} skipped" + (f" ({', '.join(why)})" if why else "") +
                        f", {fmt.human(a.get('rejected'))} rejected")]


def replay_cards(r):
    a = r.attrs
    return Cards([
        Card("jobs simulated", fmt.human(a.get("jobs")), f"{fmt.human(a.get('rejected'))} rejected"),
        Card("utilization", fmt.percent(a.get("utilization")), "busy processors / the machine's"),
        Card("mean wait", fmt.duration(a.get("wait_mean_s")), f"p50 {fmt.duration(a.get('wait_p50_s'))}"),
        Card("p95 wait", fmt.duration(a.get("wait_p95_s")), f"p99 {fmt.duration(a.get('wait_p99_s'))}"),
        Card("mean flow time", fmt.duration(a.get("flow_mean_s")), "submit to end"),
        Card("bounded slowdown", fmt.human(a.get("bounded_slowdown_mean")),
             f"mean; max {fmt.human(a.get('bounded_slowdown_max'))}"),
        Card("makespan", fmt.duration(a.get("makespan_s")), "first submit to last end"),
    ], note=f"Bounded slowdown: (end - submit) / max(run, {fmt.human(a.get('bounded_slowdown_tau_s', 10))} s), "
            "at least 1.")


#: The summary of several replays side by side: (attribute, title, text).
COMPARED = (("jobs", "jobs simulated", fmt.human), ("utilization", "utilization", fmt.percent),
            ("wait_mean_s", "mean wait", fmt.duration), ("wait_p50_s", "p50 wait", fmt.duration),
            ("wait_p95_s", "p95 wait", fmt.duration), ("wait_p99_s", "p99 wait", fmt.duration),
            ("flow_mean_s", "mean flow time", fmt.duration), ("bounded_slowdown_mean", "bounded slowdown", fmt.human),
            ("makespan_s", "makespan", fmt.duration))


def replay_comparison_table(series, names):
    rows = [[Cell(name, s.r.path.name)] + [Cell(text(s.r.attrs.get(attr))) for attr, _, text in COMPARED]
            for s, name in zip(series, names)]
    columns = [Column("replay", numeric=False)] + [Column(title, "mean" if attr == "bounded_slowdown_mean" else "")
                                                   for attr, title, _ in COMPARED]
    return Table("compared", "Replays side by side", columns, rows)
