"""The summary figure: one page for a slide with the key totals, GPUs over time, delivered against entitled
share and wait by job class (facility power and energy per year for scenarios without workloads). Beyond
MAX_BAR_SERIES series (the points of a sweep) the bars become lines through the series, against the swept
value where there is one, and the key totals' table, its names in the series' colours, is the key."""
import textwrap

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .data import REP, median, time_edges, union, values
from .loading import sites_of, tenants_of
from .points import category_lines, series_axis, style_series_axis
from .power import power_unit
from .style import (SCENARIO_COLORS, STRANDED_COLOR, draw, many, replication_note, same_for_all, series_list,
                    set_time_limits, shared_study, short_label, stack, style_axes, wrap)
from .units import duration_unit, fmt_big, fmt_carbon, fmt_duration, fmt_energy, plural, tick_format
from .utilization import busy_and_powered

CLASSES = ("urgent", "inference", "training", "fine-tuning", "research")
MAX_BAR_SERIES = 6  # more series than this: a bar each in every category would be too thin to read


def attr_or(s, name, fallback=np.nan):
    value = s.r.attrs.get(name, fallback)
    if isinstance(value, (list, tuple)):  # one value per replication
        return float(np.nanmedian(np.asarray(value, dtype=float)))
    try:
        return float(value)
    except (TypeError, ValueError):
        return fallback


def run_total(s, name, fallback=np.nan):
    """A total of the run from the `totals` group (the median over replications), else a root attribute."""
    totals = s.r.totals
    if totals is not None and name in totals.data_vars:
        da = totals[name]
        return float(da.median(REP)) if REP in da.dims else float(da)
    return attr_or(s, name, fallback)


def site_total(s, var):
    ds = s.r.sites
    if var not in ds:
        return np.nan
    total = ds[var].sum("site")
    return float(total.median(REP)) if REP in total.dims else float(total)


def summary_median(s, q=0.5):
    """The summary group as group x variable: its quantile q over replications (the median by default)."""
    df = s.r.summary
    if df is None:
        return None
    df = df.drop(columns=[c for c in (REP,) if c in df.columns]).select_dtypes(include="number")
    return df.groupby(level=0, sort=False).quantile(q)


def summary_getter(series, prefix, scale=1.0):
    """get(s, name, column, q=0.5): a value of the summary row `prefix:name`, NaN where absent."""
    tables = {(s.label, q): summary_median(s, q) for s in series for q in (0.1, 0.5, 0.9)}

    def get(s, name, col, q=0.5):
        t = tables[s.label, q]
        key = f"{prefix}:{name}"
        return scale * t.loc[key, col] if t is not None and key in t.index and col in t.columns else np.nan

    return get


def spread(get, col, scale=1.0):
    """p10-p90 over replications, for the error bars of a summary bar chart (None without replications)."""
    def of(s, c):
        if s.r.summary is None or REP not in s.r.summary.columns:
            return None
        return get(s, c, col, 0.1) / scale, get(s, c, col, 0.9) / scale
    return of


