#!/usr/bin/env python3
"""Independent reference implementation of capsim's SWF trace replay.

This file exists to cross-check the C++ simulator.  It favours clarity over
speed, but is fast enough for traces of a few tens of thousands of jobs.

Usage:
    python3 reference_replay.py TRACE [--procs N] [--policy fcfs|easy|conservative]
                                      [--order fifo|sjf] [--csv OUT.csv] [--json]

Rules implemented (this is the specification capsim must match):

* Job fields (SWF, 1-based): 1 id, 2 submit, 4 run time, 5 allocated procs,
  8 requested procs, 9 requested time; -1 means unknown.
  processors = field 8 if > 0 else field 5;
  run = field 4, capped at field 9 when field 9 > 0;
  estimate = field 9 if > 0 else run.
  run <= 0 or processors <= 0 -> skipped; processors > P -> rejected
  (skip is checked first).  Neither kind is simulated.
* Trace position = 0-based index of the job line among all job lines.
* Queue order: fifo = (submit, position); sjf = (estimate, submit, position).
* Events: at one instant all submissions (by position) come before job ends
  (by the order in which the end events were created).  A scheduling pass
  follows every single event.
* The scheduler sees a running job as holding its processors until its end
  event is processed or until now >= start + estimate, whichever is first.
* Policies: see fcfs_pass, easy_pass and conservative_pass below.
"""

import argparse
import bisect
import csv
import gzip
import heapq
import json
import math
import sys

POLICIES = ("fcfs", "easy", "conservative")
ORDERS = ("fifo", "sjf")


# --------------------------------------------------------------------------
# Trace reading
# --------------------------------------------------------------------------

class Job:
    __slots__ = ("id", "pos", "submit", "run", "estimate", "procs",
                 "start", "end", "key")

    def __init__(self, job_id, pos, submit, run, estimate, procs):
        self.id = job_id
        self.pos = pos
        self.submit = submit
        self.run = run
        self.estimate = estimate
        self.procs = procs
        self.start = None
        self.end = None
        self.key = None  # queue sort key, set by the simulator


def _open_text(path):
    path = str(path)
    if path.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return open(path, "r", encoding="utf-8", errors="replace")


def _to_int(text):
    """Integer field that may be written as '56' or '56.0'."""
    try:
        return int(text)
    except ValueError:
        return int(float(text))


def _header_value(line, name):
    """Value of a '; Name: value' header line, or None."""
    body = line.lstrip(";").strip()
    if ":" not in body:
        return None
    key, _, value = body.partition(":")
    if key.strip().lower() != name.lower():
        return None
    try:
        return _to_int(value.split()[0])
    except (ValueError, IndexError):
        return None


def read_swf(path):
    """Return (header_procs or None, list of raw records).

    A raw record is (job_id, pos, submit, run_field, alloc, req_procs, req_time).
    """
    max_procs = None
    max_nodes = None
    records = []
    with _open_text(path) as f:
        for lineno, line in enumerate(f, 1):
            s = line.strip()
            if not s:
                continue
            if s.startswith(";"):
                v = _header_value(s, "MaxProcs")
                if v is not None and v > 0:
                    max_procs = v
                v = _header_value(s, "MaxNodes")
                if v is not None and v > 0:
                    max_nodes = v
                continue
            fields = s.split()
            if len(fields) < 18:
                raise ValueError("%s:%d: expected 18 fields, got %d"
                                 % (path, lineno, len(fields)))
            records.append((
                _to_int(fields[0]),      # 1 job id
                len(records),            # trace position
                float(fields[1]),        # 2 submit time
                float(fields[3]),        # 4 run time
                _to_int(fields[4]),      # 5 allocated processors
                _to_int(fields[7]),      # 8 requested processors
                float(fields[8]),        # 9 requested time
            ))
    header_procs = max_procs if max_procs is not None else max_nodes
    return header_procs, records


def make_jobs(records, P):
    """Apply the field rules; return (jobs to simulate, skipped, rejected)."""
    jobs, skipped, rejected = [], 0, 0
    for job_id, pos, submit, run, alloc, req_procs, req_time in records:
        procs = req_procs if req_procs > 0 else alloc
        if req_time > 0:
            run = min(run, req_time)
        estimate = req_time if req_time > 0 else run
        if run <= 0 or procs <= 0:
            skipped += 1
            continue
        if procs > P:
            rejected += 1
            continue
        jobs.append(Job(job_id, pos, submit, run, estimate, procs))
    return jobs, skipped, rejected


# --------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------

