"""The key totals and tables of a `capsim run` result, as `capsim summary` prints them: totals over the
horizon, each site's totals, each tenant's demand, delivery and share, the jobs and waits of each class and
tenant's class, the p95 wait by year of submission, and what node failures cost. The key totals of a study
point are the medians of its replications (capsim_plots.summary reads them so)."""
import numpy as np
from capsim_export.tables import unit_of
from capsim_plots.data import median, time_edges, values
from capsim_plots.summary import run_total, site_total, summary_median
from capsim_plots.utilization import busy_and_powered

from . import formatting as fmt
from .blocks import Card, Cards, Cell, Column, Table


def currency_of(r):
    return str(r.attrs.get("currency", "")) or "currency"


def utilization(s):
    """Busy GPU-hours over powered GPU-hours, all sites, over the horizon (NaN without workloads)."""
    if s.r.tenants is None:
        return np.nan
    hours = np.diff(time_edges(s.r)) / np.timedelta64(1, "h")
    busy, powered = busy_and_powered(s)
    b, p = median(values(busy)) @ hours, median(values(powered)) @ hours
    return b / p if p > 0 else np.nan


def summary_row(s, group="all"):
    """A row of the summary (medians over replications) as a dict, or {} where there is none."""
    table = summary_median(s)
    return {} if table is None or group not in table.index else table.loc[group].to_dict()


def key_cards(s):
    """The key totals of one series (a run, or a point of a study: medians over its replications)."""
    cur = currency_of(s.r)

    def total(name, fallback=None):
        value = run_total(s, name)
        if not np.isfinite(value) and fallback is not None:
            value = site_total(s, fallback)
        return value

    hardware, facility = total("total_capex_hardware", "total_capex_hardware"), total("total_capex_facility",
                                                                                       "total_capex_facility")
    electricity = total("total_energy_cost", "total_energy_cost")
    cost = run_total(s, "total_cost")
    if not np.isfinite(cost):
        cost = hardware + facility + electricity
    nodes, pflops = run_total(s, "nodes_powered_at_end"), run_total(s, "peak_pflops_powered_at_end")
    powered = [f"{fmt.human(run_total(s, 'gpus_powered_at_end'))} powered"]
    if np.isfinite(nodes):
        powered.append(f"{fmt.human(nodes)} nodes, {fmt.human(pflops)} PFLOP/s peak")
    cards = [
        Card("facility energy", fmt.energy(total("total_energy_mwh", "total_energy_mwh")),
             f"IT {fmt.energy(total('total_it_energy_mwh', 'total_it_energy_mwh'))}"),
        Card("electricity cost", fmt.money(electricity, cur)),
        Card("carbon", fmt.carbon(total("total_carbon_t", "total_carbon_t"))),
        Card("capex", fmt.money(hardware + facility, cur),
             f"hardware {fmt.money(hardware, cur)}, facility {fmt.money(facility, cur)}"),
        Card("total cost", fmt.money(cost, cur), "capex and electricity"),
        Card("depreciation", fmt.money(run_total(s, "total_depreciation"), cur)),
        Card("GPUs installed at the end", fmt.human(run_total(s, "gpus_installed_at_end")), ", ".join(powered)),
        Card("GPU-hours stranded", fmt.human(run_total(s, "gpu_hours_stranded")),
             "in service but dark: over the grid connection"),
    ]
    a = summary_row(s)
    if a:
        waiting = a.get("still_waiting", np.nan)
        done = [f"{fmt.human(a.get('completed'))} completed", f"{fmt.human(a.get('rejected'))} rejected"]
        if np.isfinite(waiting):
            done.append(f"{fmt.human(waiting)} still waiting")
        stops = [f"{fmt.human(a.get('preemptions'))} preemptions"]
        if np.isfinite(a.get("interruptions", np.nan)):
            stops.append(f"{fmt.human(a.get('interruptions'))} interruptions by failures")
        demand = a.get("demand_gpu_hours", np.nan)
        cards += [
            Card("jobs submitted", fmt.human(a.get("submitted")), ", ".join(done)),
            Card("GPU-hours delivered", fmt.human(a.get("delivered_gpu_hours")),
                 f"of {fmt.human(demand)} asked for" if np.isfinite(demand) else ""),
            Card("utilization of powered GPUs", fmt.percent(utilization(s), 0), ", ".join(stops)),
            Card("mean wait", fmt.duration(a.get("wait_mean_s")), f"p50 {fmt.duration(a.get('wait_p50_s'))}"),
            Card("p95 wait", fmt.duration(a.get("wait_p95_s")), f"p99 {fmt.duration(a.get('wait_p99_s'))}"),
        ]
    return cards


def totals_cards(s):
    note = "Waits run from submission to first start; a job still waiting at the end counts with its wait so far."
    if s.replications > 1:
        note = f"Medians of {s.replications} replications. " + note
    return Cards(key_cards(s), note=note if s.r.has_workloads else "")