def key_totals(s, job_rows=True):
    currency = str(s.r.attrs.get("currency", ""))
    capex = run_total(s, "total_capex_hardware") + run_total(s, "total_capex_facility")
    if not np.isfinite(capex):
        capex = site_total(s, "total_capex_hardware") + site_total(s, "total_capex_facility")
    sm = summary_median(s)
    busy_hours = np.nan
    if s.r.tenants is not None:
        x = time_edges(s.r)
        hours = np.diff(x) / np.timedelta64(1, "h")
        busy, powered = busy_and_powered(s)
        b = median(values(busy)) @ hours
        p = median(values(powered)) @ hours
        busy_hours = b / p if p > 0 else np.nan
    rows = [
        ("GPUs installed / powered (end)",
         f"{run_total(s, 'gpus_installed_at_end'):,.0f} / {run_total(s, 'gpus_powered_at_end'):,.0f}"),
        ("GPU-hours stranded (dark)", fmt_big(run_total(s, "gpu_hours_stranded"))),
        ("facility energy", fmt_energy(run_total(s, "total_energy_mwh", site_total(s, "total_energy_mwh")))),
        ("electricity cost", fmt_big(run_total(s, "total_energy_cost", site_total(s, "total_energy_cost")), currency)),
        ("carbon", fmt_carbon(run_total(s, "total_carbon_t", site_total(s, "total_carbon_t")))),
        ("capex (hardware + facility)", fmt_big(capex, currency)),
        ("depreciation", fmt_big(run_total(s, "total_depreciation"), currency)),
    ]
    if sm is not None and "all" in sm.index and job_rows:
        a = sm.loc["all"]
        rows += [
            ("jobs submitted", f"{a['submitted']:,.0f}"),
            ("completed / rejected", f"{a['completed']:,.0f} / {a['rejected']:,.0f}"),
            ("preemptions", f"{a['preemptions']:,.0f}"),
            ("GPU-hours delivered", fmt_big(a["delivered_gpu_hours"])),
            ("utilization of powered GPUs", f"{100 * busy_hours:.0f} %" if np.isfinite(busy_hours) else "–"),
            ("wait: mean / p95", f"{fmt_duration(a['wait_mean_s'])} / {fmt_duration(a['wait_p95_s'])}"),
        ]
    elif job_rows:
        rows += [("jobs", "no workloads")]
    return rows


def column_labels(series):
    """Scenario labels for table columns: what differs between them, if they share a long beginning."""
    labels = [s.label for s in series]
    prefix = labels[0]
    for lab in labels[1:]:
        while not lab.startswith(prefix):
            prefix = prefix[:-1]
    cut = prefix.rfind("[") if "[" in prefix else prefix.rfind(" ")
    if len(series) > 1 and cut >= 10 and all(len(lab) > cut + 1 for lab in labels):
        return [lab[cut:].strip(" []") for lab in labels]
    return labels


# The key totals as columns, for a table with a row per series, and their headers.
TOTALS_AS_COLUMNS = (("facility energy", "facility\nenergy"), ("electricity cost", "electricity\ncost"),
                     ("carbon", "carbon"), ("GPU-hours stranded (dark)", "GPU-hours\nstranded"),
                     ("completed / rejected", "jobs\ncompleted\n/ rejected"), ("wait: mean / p95", "wait:\nmean / p95"))
MAX_TOTALS_COLUMNS = 4  # more series than this: a row per series instead of a column


def row_names(series):
    """(header, names) of the rows of many series: a study's points by their swept values alone, the keys
    named once in the header ("pue, electricity, rate" over "1.1, 80 USD/MWh, 20/day")."""
    keys = series[0].keys
    if shared_study(series) and keys and all(s.keys is keys and s.point >= 0 for s in series):
        return ", ".join(k.name for k in keys), [", ".join(k.text(s.point) for k in keys) for s in series]
    return "", column_labels(series)


ROW_NAME_WIDTH = 26  # characters; longer names of rows go on several lines


