"""Numbers as figures show them: units that keep numbers short (kW or MW, thousand or million, minutes or
days), tick labels and the texts of totals (energy, money, carbon, durations)."""
import numpy as np


CO2E = "CO$_2$e"


def number_text(v):
    if not np.isfinite(v):
        return "–"
    if abs(v) >= 1e4 and float(v).is_integer():
        return f"{v:,.0f}"
    return f"{v:.4g}"


def shown_unit(units, values):
    """(divisor, unit) for swept numbers in the file's base unit: W as kW or MW, s as min, h or days."""
    finite = np.abs(values[np.isfinite(values)])
    top = float(finite.max()) if finite.size else 0.0
    if units == "W":
        for factor, unit in ((1e9, "GW"), (1e6, "MW"), (1e3, "kW")):
            if top >= factor:
                return factor, unit
        return 1.0, "W"
    if units == "s":
        for limit, divisor, unit in ((120, 1.0, "s"), (2 * 3600, 60.0, "min"), (2 * 86400, 3600.0, "h")):
            if top < limit:
                return divisor, unit
        return 86400.0, "days"
    if units in ("", "1"):
        return 1.0, ""
    if "/" not in units:  # money
        return scale_for(top, units)
    return 1.0, units


def scale_for(max_value, unit):
    """(divisor, axis unit) so that numbers stay short: thousand / million / billion."""
    for factor, word in ((1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
        if max_value >= factor:
            return factor, f"{word} {unit}"
    return 1.0, unit


def duration_unit(max_seconds):
    if not np.isfinite(max_seconds) or max_seconds < 2 * 3600:
        return 60.0, "min"
    if max_seconds < 4 * 86400:
        return 3600.0, "h"
    return 86400.0, "days"


def tick_format(v, pos=None):
    if v == 0:
        return "0"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def plural(n, word):
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def fmt_big(v, unit=""):
    if not np.isfinite(v):
        return "–"
    for factor, word in ((1e9, "billion"), (1e6, "million")):
        if abs(v) >= factor:
            return f"{v / factor:.3g} {word} {unit}".strip()
    return f"{v:,.0f} {unit}".strip()


def fmt_energy(mwh):
    if not np.isfinite(mwh):
        return "–"
    for factor, unit in ((1e6, "TWh"), (1e3, "GWh"), (1.0, "MWh")):
        if abs(mwh) >= factor:
            return f"{mwh / factor:.3g} {unit}"
    return f"{mwh * 1000:.3g} kWh"


def fmt_carbon(t):
    if not np.isfinite(t):
        return "–"
    for factor, unit in ((1e6, "Mt"), (1e3, "kt")):
        if abs(t) >= factor:
            return f"{t / factor:.3g} {unit} {CO2E}"
    return f"{t:,.3g} t {CO2E}"


def fmt_duration(seconds):
    if not np.isfinite(seconds):
        return "–"
    if seconds < 1:
        return "0 s" if seconds == 0 else "< 1 s"
    for limit, div, unit in ((90, 1, "s"), (5400, 60, "min"), (2 * 86400, 3600, "h")):
        if seconds < limit:
            return f"{seconds / div:.2g} {unit}"
    return f"{seconds / 86400:.3g} days"
