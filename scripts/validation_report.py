#!/usr/bin/env python3
"""Replays every trace in a folder under FCFS, EASY and conservative backfilling and prints the
results as a Markdown table (the tables of docs/validation.md), followed by the comparison with the
published EASY figures on the filtered KTH-SP2 trace.

Usage: python3 scripts/validation_report.py [--capsim build/capsim] [--traces scenarios/traces] [--order fifo]
Needs only the Python standard library.
"""
import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
POLICIES = ("fcfs", "easy", "conservative")
PUBLISHED_KTH_EASY = {"flow_mean_s": 15696.8, "bounded_slowdown_mean": 92.58, "bounded_slowdown_max": 14805.2}


def replay(capsim, trace, policy, order):
    result = subprocess.run([capsim, "replay", str(trace), "--policy", policy, "--order", order, "--json"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"capsim failed on {trace.name} ({policy}): {result.stderr.strip()}")
    return json.loads(result.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--capsim", default=str(REPO / "build" / "capsim"))
    parser.add_argument("--traces", default=str(REPO / "scenarios" / "traces"))
    parser.add_argument("--order", default="fifo", choices=("fifo", "sjf"))
    args = parser.parse_args()

    traces = sorted(p for p in Path(args.traces).iterdir() if p.name.endswith((".swf", ".swf.gz")))
    print(f"| trace | P | jobs | skipped | rejected | policy | mean wait (s) | p95 wait (s) | mean flow (s) "
          f"| mean bsld | max bsld | utilization | sim. time (ms) |")
    print("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    kth = None
    for trace in traces:
        for policy in POLICIES:
            s = replay(args.capsim, trace, policy, args.order)
            if trace.name.startswith("KTH-SP2-1996-2.1-cln.filtered") and policy == "easy":
                kth = s
            print(f"| {trace.name} | {s['processors']} | {s['jobs']} | {s['skipped']} | {s['rejected']} | {policy} "
                  f"| {s['wait_mean_s']:,.1f} | {s['wait_p95_s']:,.1f} | {s['flow_mean_s']:,.1f} "
                  f"| {s['bounded_slowdown_mean']:,.2f} | {s['bounded_slowdown_max']:,.1f} | {s['utilization']:.4f} "
                  f"| {1000 * s['wall_time_s']:.1f} |")
    if kth is not None and args.order == "fifo":
        print()
        print("| KTH-SP2 filtered, EASY | published (pyss) | capsim | difference |")
        print("|---|---:|---:|---:|")
        for key, published in PUBLISHED_KTH_EASY.items():
            print(f"| {key} | {published:,.2f} | {kth[key]:,.4f} | {100 * (kth[key] - published) / published:+.5f} % |")


if __name__ == "__main__":
    main()