def summary_totals_rows_panel(ax, series):
    """The key totals with a row per series (many points of a sweep, whose columns would not fit)."""
    ax.axis("off")
    tables = [dict(key_totals(s)) for s in series]
    columns = [(key, head) for key, head in TOTALS_AS_COLUMNS if any(key in t for t in tables)]
    workloads = any(s.r.has_workloads for s in series)
    corner, names = row_names(series)
    cells = [[wrap(name, ROW_NAME_WIDTH)] + [t.get(key, "no workloads" if workloads and not s.r.has_workloads else "–")
                                             for key, _ in columns] for name, s, t in zip(names, series, tables)]
    header = [wrap(corner, ROW_NAME_WIDTH)] + [head for _, head in columns]
    lines = [max(1 + head.count("\n") for head in header)] + [1 + row[0].count("\n") for row in cells]
    height = min(1.0, 0.028 * sum(lines) + 0.03 * len(lines))
    table = ax.table(cellText=cells, colLabels=header, loc="upper left", cellLoc="right", edges="horizontal",
                     bbox=(0, 1 - height, 1, height))
    table.auto_set_font_size(False)
    table.set_fontsize(7.5)
    # Each column as wide as its longest text (CO2e set as mathtext counts a few characters more than it shows).
    longest = [max(len(line.replace("$_2$", "2")) for text in [header[c]] + [r[c] for r in cells]
                   for line in text.split("\n")) + 4 for c in range(len(header))]
    longest[0] *= 1.6  # bold, and digits in bold are wider than the average character
    widths = np.array(longest, dtype=float) / sum(longest)
    for (row, col), cell in table.get_celld().items():
        cell.set_edgecolor("0.85")
        cell.set_width(widths[col])
        cell.set_height(0.1 * (lines[row] + 0.8))  # relative: the bbox scales the table to its height
        if col == 0:
            cell._loc = "left"
            cell.get_text().set_ha("left")
            if row > 0:
                cell.get_text().set_color(series[row - 1].color)
                cell.get_text().set_fontweight("bold")
    ax.set_title("Key totals over the horizon", loc="left", fontsize=11, fontweight="bold")


def summary_totals_panel(ax, series):
    if len(series) > MAX_TOTALS_COLUMNS:
        summary_totals_rows_panel(ax, series)
        return
    ax.axis("off")
    any_jobs = any(s.r.has_workloads for s in series)
    tables = [key_totals(s, job_rows=s.r.has_workloads or not any_jobs) for s in series]
    labels = union([[label for label, _ in t] for t in tables])
    cells = []
    for label in labels:
        row = [label]
        for s, t in zip(series, tables):
            row.append(dict(t).get(label, "no workloads" if any_jobs and not s.r.has_workloads else "–"))
        cells.append(row)
    if len(series) == 1:
        col_labels = None
    else:
        col_labels = [""] + [textwrap.fill(lab, 18 if len(series) <= 2 else 12) for lab in column_labels(series)]
    height = min(1.0, 0.07 * (len(cells) + (1.6 if col_labels else 0)))
    table = ax.table(cellText=cells, colLabels=col_labels, loc="upper left", cellLoc="left", edges="horizontal",
                     bbox=(0, 1 - height, 1, height))
    table.auto_set_font_size(False)
    table.set_fontsize(9.5 if len(series) == 1 else 8.5 if len(series) == 2 else 7.5)
    label_width = 0.52 if len(series) == 1 else 0.42
    for (row, col), cell in table.get_celld().items():
        cell.set_edgecolor("0.85")
        cell.set_width(label_width if col == 0 else (1 - label_width) / len(series))
        if col > 0:
            cell.get_text().set_fontweight("bold")
            cell._loc = "right"
            cell.get_text().set_ha("right")
        if row == 0 and col_labels is not None:
            cell.get_text().set_color(series[col - 1].color if col > 0 else "black")
            cell.set_height(cell.get_height() * 1.6)
    ax.set_title("Key totals over the horizon", loc="left", fontsize=11, fontweight="bold")


GPU_STYLES = {"installed": dict(ls="--", lw=1.2), "powered": dict(ls="-", lw=1.8), "stranded": dict(ls=":", lw=1.6)}