#: Per-site totals of a run (group `sites`, along `site`): variable, title, unit shown (None: the file's).
SITE_COLUMNS = (("total_energy_mwh", "facility energy", None), ("total_it_energy_mwh", "IT energy", None),
                ("total_energy_cost", "electricity cost", None), ("total_carbon_t", "carbon", f"t {fmt.CO2E}"),
                ("peak_facility_power_mw", "peak facility power", None),
                ("total_capex_hardware", "hardware capex", None), ("total_capex_facility", "facility capex", None),
                ("total_depreciation", "depreciation", None), ("gpu_hours_stranded", "GPU-hours stranded", "GPU-h"),
                ("nodes_powered_at_end", "nodes powered at the end", ""),
                ("peak_pflops_powered_at_end", "peak dense BF16 powered at the end", None))


def sites_table(r):
    """Each site's totals, a column per site (sites are few, their figures many): GPUs at the end, energy, cost,
    carbon, peak power, capex, depreciation, GPU-hours stranded, nodes and PFLOP/s powered at the end."""
    ds = r.sites
    if ds is None or "site" not in ds.dims:
        return None
    quantities = []
    for name in ("installed", "powered"):
        var = f"{name}_gpus"
        if var in ds and "time" in ds[var].dims:
            at_end = ds[var].isel(time=-1).sum([d for d in ds[var].dims if d not in ("site", "time")])
            quantities.append((f"GPUs {name} at the end", "", at_end))
    quantities += [(title, unit if unit is not None else unit_of(ds[var]), ds[var]) for var, title, unit in SITE_COLUMNS
                   if var in ds and ds[var].dims == ("site",)]
    sites = [str(s) for s in ds["site"].values]
    rows = [[Cell(title), Cell(unit)] + [Cell(fmt.human(da.sel(site=site).item())) for site in sites]
            for title, unit, da in quantities]
    columns = [Column("over the horizon", numeric=False), Column("unit", numeric=False)] + [Column(s) for s in sites]
    if len(sites) > 1:
        columns.append(Column("all sites"))
        for row, (title, _, da) in zip(rows, quantities):
            row.append(Cell(fmt.human(da.max().item() if title.startswith("peak facility") else da.sum().item()),
                            "highest site" if title.startswith("peak facility") else ""))
    return Table("sites", "Sites: totals", columns, rows,
                 note="Peak facility power is the highest within any output step; stranded GPU-hours are those of "
                      "GPUs in service but dark, over the grid connection.")


def is_tenant(group):
    return group.startswith("tenant:") and "/" not in group


def shown_groups(summary):
    """As `capsim summary`: every tenant and `all`, and the classes and tenants' classes that had jobs."""
    out = []
    for group, row in summary.iterrows():
        if is_tenant(group) or group == "all" or row.get("submitted", 0) > 0:
            out.append(group)
    return out


def group_name(group):
    """`tenant:industry/class:training` as `industry: training`, `class:research` as `research`."""
    parts = [p.split(":", 1)[-1] for p in group.split("/")]
    return ": ".join(parts) if group != "all" else "all jobs"


def group_cell(group):
    """The group's name, and below it what it is (a tenant, a class, a tenant's class) where tables mix them."""
    kind = "" if group == "all" else "tenant's class" if "/" in group else group.split(":", 1)[0]
    return Cell(group_name(group), kind)


def tenants_table(r):
    """Each tenant's demand, delivery and share against its entitlement, and its jobs' waits."""
    summary = r.summary
    if summary is None:
        return None
    groups = [g for g in summary.index if is_tenant(g)] + [g for g in summary.index if g == "all"]
    rows = []
    for g in groups:
        row = summary.loc[g]
        rows.append([
            Cell(group_name(g)),
            Cell(fmt.percent(row.get("entitled_share"))),
            Cell(fmt.percent(row.get("delivered_share"))),
            Cell(fmt.human(row.get("demand_gpu_hours"))),
            Cell(fmt.human(row.get("delivered_gpu_hours"))),
            Cell(fmt.human(row.get("share_shortfall_gpu_hours"))),
            Cell(fmt.human(row.get("submitted"))),
            Cell(fmt.duration(row.get("wait_mean_s"))),
            Cell(fmt.duration(row.get("wait_p95_s"))),
        ])
    columns = [Column("tenant", numeric=False), Column("entitled share", "%"), Column("delivered share", "%"),
               Column("asked for", "GPU-h"), Column("delivered", "GPU-h"), Column("short of its share", "GPU-h"),
               Column("jobs", "submitted"), Column("mean wait"), Column("p95 wait")]
    return Table("tenants", "Tenants: demand, delivery and share", columns, rows,
                 note="Short of its share: how far a tenant fell below its share of the delivered GPU-hours, "
                      "counting only what it asked for.")


