"""Checks capsim against the published EASY figures on the filtered KTH-SP2 trace (Gaussier et al.,
SC'15, from the pyss simulator): mean flow time 15,696.8 s, mean bounded slowdown 92.58, maximum
bounded slowdown 14,805.2, each to within 0.01 %."""
import sys

from capsim_test_support import TRACES, replay_json

PUBLISHED = {"flow_mean_s": 15696.8, "bounded_slowdown_mean": 92.58, "bounded_slowdown_max": 14805.2}
TOLERANCE = 1e-4  # 0.01 %


def main():
    trace = TRACES / "KTH-SP2-1996-2.1-cln.filtered.swf.gz"
    summary = replay_json(trace, "--policy", "easy", "--order", "fifo")
    failed = False
    for key, published in PUBLISHED.items():
        relative = abs(summary[key] - published) / published
        verdict = "ok" if relative <= TOLERANCE else "MISMATCH"
        failed |= relative > TOLERANCE
        print(f"{key:24s} capsim {summary[key]:14.4f}  published {published:12.2f}  "
              f"difference {100 * relative:.5f} %  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