def summary_gpus_panel(ax, series):
    single = len(series) == 1
    counts = {name: [values(s.r.sites[f"{name}_gpus"].sum(["site", "gpu"])) for s in series] for name in GPU_STYLES}
    # A count the same in every series (the build-out a sweep leaves alone) is drawn once, grey.
    same_clock = same_for_all([time_edges(s.r).astype("int64") for s in series])
    shared = {name for name, ys in counts.items()
              if not single and same_clock and same_for_all([median(y) for y in ys])}
    for name in shared:
        draw(ax, time_edges(series[0].r), median(counts[name][0]), "0.25", **GPU_STYLES[name], zorder=3)
    for k, s in enumerate(series):
        x = time_edges(s.r)
        installed, powered, stranded = (counts[name][k] for name in GPU_STYLES)
        if single:
            base = stack(ax, x, [powered], ["#6baed6"], ["powered"])
            stack(ax, x, [stranded], [STRANDED_COLOR], ["stranded (dark)"], base=base)
            draw(ax, x, installed, "black", "installed", lw=1.3)
        else:
            for name, style in GPU_STYLES.items():
                if name not in shared:
                    draw(ax, x, counts[name][k], s.color, band=not many(series), **style)
    ax.set_title("GPUs, all sites", loc="left", fontsize=11, fontweight="bold")
    style_axes(ax, "GPUs")
    top = ax.dataLim.y1 if np.isfinite(ax.dataLim.y1) and ax.dataLim.y1 > 0 else 1.0
    ax.set_ylim(0, top * 1.2)
    if single:
        ax.legend(loc="upper left", fontsize=8.5, frameon=False, ncol=3)
    else:
        words = {"installed": "installed", "powered": "powered", "stranded": "stranded (dark)"}
        handles = [Line2D([], [], color="0.25" if name in shared else "0.3", **style,
                          label=words[name] + (" (the same in all)" if name in shared else ""))
                   for name, style in GPU_STYLES.items()]
        ax.legend(handles=handles, loc="upper left", fontsize=8.5, frameon=False, ncol=3)
    set_time_limits([ax], series)


def grouped_bars(ax, categories, series, value_of, marker_of=None, bar_label=None, marker_label=None,
                 fmt=lambda v: f"{v:.3g}", single=None, spread_of=None):
    """Bars per category, one per series; an optional black marker per bar (an entitlement, a percentile)."""
    n = len(series)
    width = 0.8 / n
    xs = np.arange(len(categories))
    single = n == 1 if single is None else single
    for k, s in enumerate(series):
        vals = np.array([value_of(s, c) for c in categories], dtype=float)
        pos = xs - 0.4 + width * (k + 0.5)
        color = "#6baed6" if single else s.color
        bars = ax.bar(pos, np.nan_to_num(vals), width * 0.9, color=color)
        ranges = [spread_of(s, c) for c in categories] if spread_of is not None else []
        if ranges and all(r is not None for r in ranges):
            lo, hi = np.array(ranges, dtype=float).T
            ax.errorbar(pos, vals, yerr=[np.clip(vals - lo, 0, None), np.clip(hi - vals, 0, None)], fmt="none",
                        ecolor="0.25", elinewidth=1, capsize=3, zorder=5)
        if single:
            for b, v in zip(bars, vals):
                if np.isfinite(v):
                    ax.annotate(fmt(v), (b.get_x() + b.get_width() / 2, b.get_height()), xytext=(0, 2),
                                textcoords="offset points", ha="center", va="bottom", fontsize=8)
        if marker_of is not None:
            marks = np.array([marker_of(s, c) for c in categories], dtype=float)
            ax.hlines(marks, pos - width * 0.45, pos + width * 0.45, colors="black", lw=2.2, zorder=4)
    ax.set_xticks(xs)
    ax.set_xlim(-0.6, len(categories) - 0.4)
    ax.grid(True, axis="y", color="0.9", lw=0.6)
    ax.set_axisbelow(True)
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(tick_format))
    handles = [Patch(color="#6baed6" if single else "0.6", label=bar_label + ("" if single else " (bars)"))]
    if marker_of is not None:
        handles.append(Line2D([], [], color="black", lw=2.2, label=marker_label))
    return handles


def room_above(ax):
    """Headroom over the bars for the legend in the panel's top corner, clear of the values above the bars."""
    ax.margins(y=0.15)
    low, high = ax.get_ylim()
    ax.set_ylim(low, high + 0.25 * (high - low))


