"""Targets a planner sets on the sweep figure (`--target wait_p95=24h`): which key total each names, and its
value read from the text with its unit, in the unit of the file's variable."""
import difflib
import re
from dataclasses import dataclass


# Name on the command line: (variable, what the value is). Waits are the summary's `all` row; the rest the
# totals of a run.
TARGET_METRICS = {
    "wait_p95": ("wait_p95_s", "duration"),
    "wait_mean": ("wait_mean_s", "duration"),
    "energy": ("total_energy_mwh", "energy"),
    "cost": ("total_energy_cost", "money"),
    "carbon": ("total_carbon_t", "carbon"),
    "stranded": ("gpu_hours_stranded", "gpu-hours"),
    "jobs_completed": ("jobs_completed", "jobs"),
}
ALIASES = {variable: name for name, (variable, _) in TARGET_METRICS.items()}  # the variables' own names

# Units each kind accepts, as factors to the variable's unit (s, MWh, t, GPU-hours, jobs); None: none needed.
DURATION_UNITS = {"s": 1, "sec": 1, "second": 1, "seconds": 1, "min": 60, "minute": 60, "minutes": 60,
                  "h": 3600, "hr": 3600, "hour": 3600, "hours": 3600, "d": 86400, "day": 86400, "days": 86400,
                  "w": 604800, "week": 604800, "weeks": 604800}
UNITS = {
    "duration": DURATION_UNITS,
    "energy": {"kwh": 1e-3, "mwh": 1.0, "gwh": 1e3, "twh": 1e6},
    "carbon": {"t": 1.0, "tco2e": 1.0, "t co2e": 1.0, "kt": 1e3, "kt co2e": 1e3, "mt": 1e6, "mt co2e": 1e6},
    "gpu-hours": {None: 1.0, "gpu-hours": 1.0, "gpu-h": 1.0, "h": 1.0},
    "jobs": {None: 1.0, "jobs": 1.0},
}
EXAMPLES = {"duration": "24h, 90min, 2d", "energy": "50MWh, 2GWh", "carbon": "20t, 1.5kt", "money": "5000, 2e6 USD",
            "gpu-hours": "1000, 2e4 GPU-hours", "jobs": "5000"}
VALUE = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


class TargetError(ValueError):
    """A --target that cannot be read; the message says why and what was expected."""


@dataclass
class Target:
    """A target line: the key total `variable` at `value` (in the variable's unit), `text` as written."""
    name: str
    variable: str
    value: float
    text: str
    currency: str = ""  # a cost's currency, where the target names one

    @property
    def label(self):
        return f"target {self.text}"


def parse_target(text):
    """The Target of a --target METRIC=VALUE, or TargetError."""
    if "=" not in text:
        raise TargetError(f"--target {text}: expected METRIC=VALUE, as in wait_p95=24h")
    name, value_text = (part.strip() for part in text.split("=", 1))
    name = ALIASES.get(name, name)
    if name not in TARGET_METRICS:
        close = difflib.get_close_matches(name, list(TARGET_METRICS) + list(ALIASES), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise TargetError(f"--target {text}: unknown metric '{name}', expected one of "
                          f"{', '.join(TARGET_METRICS)}{hint}")
    variable, kind = TARGET_METRICS[name]
    expected = expectation(name, kind)
    match = VALUE.match(value_text)
    if match is None:
        raise TargetError(f"--target {text}: '{value_text}' is not a number, {expected}")
    number, unit = float(match.group(1)), match.group(2)
    if number < 0:
        raise TargetError(f"--target {text}: a negative target, {expected}")
    if kind == "money":
        if unit and not re.fullmatch(r"[A-Za-z]{1,5}", unit):
            raise TargetError(f"--target {text}: '{unit}' is not a currency, {expected}")
        return Target(name, variable, number, value_text, currency=unit)
    factors = UNITS[kind]
    key = unit.lower() if unit else None
    if key not in factors:
        found = f"unit '{unit}'" if unit else "no unit"
        raise TargetError(f"--target {text}: {found}, {expected}")
    return Target(name, variable, number * factors[key], value_text)


UNIT_NAMES = {"duration": "s, min, h, d, w", "energy": "kWh, MWh, GWh, TWh", "carbon": "t, kt, Mt",
              "money": "optionally the file's currency", "gpu-hours": "optionally GPU-hours", "jobs": ""}


def expectation(name, kind):
    """What a value of this kind looks like: "expected a duration with its unit (s, min, ...), as in ..."."""
    what = {"duration": "a duration with its unit", "energy": "an energy with its unit",
            "carbon": "a mass of CO2e with its unit"}.get(kind, "a number")
    listed = f" ({UNIT_NAMES[kind]})" if UNIT_NAMES[kind] else ""
    return f"expected {what}{listed}, as in {name}={EXAMPLES[kind].split(', ')[0]}"