class Machine:
    """Processors as seen by the scheduler.

    `running` is a list of (estimated_end, start_seq, job) kept sorted, holding
    only the jobs the scheduler still sees as busy: their end event has not
    been processed and their estimated end is in the future.
    """

    def __init__(self, P):
        self.P = P
        self.busy = 0          # processors held by jobs in `running`
        self.running = []
        self._seq = 0

    def add(self, job, now):
        entry = (now + job.estimate, self._seq, job)
        self._seq += 1
        bisect.insort(self.running, entry)
        self.busy += job.procs
        return entry

    def drop_expired(self, now):
        """Forget jobs whose estimated end has been reached (now >= est end)."""
        n = 0
        for est_end, _, job in self.running:
            if est_end > now:
                break
            self.busy -= job.procs
            n += 1
        if n:
            del self.running[:n]

    def remove(self, entry):
        """Called when a job's end event is processed."""
        i = bisect.bisect_left(self.running, entry[:2])
        if i < len(self.running) and self.running[i][:2] == entry[:2]:
            del self.running[i]
            self.busy -= entry[2].procs
        # else: already dropped because its estimated end was reached

    def free(self):
        return self.P - self.busy


class Simulator:
    def __init__(self, jobs, P, policy="easy", order="fifo"):
        if policy not in POLICIES:
            raise ValueError("unknown policy %r" % policy)
        if order not in ORDERS:
            raise ValueError("unknown order %r" % order)
        self.jobs = jobs
        self.P = P
        self.policy = policy
        self.order = order
        self.machine = Machine(P)
        self.queue = []        # sorted list of (key, job); keys are unique
        self.events = []       # heap of (time, kind, tiebreak, payload)
        self._end_seq = 0
        self._pass = {"fcfs": self.fcfs_pass,
                      "easy": self.easy_pass,
                      "conservative": self.conservative_pass}[policy]

    # ---- queue -----------------------------------------------------------

    def queue_key(self, job):
        if self.order == "fifo":
            return (job.submit, job.pos)
        return (job.estimate, job.submit, job.pos)

    def enqueue(self, job):
        job.key = self.queue_key(job)
        bisect.insort(self.queue, (job.key, job))

    def start(self, job, now):
        """Start `job` at `now`; caller removes it from the queue."""
        job.start = now
        job.end = now + job.run
        entry = self.machine.add(job, now)
        heapq.heappush(self.events, (job.end, 1, self._end_seq, entry))
        self._end_seq += 1

    # ---- main loop -------------------------------------------------------

    def run(self):
        # kind 0 = submission (tiebreak: trace position),
        # kind 1 = end (tiebreak: creation sequence).  Submissions first.
        for job in self.jobs:
            heapq.heappush(self.events, (job.submit, 0, job.pos, job))
        while self.events:
            now, kind, _, payload = heapq.heappop(self.events)
            if kind == 0:
                self.enqueue(payload)
            else:
                self.machine.remove(payload)
            self.schedule(now)
        assert not self.queue, "jobs left in the queue"
        return self.jobs

    def schedule(self, now):
        if not self.queue:
            return
        self.machine.drop_expired(now)
        self._pass(now)

    # ---- policies --------------------------------------------------------

    def fcfs_pass(self, now):
        """Start jobs in queue order while they fit; stop at the first misfit."""
        n = 0
        for _, job in self.queue:
            if job.procs > self.machine.free():
                break
            self.start(job, now)
            n += 1
        if n:
            del self.queue[:n]

    def shadow(self, head, now):
        """(S, extra) for the blocked head job.

        S is the earliest estimated end of a running job at which the free
        processors (all jobs ending at or before S released) reach head.procs;
        extra is what is left over at S once the head is placed.
        """
        free = self.machine.free()
        running = self.machine.running
        i, n = 0, len(running)
        while i < n:
            t = running[i][0]
            while i < n and running[i][0] == t:   # release the whole group
                free += running[i][2].procs
                i += 1
            if free >= head.procs:
                return t, free - head.procs
        raise AssertionError("head job can never fit (procs > P?)")

    def easy_pass(self, now):
        self.fcfs_pass(now)
        if not self.queue or self.machine.free() == 0:
            return                       # nothing blocked / nothing can backfill
        head = self.queue[0][1]
        S, extra = self.shadow(head, now)
        started = []
        for idx in range(1, len(self.queue)):
            free = self.machine.free()
            if free == 0:
                break
            job = self.queue[idx][1]
            if job.procs > free:
                continue
            ends_after_shadow = now + job.estimate > S
            if ends_after_shadow and job.procs > extra:
                continue
            self.start(job, now)
            if ends_after_shadow:
                extra -= job.procs
            started.append(idx)
        for idx in reversed(started):
            del self.queue[idx]

    def conservative_pass(self, now):
        """Reserve every queued job at its earliest feasible time; start those
        whose reservation is `now`.  Reservations are discarded afterwards."""
        # Profile: free[k] processors on [times[k], times[k+1]); last step open.
        times = [now]
        free = [self.machine.free()]
        for est_end, _, job in self.machine.running:
            if est_end != times[-1]:
                times.append(est_end)
                free.append(free[-1])
            free[-1] += job.procs

        # Result-preserving early stop: once no remaining job is small enough
        # to fit in what is free at `now`, none can start in this pass
        # (later reservations only matter to this pass, and are thrown away).
        q = self.queue
        suffix_min = [0] * (len(q) + 1)
        suffix_min[len(q)] = self.P + 1
        for i in range(len(q) - 1, -1, -1):
            suffix_min[i] = min(q[i][1].procs, suffix_min[i + 1])

        started = []
        for idx in range(len(q)):
            if suffix_min[idx] > free[0]:
                break
            job = q[idx][1]
            t, k = self._earliest_fit(times, free, job)
            self._reserve(times, free, k, t + job.estimate, job.procs)
            if t == now:
                self.start(job, now)
                started.append(idx)
        for idx in reversed(started):
            del q[idx]

    @staticmethod
    def _earliest_fit(times, free, job):
        """Earliest step start t with free >= procs on [t, t + estimate).

        Returns (t, index of the step starting at t)."""
        n = len(times)
        cand = 0
        while True:
            t = times[cand]
            end = t + job.estimate
            k = cand
            while k < n and times[k] < end:
                if free[k] < job.procs:
                    break
                k += 1
            else:
                return t, cand
            cand = k + 1     # the step after the blocking one

    @staticmethod
    def _reserve(times, free, k, end, procs):
        """Subtract procs on [times[k], end), splitting a step at `end`."""
        j = bisect.bisect_left(times, end, k)
        if j == len(times) or times[j] != end:
            times.insert(j, end)
            free.insert(j, free[j - 1])
        for i in range(k, j):
            free[i] -= procs