def summary_lines_legend(ax, lines, styles):
    """The legend of a panel of lines through the series: the categories' colours, then the line styles."""
    ax.legend(handles=list(lines) + list(styles), fontsize=7.5, frameon=False, loc="upper left", ncol=2,
              handlelength=1.8, columnspacing=1.0)
    low, high = ax.get_ylim()
    ax.set_ylim(low, high + 0.35 * (high - low))  # room for the legend above the lines


def summary_shares_lines(ax, series):
    """Delivered (solid, p10-p90 of the replications as bars) and entitled (dashed) share of each tenant,
    through the series."""
    tenant_names = union(tenants_of(s) for s in series)
    get = summary_getter(series, "tenant", scale=100)
    axis = series_axis(series)
    colors = [SCENARIO_COLORS[k % len(SCENARIO_COLORS)] for k in range(len(tenant_names))]
    lines = category_lines(ax, series, axis, tenant_names, lambda s, c: get(s, c, "delivered_share"), colors,
                           spread_of=spread(get, "delivered_share"))
    category_lines(ax, series, axis, tenant_names, lambda s, c: get(s, c, "entitled_share"), colors, ls="--",
                   marker="", lw=1.1)
    ax.grid(True, color="0.9", lw=0.6)
    ax.set_ylabel("share of GPU-hours (%)")
    ax.set_ylim(bottom=0)
    style_series_axis(ax, axis)
    ax.set_title("Delivered vs entitled share", loc="left", fontsize=11, fontweight="bold")
    summary_lines_legend(ax, lines, [Line2D([], [], color="0.3", label="delivered"),
                                     Line2D([], [], color="0.3", ls="--", label="entitled")])


def summary_waits_lines(ax, series, classes):
    """The p95 (solid) and mean (dotted) wait of each job class with jobs, through the series."""
    get = summary_getter(series, "class")
    classes = [c for c in classes if any(get(s, c, "submitted") > 0 for s in series)] or classes
    top = np.nanmax([0.0] + [get(s, c, col) for s in series for c in classes for col in ("wait_mean_s", "wait_p95_s")])
    div, unit = duration_unit(top)
    axis = series_axis(series)
    colors = [SCENARIO_COLORS[CLASSES.index(c) % 10] if c in CLASSES else "0.4" for c in classes]
    lines = category_lines(ax, series, axis, classes, lambda s, c: get(s, c, "wait_p95_s") / div, colors)
    category_lines(ax, series, axis, classes, lambda s, c: get(s, c, "wait_mean_s") / div, colors, ls=":",
                   marker="", lw=1.2)
    ax.grid(True, color="0.9", lw=0.6)
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(tick_format))
    ax.set_ylabel(f"wait ({unit})")
    ax.set_ylim(bottom=0)
    if top == 0:
        ax.set_ylim(0, 1)
    style_series_axis(ax, axis)
    ax.set_title("Wait by job class", loc="left", fontsize=11, fontweight="bold")
    summary_lines_legend(ax, lines, [Line2D([], [], color="0.3", label="p95"),
                                     Line2D([], [], color="0.3", ls=":", label="mean")])


def summary_shares_panel(ax, series, single):
    if len(series) > MAX_BAR_SERIES:
        summary_shares_lines(ax, series)
        return
    tenant_names = union(tenants_of(s) for s in series)
    get = summary_getter(series, "tenant", scale=100)
    handles = grouped_bars(ax, tenant_names, series, lambda s, c: get(s, c, "delivered_share"),
                           lambda s, c: get(s, c, "entitled_share"), bar_label="delivered", marker_label="entitled",
                           fmt=lambda v: f"{v:.0f} %", single=single, spread_of=spread(get, "delivered_share"))
    if single or len(series) <= 2:
        ax.set_xticklabels([short_label(n, 12 if single else 9) for n in tenant_names], fontsize=8.5 if single else 8)
    else:
        ax.set_xticklabels(tenant_names, fontsize=8, rotation=45, ha="right", rotation_mode="anchor")
    ax.set_ylabel("share of GPU-hours (%)")
    ax.set_title("Delivered vs entitled share" if not single else "Delivered against entitled share", loc="left",
                 fontsize=11, fontweight="bold")
    room_above(ax)
    ax.legend(handles=handles, fontsize=8, frameon=False, loc="upper right")


