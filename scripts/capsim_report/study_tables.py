"""The tables of a study (replications, a sweep, or both): for each sweep point, the key totals, the sites,
the tenants and the waits by job class across the replications. A figure is the mean over the
replications with half its 95 % confidence interval (`96.5 ±3.0`), and below it the p10-p90 of the
replications, from the file's statistics (`stats/*`); a file without them (a shard, or one written with
`output.replications: raw`) gives the mean and the p10-p90 of the replications it holds."""
from dataclasses import dataclass

import numpy as np
from capsim_export.tables import unit_of
from capsim_plots.loading import swept_keys_of

from . import formatting as fmt
from .blocks import Cell, Column, Table
from .run_tables import group_name, is_tenant

REP = "replication"


@dataclass
class Band:
    """One figure across the replications of a point."""
    mean: float
    low: float = np.nan  # the 95 % confidence interval of the mean
    high: float = np.nan
    p10: float = np.nan
    p90: float = np.nan

    def cell(self, text=fmt.human, replications=2):
        """`mean ±half-interval` over `p10 – p90` (the mean alone for one replication)."""
        value = text(self.mean)
        half = (self.high - self.low) / 2
        if np.isfinite(half) and half > 0 and text is fmt.human:
            value += f" ±{fmt.human(half)}"
        elif np.isfinite(half) and half > 0:
            value += f" ±{text(half)}"
        spread = ""
        if replications > 1 and np.isfinite(self.p10) and np.isfinite(self.p90) and self.p10 != self.p90:
            spread = f"{text(self.p10)} – {text(self.p90)}"
        return Cell(value, spread)


class Study:
    """The points of a study file and the bands of its variables."""

    def __init__(self, r):
        self.r = r
        self.keys = swept_keys_of(r)
        ds = next((d for d in (r.stats_totals, r.totals) if d is not None and "point" in d.dims), None)
        self.points = list(ds["point"].values) if ds is not None and "point" in ds.coords else \
            list(range(int(r.attrs.get("points", 1) or 1)))
        self.replications = int(r.attrs.get("replications", 1) or 1)
        self.from_statistics = r.stats_totals is not None

    def point_cells(self, i):
        """The swept values of point i, one per key (or the point's number without a sweep)."""
        return [Cell(k.text(i)) for k in self.keys] if self.keys else [Cell(str(self.points[i]))]

    def point_columns(self):
        if self.keys:
            return [Column(k.name, k.unit, numeric=k.numeric) for k in self.keys]
        return [Column("point", numeric=False)]

    def band(self, source, var, i, **where):
        """The Band of `var` of the group `source` (totals, sites, summary) at point i, or None where the file
        lacks it; `where` selects along the group's other dimensions (group="all", site="lab")."""
        stats = getattr(self.r, f"stats_{source}")
        if stats is not None and var in stats:
            da = stats[var].sel(point=self.points[i], **where)
            get = {name: float(da.sel(statistic=name)) for name in ("mean", "ci95_low", "ci95_high", "p10", "p90")}
            return Band(get["mean"], get["ci95_low"], get["ci95_high"], get["p10"], get["p90"])
        raw = self.raw(source)
        if raw is None or var not in raw:
            return None
        da = raw[var].sel(point=self.points[i], **where)
        v = np.asarray(da.values, dtype=float).reshape(-1)
        v = v[np.isfinite(v)]
        if not len(v):
            return Band(np.nan)
        return Band(float(v.mean()), p10=float(np.percentile(v, 10)), p90=float(np.percentile(v, 90)))

    def raw(self, source):
        """A raw group as a Dataset along point and replication (the summary is a DataFrame in Results)."""
        if source == "summary":
            df = self.r.summary
            if df is None or "point" not in df.columns:
                return None
            keep = [c for c in df.columns if c not in self.r.swept]
            return df[keep].reset_index().set_index(["point", REP, "group"]).to_xarray()
        return getattr(self.r, source)

    def note(self):
        if self.from_statistics:
            return (f"Each value: the mean over the {self.replications} replications of the point ± half its 95 % "
                    "confidence interval; below it, the p10 – p90 of the replications.")
        note = ("This file holds no statistics (a shard, or replications kept raw): each value is the mean over the "
                "replications it holds; below it, their p10 – p90.")
        if str(self.r.attrs.get("shard", "")):
            note += " A dash: a point whose runs another shard holds."
        return note


#: Key totals by point: (group, variable, title, unit, text), the waits from the summary's `all` row.
TOTALS = (("totals", "total_energy_mwh", "facility energy", "MWh", fmt.human),
          ("totals", "total_energy_cost", "electricity cost", "", fmt.human),
          ("totals", "total_carbon_t", "carbon", f"t {fmt.CO2E}", fmt.human),
          ("totals", "total_cost", "total cost", "", fmt.human),
          ("totals", "gpu_hours_stranded", "GPU-hours stranded", "GPU-h", fmt.human),
          ("totals", "jobs_completed", "jobs completed", "jobs", fmt.human),
          ("summary", "wait_mean_s", "mean wait", "all jobs", fmt.duration),
          ("summary", "wait_p95_s", "p95 wait", "all jobs", fmt.duration))


