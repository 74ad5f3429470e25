"""Numbers for people, as `capsim summary` prints them: thousands separated from 1,000 up and four
significant digits below; waits in the unit that keeps them short (`12 s`, `38 min`, `3.4 h`, `2.4 d`);
shares as percentages; energy, money and carbon in a unit that keeps them short (`97.4 MWh`,
`2.81 million USD`, `39 t CO₂e`). A value that is not a finite number is a dash."""
import math

import pandas as pd
from capsim_plots import units

DASH = "–"
CO2E = "CO₂e"


def finite(value):
    """The value as a float, or None where it is missing or not a finite number."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def human(value):
    """`12,345` from 1,000 up, `97.4`, `0.09684` below (four significant digits)."""
    v = finite(value)
    if v is None:
        return DASH
    return f"{v:,.0f}" if abs(v) >= 1e3 else f"{v:.4g}"


def duration(seconds):
    """A wait or a time span as `capsim summary` prints it: `45 s`, `4.5 min`, `38 min`, `3.4 h`, `2.4 d`."""
    s = finite(seconds)
    if s is None:
        return DASH
    if s < 59.5:
        return f"{s:.0f} s"
    if s < 599.5:
        return f"{s / 60:.1f} min"
    if s < 3600:
        return f"{s / 60:.0f} min"
    if s < 86400:
        return f"{s / 3600:.1f} h"
    return f"{s / 86400:.1f} d"


def days(seconds):
    """A lead time or a lifetime in whole days, with years beyond two: `182 d`, `5.0 y (1,826 d)`."""
    s = finite(seconds)
    if s is None:
        return DASH
    d = s / 86400
    return f"{d / 365.25:.1f} y ({d:,.0f} d)" if d >= 730 else f"{d:,.0f} d"


STEP_UNITS = ((7 * 86400, "w"), (86400, "d"), (3600, "h"), (60, "min"), (1, "s"))


def step(seconds):
    """An output step in its largest whole unit: `1 d`, `6 h`, `15 min` (else as a duration)."""
    s = finite(seconds)
    if s is None:
        return DASH
    for size, unit in STEP_UNITS:
        if s >= size and s % size == 0:
            return f"{s / size:.0f} {unit}"
    return duration(s)


def percent(share, digits=1):
    """A share (0 to 1) as `39.2 %`."""
    v = finite(share)
    return DASH if v is None else f"{100 * v:.{digits}f} %"


def energy(mwh):
    return units.fmt_energy(finite(mwh) if finite(mwh) is not None else math.nan)


def money(value, currency=""):
    v = finite(value)
    return DASH if v is None else units.fmt_big(v, currency)


def carbon(tonnes):
    v = finite(tonnes)
    return DASH if v is None else units.fmt_carbon(v).replace(units.CO2E, CO2E)


def date(value):
    """A date as `2026-03-01` (with the time of day where it is not midnight)."""
    if value is None:
        return DASH
    try:
        t = pd.Timestamp(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{t:%Y-%m-%d}" if t == t.normalize() else f"{t:%Y-%m-%d %H:%M}"


def plural(n, word):
    return units.plural(int(n), word)