def summary_waits_panel(ax, series, single):
    classes = union([[g.split(":", 1)[1] for g in s.r.summary.index.unique() if g.startswith("class:")]
                     for s in series if s.r.summary is not None]) or list(CLASSES)
    if len(series) > MAX_BAR_SERIES:
        summary_waits_lines(ax, series, classes)
        return
    get = summary_getter(series, "class")

    top = np.nanmax([0.0] + [get(s, c, col) for s in series for c in classes for col in ("wait_mean_s", "wait_p95_s")])
    div, unit = duration_unit(top)
    handles = grouped_bars(ax, classes, series, lambda s, c: get(s, c, "wait_mean_s") / div,
                           lambda s, c: get(s, c, "wait_p95_s") / div, bar_label="mean", marker_label="p95",
                           fmt=lambda v: f"{v:.2g}", single=single, spread_of=spread(get, "wait_mean_s", div))
    if single:
        counts = [get(series[0], c, "submitted") for c in classes]
        ax.set_xticklabels([f"{c}\n{n:,.0f}" if np.isfinite(n) else c for c, n in zip(classes, counts)],
                           fontsize=8.5)
        xlabel = "job class (jobs submitted)"
    else:
        if len(series) <= 2:
            ax.set_xticklabels([short_label(c, 9) for c in classes], fontsize=8)
        else:
            ax.set_xticklabels(classes, fontsize=8, rotation=45, ha="right", rotation_mode="anchor")
        xlabel = "job class"
    p95 = [get(s, c, "wait_p95_s") for s in series for c in classes]
    if all(v == 0 or not np.isfinite(v) for v in p95):
        xlabel += "\np95 = 0 in every class: over 95 % of\nthe jobs started at once"
    ax.set_xlabel(xlabel, fontsize=8.5)
    ax.set_ylabel(f"wait ({unit})")
    ax.set_title("Wait by job class" if not single else "Wait until first start, by job class", loc="left",
                 fontsize=11, fontweight="bold")
    room_above(ax)
    ax.legend(handles=handles, fontsize=8, frameon=False, loc="upper right")


def summary_power_panel(ax, series):
    """For scenarios without workloads: facility power against the grid, all sites."""
    single = len(series) == 1
    factor, unit = power_unit(series, ["facility_power_mw", "grid_capacity_mw"])
    for s in series:
        x = time_edges(s.r)
        ds = s.r.sites
        draw(ax, x, values(ds["facility_power_mw"].sum("site")) * factor, "#1f77b4" if single else s.color,
             "facility power (mean)" if single else None, lw=1.3)
        draw(ax, x, values(ds["grid_capacity_mw"].sum("site")) * factor, "black" if single else s.color,
             "grid capacity" if single else None, ls="--", lw=1.4)
    ax.set_title("Facility power, all sites", loc="left", fontsize=11, fontweight="bold")
    style_axes(ax, f"power ({unit})")
    ax.set_ylim(bottom=0)
    ax.margins(y=0.12)
    ax.legend(handles=None if single else [Line2D([], [], color="0.3", label="facility power (mean)"),
                                           Line2D([], [], color="0.3", ls="--", label="grid capacity")],
              fontsize=8, frameon=False, loc="lower right")
    set_time_limits([ax], series)


