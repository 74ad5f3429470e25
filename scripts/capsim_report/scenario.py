"""What a result file says of its scenario, from the YAML texts among its root attributes (docs/output.md):
the description as written (`scenario_with_overrides`, the file with its --set), and as simulated
(`scenario_resolved`: every default filled in, values in base units) the sites' settings, the build-out
orders and the tenants and workloads. In a study, a setting that is swept is named with its values at the
sweep's points, since the resolved text is one scenario of the study."""
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import yaml
from capsim_plots.loading import swept_keys_of

from . import formatting as fmt
from .blocks import Cell, Column, Table


def scenario_yaml(r, attribute="scenario_resolved"):
    """The scenario text of the file as a mapping ({} where the file has none or it cannot be read)."""
    text = r.attrs.get(attribute)
    if not isinstance(text, str) or not text.strip():
        return {}
    try:
        tree = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    return tree if isinstance(tree, dict) else {}


def description(r):
    """The scenario's `description` as its author wrote it (free text, or any YAML value; a --set of it
    included), or ""."""
    value = (scenario_yaml(r, "scenario_with_overrides") or scenario_yaml(r, "scenario_text")).get("description")
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True).strip()


def overrides(r):
    """The `--set` overrides the file was run with, one per line, less those that set a swept key (a study
    records each point's values there)."""
    swept = set(r.swept)
    lines = [line.strip() for line in str(r.attrs.get("scenario_overrides", "")).splitlines() if line.strip()]
    return [line for line in lines if line.split("=", 1)[0].strip() not in swept]


def swept_texts(r):
    """{swept key path: its value at each point, as text}."""
    return {k.key: [k.text(i) for i in range(len(k.values))] for k in swept_keys_of(r)} if r.swept else {}


def swept_detail(swept, prefix):
    """"swept: 30 kW, 45 kW, 60 kW" for the swept keys under `prefix` (a key path, or its start: a key below it
    is named from the last part of the prefix, `grid[1].capacity swept: ...`), else ""."""
    found = []
    base = prefix.rsplit(".", 1)[0] + "." if "." in prefix else ""
    for key, texts in swept.items():
        if key == prefix or key.startswith(prefix + ".") or key.startswith(prefix + "["):
            values = ", ".join(dict.fromkeys(texts))
            found.append(f"swept: {values}" if key == prefix else f"{key[len(base):]} swept: {values}")
    return "; ".join(found)


def ranged(value, scale=1.0):
    """(low, high) of a resolved value: a number, or the range of a time-varying one ({varies, min, max})."""
    if isinstance(value, dict):
        low, high = fmt.finite(value.get("min")), fmt.finite(value.get("max"))
    else:
        low = high = fmt.finite(value)
    if low is None or high is None:
        return None
    return low * scale, high * scale


def range_text(value, scale=1.0):
    bounds = ranged(value, scale)
    if bounds is None:
        return fmt.DASH
    low, high = bounds
    return fmt.human(low) if low == high else f"{fmt.human(low)}–{fmt.human(high)} (varies)"


def settings_table(r):
    """Each site's settings: grid connection, PUE, electricity price, carbon intensity, facility capex."""
    tree = scenario_yaml(r)
    sites = [s for s in tree.get("sites") or [] if isinstance(s, dict)]
    if not sites:
        return None
    currency = str(r.attrs.get("currency", "")) or "currency"
    grids = [ranged(s.get("grid_w")) for s in sites]
    top = max([b[1] for b in grids if b is not None] or [0.0])
    watts, unit = (1e6, "MW") if top >= 1e6 else (1e3, "kW")
    swept = swept_texts(r)
    rows = []
    for i, s in enumerate(sites):
        at = f"sites[{i}]"
        rows.append([
            Cell(str(s.get("name", "?")), str(s.get("country") or "")),
            Cell(range_text(s.get("grid_w"), 1 / watts), swept_detail(swept, f"{at}.grid")),
            Cell(range_text(s.get("pue")), swept_detail(swept, f"{at}.pue")),
            Cell(range_text(s.get("electricity_per_mwh")), swept_detail(swept, f"{at}.electricity")),
            Cell(range_text(s.get("carbon_g_per_kwh")), swept_detail(swept, f"{at}.carbon")),
            Cell(range_text(s.get("facility_capex_per_w")), swept_detail(swept, f"{at}.facility_capex")),
        ])
    columns = [Column("site", "country", numeric=False), Column("grid connection", unit), Column("PUE"),
               Column("electricity", f"{currency}/MWh"), Column("carbon intensity", f"g {fmt.CO2E}/kWh"),
               Column("facility capex", f"{currency}/W")]
    return Table("settings", "Sites: settings", columns, rows,
                 note="A setting that changes over time shows its range (its steps are in the scenario file).")


@dataclass
class Order:
    """A build-out order as simulated: dates from the order, its lead time, commissioning and lifetime."""
    index: int
    site: str
    node: str
    gpu: str
    gpus_per_node: float
    count: float
    spare_nodes: float
    ordered: pd.Timestamp
    delivered: pd.Timestamp
    in_service: pd.Timestamp
    retires: object  # a Timestamp, or None: never retired
    price_per_node: float


def timestamp(value):
    try:
        return pd.Timestamp(value)
    except (TypeError, ValueError):
        return None


def seconds(value):
    """A resolved duration in seconds (0 where missing), None for `never`."""
    if value is None:
        return 0.0
    if isinstance(value, str) and value.strip() == "never":
        return None
    v = fmt.finite(value)
    return 0.0 if v is None else v