def totals_table(study):
    r = study.r
    currency = str(r.attrs.get("currency", "")) or "currency"
    shown = []
    for group, var, title, unit, text in TOTALS:
        where = {"group": "all"} if group == "summary" else {}
        bands = [study.band(group, var, i, **where) if (group != "summary" or r.has_workloads) else None
                 for i in range(len(study.points))]
        if all(b is None for b in bands):
            continue
        shown.append((Column(title, unit or currency), bands, text))
    rows = []
    for i in range(len(study.points)):
        rows.append(study.point_cells(i) + [b[i].cell(text, study.replications) if b[i] is not None
                                            else Cell(fmt.DASH) for _, b, text in shown])
    return Table("totals-by-point", "Key totals by sweep point" if r.swept else "Key totals across the replications",
                 study.point_columns() + [column for column, _, _ in shown], rows, note=study.note())


SITE_VARIABLES = (("total_energy_mwh", "facility energy", None), ("total_energy_cost", "electricity cost", None),
                  ("total_carbon_t", "carbon", f"t {fmt.CO2E}"),
                  ("peak_facility_power_mw", "peak facility power", None),
                  ("gpu_hours_stranded", "GPU-hours stranded", "GPU-h"))


def sites_table(study):
    r = study.r
    ds = r.stats_sites if r.stats_sites is not None else r.sites
    if ds is None or "site" not in ds.dims:
        return None
    present = [(v, title, unit if unit is not None else unit_of(ds[v])) for v, title, unit in SITE_VARIABLES
               if v in ds and "time" not in ds[v].dims]
    rows = []
    for site in ds["site"].values:
        for i in range(len(study.points)):
            cells = [study.band("sites", v, i, site=site) for v, _, _ in present]
            rows.append([Cell(str(site))] + study.point_cells(i) +
                        [c.cell(fmt.human, study.replications) if c is not None else Cell(fmt.DASH) for c in cells])
    columns = [Column("site", numeric=False)] + study.point_columns() + [Column(t, u) for _, t, u in present]
    return Table("sites-by-point", "Sites by sweep point" if r.swept else "Sites across the replications", columns,
                 rows, note=study.note(), grouped=True)


def summary_groups(study):
    """The summary's groups, and for each whether it had jobs at some point."""
    ds = study.r.stats_summary
    if ds is not None:
        submitted = ds["submitted"].sel(statistic="mean")
        return {str(g): bool(np.nanmax(submitted.sel(group=g).values) > 0) for g in ds["group"].values}
    df = study.r.summary
    if df is None:
        return {}
    return {str(g): bool(df.loc[[g], "submitted"].max() > 0) for g in df.index.unique()}


def tenants_table(study):
    if not study.r.has_workloads:
        return None
    groups = [g for g in summary_groups(study) if is_tenant(g)]
    columns = [("delivered_share", "delivered share", "%", fmt.percent),
               ("demand_gpu_hours", "asked for", "GPU-h", fmt.human),
               ("delivered_gpu_hours", "delivered", "GPU-h", fmt.human),
               ("share_shortfall_gpu_hours", "short of its share", "GPU-h", fmt.human),
               ("wait_mean_s", "mean wait", "", fmt.duration), ("wait_p95_s", "p95 wait", "", fmt.duration)]
    rows = []
    for g in groups:
        for i in range(len(study.points)):
            cells = []
            for var, _, _, text in columns:
                band = study.band("summary", var, i, group=g)
                cells.append(Cell(fmt.DASH) if band is None else band.cell(text, study.replications))
            entitled = study.band("summary", "entitled_share", i, group=g)
            share = f"entitled {fmt.percent(entitled.mean)}" if entitled is not None else ""
            rows.append([Cell(group_name(g), share)] + study.point_cells(i) + cells)
    header = [Column("tenant", numeric=False)] + study.point_columns() + [Column(t, u) for _, t, u, _ in columns]
    return Table("tenants-by-point", "Tenants by sweep point" if study.r.swept else "Tenants across the replications",
                 header, rows, note=study.note() + " Short of its share: how far a tenant fell below its share of the "
                 "delivered GPU-hours, counting only what it asked for.", grouped=True)


def classes_table(study):
    if not study.r.has_workloads:
        return None
    groups = [g for g, had_jobs in summary_groups(study).items() if g.startswith("class:") and had_jobs]
    rows = []
    for g in groups:
        for i in range(len(study.points)):
            cells = [study.band("summary", "submitted", i, group=g)]
            cells = [cells[0].cell(fmt.human, study.replications) if cells[0] is not None else Cell(fmt.DASH)]
            for var in ("wait_mean_s", "wait_p50_s", "wait_p95_s"):
                band = study.band("summary", var, i, group=g)
                cells.append(Cell(fmt.DASH) if band is None else band.cell(fmt.duration, study.replications))
            rows.append([Cell(group_name(g))] + study.point_cells(i) + cells)
    header = [Column("class", numeric=False)] + study.point_columns() + [
        Column("jobs submitted", "jobs"), Column("mean wait"), Column("p50 wait"), Column("p95 wait")]
    return Table("classes-by-point", "Waits by job class and sweep point" if study.r.swept else
                 "Waits by job class across the replications", header, rows,
                 note=study.note() + " Waits until first start; a job still waiting at the end counts with its wait "
                 "so far.", grouped=True)