def classes_table(r):
    """The jobs and waits of each job class and each tenant's class that had jobs."""
    summary = r.summary
    if summary is None:
        return None
    groups = [g for g in shown_groups(summary) if not is_tenant(g)]
    groups = [g for g in groups if g.startswith("class:")] + [g for g in groups if "/" in g] + \
        [g for g in groups if g == "all"]
    rows = []
    for g in groups:
        row = summary.loc[g]
        rows.append([group_cell(g)] + [
            Cell(fmt.human(row.get(c))) for c in ("submitted", "completed", "rejected", "still_waiting")] + [
            Cell(fmt.duration(row.get(c))) for c in ("wait_mean_s", "wait_p50_s", "wait_p95_s", "wait_p99_s")] + [
            Cell(fmt.human(row.get("bounded_slowdown_mean")))])
    columns = [Column("jobs of", numeric=False), Column("submitted", "jobs"), Column("completed", "jobs"),
               Column("rejected", "jobs"), Column("still waiting", "jobs"), Column("mean wait"), Column("p50 wait"),
               Column("p95 wait"), Column("p99 wait"), Column("bounded slowdown", "mean")]
    return Table("classes", "Jobs and waits by class", columns, rows,
                 note="Waits until first start. Bounded slowdown: (end - submit) / max(run, 10 s), at least 1, over "
                      "the completed jobs.")


def waits_by_year_table(r):
    """The p95 wait of each group by the calendar year its jobs were submitted in."""
    ds = r.summary_by_year
    if ds is None or r.summary is None or "wait_p95_s" not in ds or "year" not in ds.dims:
        return None
    years = [int(y) for y in ds["year"].values]
    groups = [g for g in shown_groups(r.summary) if "/" not in g]
    rows = []
    for g in groups:
        p95 = ds["wait_p95_s"].sel(group=g)
        submitted = ds["submitted"].sel(group=g) if "submitted" in ds else None
        cells = []
        for y in years:
            n = submitted.sel(year=y).item() if submitted is not None else np.nan
            cells.append(Cell(fmt.duration(p95.sel(year=y).item()), f"{fmt.human(n)} jobs" if np.isfinite(n) else ""))
        rows.append([group_cell(g)] + cells)
    columns = [Column("jobs of", numeric=False)] + [Column(str(y), "p95 wait") for y in years]
    return Table("waits-by-year", "p95 wait by year of submission", columns, rows,
                 note="A job counts in the year it was submitted, whenever it started; the first and last years may "
                      "be partial.")


def failures_table(r):
    """What node failures and stops cost each tenant and class, where a node failed or a job was stopped."""
    summary, sites = r.summary, r.sites
    needed = ("interruptions", "lost_gpu_hours", "ettr_mean", "ettr_weighted")
    if summary is None or sites is None or not all(c in summary.columns for c in needed):
        return None
    failures = float(sites["node_failures"].sum()) if "node_failures" in sites else 0.0
    if failures == 0 and not (summary.loc["all", "interruptions"] > 0 if "all" in summary.index else False):
        return None
    rows = []
    for g in shown_groups(summary):
        row = summary.loc[g]
        rows.append([group_cell(g), Cell(fmt.human(row.get("interruptions"))),
                     Cell(fmt.human(row.get("lost_gpu_hours"))), Cell(fmt.human(row.get("ettr_mean"))),
                     Cell(fmt.human(row.get("ettr_weighted")))])
    columns = [Column("jobs of", numeric=False), Column("interruptions", "by node failures"),
               Column("lost", "GPU-h"), Column("ETTR", "mean over jobs"), Column("ETTR", "GPU-hour weighted")]
    return Table("failures", f"Failures: {fmt.human(failures)} node failures", columns, rows,
                 note="ETTR: the part of the time from a job's first start to its end that went on work it kept.")


#: Key totals side by side (a row per file or study point), as key_cards labels them: what the sites cost
#: and emitted, then what the jobs got.
COMPARED = (("Key totals side by side: sites", ("facility energy", "electricity cost", "carbon", "capex", "total cost",
                                                "GPU-hours stranded")),
            ("Key totals side by side: jobs", ("jobs submitted", "GPU-hours delivered", "utilization of powered GPUs",
                                               "mean wait", "p95 wait")))


def series_cell(s):
    """A series by its scenario, with its sweep point (`rate=40/day`) and its file below."""
    name, _, point = s.label.partition(" [")
    name = name.removesuffix(f" ({s.r.path.name})")
    return Cell(name, " · ".join(p for p in (point.rstrip("]"), s.r.path.name) if p))


def comparison_tables(series):
    """The key totals of several files (a row per file, or per point of a study), as key_cards gives them."""
    cards = [{c.label: c for c in key_cards(s)} for s in series]
    tables = []
    for k, (caption, labels) in enumerate(COMPARED):
        shown = [label for label in labels if any(label in c for c in cards)]
        if not shown:
            continue
        rows = [[series_cell(s)] + [Cell(found[label].value) if label in found else
                                    Cell(fmt.DASH if s.r.has_workloads else "no workloads") for label in shown]
                for s, found in zip(series, cards)]
        columns = [Column("scenario", numeric=False)] + [Column(label) for label in shown]
        tables.append(Table(f"compared-{k + 1}", caption, columns, rows,
                            note="Each value in its own unit; a study's points are the medians of their replications."))
    return tables