def summary_energy_panel(ax, series):
    """For scenarios without workloads: facility energy per calendar year."""
    years = sorted(union([sorted(set(pd.DatetimeIndex(s.r.sites["time"].values).year)) for s in series]))

    def energy(s, year):
        e = s.r.sites["energy_mwh"].sum("site")
        if REP in e.dims:
            e = e.median(REP)
        e = e.to_series()
        return float(e[e.index.year == year].sum()) if (e.index.year == year).any() else np.nan

    grouped_bars(ax, years, series, energy, bar_label="facility energy", fmt=fmt_energy, single=len(series) == 1)
    ax.set_xticklabels([str(y) for y in years], fontsize=8.5)
    ax.set_ylabel("energy (MWh)")
    ax.set_title("Facility energy per year", loc="left", fontsize=11, fontweight="bold")
    ax.margins(y=0.15)


def plot_summary(series):
    single = len(series) == 1
    crowd = many(series)  # the table, its names in the series' colours, is the key
    # A slide; taller where the key totals have more rows than it holds.
    fig = plt.figure(figsize=(13.33, 7.5 + max(0, len(series) - 24) * 0.22), constrained_layout=True)
    if single:
        s = series[0]
        start, end = s.r.start, s.r.end - pd.Timedelta(1, "s")
        title = s.label
        n_sites, n_tenants = len(sites_of(s)), len(tenants_of(s))
        sub = (f"{start.day} {start:%b %Y} to {end.day} {end:%b %Y} · {plural(n_sites, 'site')} · "
               f"{plural(n_tenants, 'tenant') if n_tenants else 'no workloads'} · "
               f"capsim {s.r.attrs.get('capsim_version', '')}, {s.r.attrs.get('source', s.r.path.name)}")
    else:
        study = shared_study(series)
        if study:
            keys = union([s.r.swept for s in series])
            title = f"{study}: {len(series)} points of a sweep over {', '.join(keys)}"
        else:
            title = "Comparison: " + series_list(series, limit=150)
        spans = [f"{s.r.start:%b %Y} to {(s.r.end - pd.Timedelta(1, 's')):%b %Y}" for s in series]
        if len(set(spans)) == 1:
            sub = spans[0]
        elif len(set(s.source for s in series)) < len(series):  # points of studies: one span per file
            sub = " · ".join(union([[f"{s.source}: {span}"] for s, span in zip(series, spans)]))
        else:
            sub = " · ".join(f"{lab}: {span}" for lab, span in zip(column_labels(series), spans))
    if replication_note(series):
        sub += f" · {replication_note(series)}, error bars: p10-p90"
    title = wrap(title, 100)
    sub = wrap(sub, 170)
    legend_rows = 0 if single or crowd else -(-len(series) // 3)
    fig.suptitle(title, fontsize=16 if single else 14, fontweight="bold")
    # Below the title: the subtitle and, comparing, the scenarios' colours (for every panel).
    sub_lines = 1 + sub.count("\n")
    grid = fig.add_gridspec(3, 3, width_ratios=[1.15 if single else 2.1 if len(series) > MAX_TOTALS_COLUMNS
                                          else 1.0 + 0.3 * len(series), 1, 1],
                            height_ratios=[0.055 * sub_lines + 0.12 * legend_rows, 1, 1])
    header = fig.add_subplot(grid[0, :])
    header.axis("off")
    header.text(0.5, 1.0, sub, ha="center", va="top", fontsize=9.5, color="0.35", transform=header.transAxes)
    if not single and not crowd:
        header.legend(handles=[Line2D([], [], color=s.color, lw=3, label=s.label) for s in series],
                      loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=min(3, len(series)), frameon=False,
                      fontsize=9, borderaxespad=0, handlelength=2.5)
    summary_totals_panel(fig.add_subplot(grid[1:, 0]), series)
    summary_gpus_panel(fig.add_subplot(grid[1, 1:]), series)
    with_workloads = [s for s in series if s.r.has_workloads]
    if with_workloads:
        summary_shares_panel(fig.add_subplot(grid[2, 1]), with_workloads, single)
        summary_waits_panel(fig.add_subplot(grid[2, 2]), with_workloads, single)
    else:
        summary_power_panel(fig.add_subplot(grid[2, 1]), series)
        summary_energy_panel(fig.add_subplot(grid[2, 2]), series)
    return fig
