"""The arrays of a loaded result as the figures draw them: output-step edges, series with replications first,
medians over replications; and an order-keeping union of lists."""
import warnings

import numpy as np

REP = "replication"


def time_edges(r):
    """The start of every output step and the end of the last one (datetime64)."""
    ds = r.sites
    times = ds["time"].values
    if "time_bounds" in ds:
        end = np.asarray(ds["time_bounds"].isel(time=-1).values).reshape(-1)[-1]
    elif r.end is not None:
        end = np.datetime64(r.end)
    elif len(times) > 1:
        end = times[-1] + (times[-1] - times[-2])
    else:
        end = times[-1] + np.timedelta64(1, "D")
    return np.append(times, np.asarray(end, dtype=times.dtype))


def values(da):
    """A series with time last and, if present, replication first: shape (time,) or (replication, time)."""
    dims = [d for d in da.dims if d not in ("time", REP)]
    if dims:
        raise ValueError(f"{da.name}: unexpected dimensions {dims}")
    if REP in da.dims:
        return da.transpose(REP, "time").values.astype(float)
    return da.values.astype(float)


def median(y):
    y = np.asarray(y, dtype=float)
    if y.ndim < 2:
        return y
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(y, axis=0)


def union(lists):
    out = []
    for items in lists:
        for item in items:
            if item not in out:
                out.append(item)
    return out