# --------------------------------------------------------------------------
# Metrics and entry points
# --------------------------------------------------------------------------

def _percentile(sorted_values, q):
    """numpy.percentile(values, q) with the default 'linear' method."""
    try:
        import numpy
        return float(numpy.percentile(numpy.asarray(sorted_values), q))
    except ImportError:
        n = len(sorted_values)
        pos = (n - 1) * q / 100.0
        lo = int(math.floor(pos))
        hi = min(lo + 1, n - 1)
        frac = pos - lo
        a, b = sorted_values[lo], sorted_values[hi]
        return a + (b - a) * frac if frac < 0.5 else b - (b - a) * (1 - frac)


def summarize(jobs, P, skipped, rejected):
    out = {"processors": P, "jobs": len(jobs),
           "skipped": skipped, "rejected": rejected}
    names = ("wait_mean_s", "wait_p50_s", "wait_p95_s", "wait_p99_s",
             "flow_mean_s", "bounded_slowdown_mean", "bounded_slowdown_max",
             "utilization", "makespan_s")
    if not jobs:
        out.update({k: None for k in names})
        return out
    n = len(jobs)
    waits = [j.start - j.submit for j in jobs]
    flows = [j.end - j.submit for j in jobs]
    bsld = [max(1.0, (w + j.run) / max(j.run, 10.0)) for w, j in zip(waits, jobs)]
    first_submit = min(j.submit for j in jobs)
    last_end = max(j.end for j in jobs)
    makespan = last_end - first_submit
    area = sum(j.run * j.procs for j in jobs)
    sw = sorted(waits)
    out.update({
        "wait_mean_s": sum(waits) / n,
        "wait_p50_s": _percentile(sw, 50),
        "wait_p95_s": _percentile(sw, 95),
        "wait_p99_s": _percentile(sw, 99),
        "flow_mean_s": sum(flows) / n,
        "bounded_slowdown_mean": sum(bsld) / n,
        "bounded_slowdown_max": max(bsld),
        "utilization": area / (P * makespan) if makespan > 0 else None,
        "makespan_s": makespan,
    })
    return out


def simulate(path, procs=None, policy="easy", order="fifo"):
    """Replay the trace; return (jobs in trace order, summary dict).

    Each job has attributes id, pos, submit, start, end, procs, run, estimate.
    """
    header_procs, records = read_swf(path)
    P = procs if procs is not None else header_procs
    if P is None or P <= 0:
        raise ValueError("%s: no MaxProcs/MaxNodes header; use --procs" % path)
    jobs, skipped, rejected = make_jobs(records, P)
    Simulator(jobs, P, policy, order).run()
    return jobs, summarize(jobs, P, skipped, rejected)


def write_csv(jobs, path):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "submit", "start", "end", "processors", "run",
                    "estimate", "wait"])
        for j in jobs:
            w.writerow([j.id, repr(j.submit), repr(j.start), repr(j.end),
                        j.procs, repr(j.run), repr(j.estimate),
                        repr(j.start - j.submit)])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("trace")
    ap.add_argument("--procs", type=int, default=None)
    ap.add_argument("--policy", choices=POLICIES, default="easy")
    ap.add_argument("--order", choices=ORDERS, default="fifo")
    ap.add_argument("--csv", metavar="OUT.csv")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    jobs, summary = simulate(args.trace, args.procs, args.policy, args.order)
    if args.csv:
        write_csv(jobs, args.csv)
    if args.json:
        print(json.dumps(summary))
    else:
        for k, v in summary.items():
            print("%-22s %s" % (k, v))
    return 0


if __name__ == "__main__":
    sys.exit(main())
