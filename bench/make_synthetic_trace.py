#!/usr/bin/env python3
"""Writes a synthetic SWF trace for replay benchmarks: Poisson arrivals, log-uniform sizes, log-normal
run times and over-estimated requested times, with the arrival rate set for a given offered load.

Usage: make_synthetic_trace.py OUT.swf [--jobs 1000000] [--procs 1024] [--load 0.9] [--seed 1]

Offered load = arrival rate x mean(processors x run time) / processors of the machine. The same
arguments always give the same file (Python's Mersenne Twister, seeded). Standard library only.
"""
import argparse
import math
import random


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--jobs", type=int, default=1_000_000)
    parser.add_argument("--procs", type=int, default=1024)
    parser.add_argument("--load", type=float, default=0.9)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.jobs <= 0 or args.procs <= 0 or not 0 < args.load:
        parser.error("--jobs and --procs must be positive, --load above 0")

    rng = random.Random(args.seed)
    max_size_log2 = math.log2(args.procs) - 2  # jobs of 1 to a quarter of the machine
    sizes, runs = [], []
    for _ in range(args.jobs):
        sizes.append(max(1, min(args.procs, round(2 ** rng.uniform(0, max_size_log2)))))
        runs.append(max(1, round(rng.lognormvariate(math.log(1800), 1.2))))  # median 30 min
    mean_work = sum(s * r for s, r in zip(sizes, runs)) / args.jobs
    rate_per_s = args.load * args.procs / mean_work

    with open(args.out, "w", encoding="ascii") as out:
        out.write(f"; synthetic trace: {args.jobs} jobs, load {args.load}, seed {args.seed}\n")
        out.write(f"; MaxProcs: {args.procs}\n; MaxNodes: {args.procs}\n")
        submit = 0.0
        for job, (size, run) in enumerate(zip(sizes, runs), start=1):
            submit += rng.expovariate(rate_per_s)
            requested = math.ceil(run * rng.uniform(1.0, 5.0))
            out.write(f"{job} {int(submit)} -1 {run} {size} -1 -1 {size} {requested} -1 1 "
                      f"{1 + job % 97} 1 -1 1 1 -1 -1\n")


if __name__ == "__main__":
    main()