def orders(r):
    tree = scenario_yaml(r)
    nodes = (tree.get("catalog") or {}).get("nodes") or {}
    out = []
    for i, o in enumerate(tree.get("buildout") or []):
        if not isinstance(o, dict):
            continue
        ordered = timestamp(o.get("ordered"))
        if ordered is None:
            continue
        node = nodes.get(o.get("node"), {}) if isinstance(nodes, dict) else {}
        delivered = ordered + pd.Timedelta(seconds=seconds(o.get("lead_time_s")) or 0.0)
        in_service = delivered + pd.Timedelta(seconds=seconds(o.get("commissioning_s")) or 0.0)
        lifetime = seconds(o.get("lifetime_s"))
        out.append(Order(i, str(o.get("site", "?")), str(o.get("node", "?")), str(node.get("gpu", "?")),
                         fmt.finite(node.get("gpus")) or np.nan, fmt.finite(o.get("count")) or 0.0,
                         fmt.finite(o.get("spare_nodes")) or 0.0, ordered, delivered, in_service,
                         None if lifetime is None else in_service + pd.Timedelta(seconds=lifetime),
                         fmt.finite(o.get("price_per_node")) or np.nan))
    return out


def when(t, r):
    """A date, with a detail where it falls outside the horizon."""
    if t is None:
        return Cell("never")
    day = f"{t:%Y-%m-%d}"  # a lifetime of years in days of 24 h ends at some hour: the day says enough
    if r.end is not None and t >= r.end:
        return Cell(day, "after the horizon")
    if r.start is not None and t < r.start:
        return Cell(day, "before the start")
    return Cell(day)


def buildout_table(r):
    """The orders: where, what, how many, and when they arrive, enter service and retire, with their capex."""
    found = orders(r)
    if not found:
        return None
    currency = str(r.attrs.get("currency", "")) or "currency"
    swept = swept_texts(r)
    rows = []
    for o in found:
        at = f"buildout[{o.index}]"
        gpus = o.count * o.gpus_per_node
        spares = f"{fmt.human(o.spare_nodes)} spare" if o.spare_nodes else ""
        rows.append([
            Cell(o.site, swept_detail(swept, f"{at}.site")),
            Cell(o.node, swept_detail(swept, f"{at}.node")),
            Cell(f"{o.gpu} × {fmt.human(o.gpus_per_node)}", ""),
            Cell(fmt.human(o.count), "; ".join(t for t in (spares, swept_detail(swept, f"{at}.count")) if t)),
            Cell(fmt.human(gpus)),
            Cell(fmt.date(o.ordered), swept_detail(swept, f"{at}.ordered")),
            when(o.delivered, r),
            when(o.in_service, r),
            when(o.retires, r),
            Cell(fmt.human(o.price_per_node), swept_detail(swept, f"{at}.price")),
            Cell(fmt.human(o.price_per_node * o.count)),
        ])
    columns = [Column("site", numeric=False), Column("node type", numeric=False),
               Column("GPUs per node", numeric=False),
               Column("nodes"), Column("GPUs"), Column("ordered", numeric=False),
               Column("delivered", numeric=False), Column("in service", numeric=False),
               Column("retired", numeric=False), Column("price per node", currency),
               Column("hardware capex", currency)]
    note = ("Delivered: ordered + lead time (installed, not yet usable); in service: delivered + commissioning; "
            "retired: in service + lifetime. Hardware capex is booked when ordered; an order before the start "
            "is a fleet already installed.")
    return Table("buildout", "Build-out: orders", columns, rows, note=note)


RATE_UNITS = ((86400.0, "day"), (3600.0, "h"))


def workloads_table(r):
    """Each workload: its tenant and class, and for generated jobs the arrival rate at the start and its growth."""
    tree = scenario_yaml(r)
    workloads = [w for w in tree.get("workloads") or [] if isinstance(w, dict)]
    if not workloads:
        return None
    shares = {str(t.get("name")): fmt.finite(t.get("share")) for t in tree.get("tenants") or [] if isinstance(t, dict)}
    total = sum(v for v in shares.values() if v) or 1.0
    swept = swept_texts(r)
    rows = []
    for i, w in enumerate(workloads):
        arrivals = w.get("arrivals") if isinstance(w.get("arrivals"), dict) else {}
        rate = fmt.finite(arrivals.get("rate_per_s"))
        growth = fmt.finite(arrivals.get("growth_per_year"))
        kind = "reservation" if "reservation" in w else "trace" if "trace" in w else "generated jobs"
        gpus = w.get("gpus")
        size = re.sub(r"\s+", " ", str(gpus)) if gpus is not None and kind != "reservation" else ""
        share = shares.get(str(w.get("tenant")))
        rows.append([
            Cell(str(w.get("name", "?")), kind),
            Cell(str(w.get("tenant", "?")), f"share {fmt.percent(share / total, 0)}" if share else ""),
            Cell(str(w.get("class", "?"))),
            Cell(fmt.human(rate * 86400) if rate is not None else fmt.DASH,
                 swept_detail(swept, f"workloads[{i}].arrivals.rate")),
            Cell(fmt.percent(growth, 0) if growth is not None else fmt.DASH,
                 swept_detail(swept, f"workloads[{i}].arrivals.growth")),
            Cell(size, swept_detail(swept, f"workloads[{i}].gpus")),
        ])
    columns = [Column("workload", numeric=False), Column("tenant", numeric=False), Column("class", numeric=False),
               Column("arrivals at the start", "jobs per day"), Column("growth", "per year"),
               Column("GPUs per job", numeric=False)]
    return Table("workloads", "Workloads", columns, rows,
                 note="GPUs per job as drawn: choice(size: probability, ...). A reservation holds its GPUs over "
                      "its windows; a trace replays its jobs.")
