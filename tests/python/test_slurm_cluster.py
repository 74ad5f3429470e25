"""The README's Slurm workflow on a real one-node Slurm started for the test: Debian's munged, slurmctld and
slurmd, configured in a temporary directory, on ports of their own. The scripts of scripts/slurm/ run
unmodified: the array of shards, the merge that waits for it, a killed task that is resubmitted and resumes,
requests the cluster cannot meet, an MPI study inside one allocation, and a plan whose tasks share its runs
(as srun shards and as MPI ranks); every results file must equal a single-process run bit for bit.

The daemons run as root (as in CI). Where they cannot (not root, Slurm or munge not installed, a daemon that
does not start) the tests are skipped with the reason, unless CAPSIM_REQUIRE_SLURM=1 makes that a failure."""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

from capsim_test_support import REPO_ROOT, capsim_bin, different_datasets, run_capsim

SUBMIT = REPO_ROOT / "scripts" / "slurm" / "submit-study.sh"
STUDY = REPO_ROOT / "scenarios" / "small" / "queue-sweep.yaml"
PLAN = REPO_ROOT / "tests" / "scenarios" / "plan" / "grid-and-nodes.yaml"
# Long enough for a shard to be killed part way (about 3 s a shard on one thread), small enough to stay quick.
LONG = ["--replications", "16", "--set", "end=2028-01-01", "--set", "output.timestep=30d"]
DAEMONS = ("munged", "slurmctld", "slurmd", "sbatch", "scontrol", "scancel", "sinfo", "squeue", "srun")
DONE = {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE",
        "PREEMPTED"}


def cannot_run(reason):
    if os.environ.get("CAPSIM_REQUIRE_SLURM") == "1":
        raise AssertionError(f"a one-node Slurm cannot run here: {reason}")
    raise unittest.SkipTest(f"a one-node Slurm cannot run here: {reason}")


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


class OneNodeSlurm:
    """munged, slurmctld and slurmd in the foreground, with every file under `root`; `env` points the Slurm
    commands at this cluster (SLURM_CONF) and nowhere else."""

    def __init__(self, root):
        self.root = Path(root)
        self.processes = {}
        self.host = socket.gethostname().split(".")[0]
        # The daemons live in /usr/sbin, which a user's PATH may lack.
        self.env = dict(os.environ, PATH=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")

    def start(self):
        # munged wants its socket's folders open to all and its key private to its owner.
        self.root.chmod(0o755)
        for name in ("munge", "run", "state", "spool", "log"):
            (self.root / name).mkdir(mode=0o755)
        (self.root / "munge").chmod(0o700)
        key = self.root / "munge" / "munge.key"
        with os.fdopen(os.open(key, os.O_WRONLY | os.O_CREAT, 0o600), "wb") as f:
            f.write(os.urandom(128))
        self.socket = self.root / "run" / "munge.socket"
        self.launch("munged", ["munged", "--foreground", f"--socket={self.socket}", f"--key-file={key}",
                               f"--pid-file={self.root / 'run' / 'munged.pid'}",
                               f"--log-file={self.root / 'log' / 'munged.log'}",
                               f"--seed-file={self.root / 'munge' / 'munged.seed'}"])
        self.wait_for(lambda: self.socket.exists(), "munged to open its socket", "munged")

        self.conf = self.root / "slurm.conf"
        self.conf.write_text(self.configuration())
        # The submissions' own settings come from each test, not from whoever runs it.
        theirs = ("SBATCH_", "SLURM_", "SALLOC_", "SRUN_", "CAPSIM_SLURM_", "CAPSIM_MPI_LAUNCHER")
        self.env = {k: v for k, v in self.env.items() if not k.startswith(theirs)}
        self.env["SLURM_CONF"] = str(self.conf)
        self.launch("slurmctld", ["slurmctld", "-D", "-c", "-i", "-f", str(self.conf)])
        self.wait_for(lambda: self.slurm("sinfo", "-h", check=False).returncode == 0, "slurmctld to answer",
                      "slurmctld")
        self.launch("slurmd", ["slurmd", "-D", "-f", str(self.conf)])
        # sinfo -N shows the node once per partition.
        self.wait_for(lambda: set(self.slurm("sinfo", "-h", "-N", "-o", "%t", check=False).stdout.split()) == {"idle"},
                      "the node to be idle", "slurmd")

    def configuration(self):
        # The node as slurmd sees it (CPUs, sockets, cores, threads, memory), so that it is not drained for a
        # mismatch; on the loopback address, whatever the host name resolves to.
        node = subprocess.run(["slurmd", "-C"], env=self.env, capture_output=True, text=True,
                              timeout=60).stdout.splitlines()
        node = next((line for line in node if line.startswith("NodeName=")), None)
        if node is None:
            cannot_run("slurmd -C does not describe this node")
        fields = dict(item.split("=", 1) for item in node.split())
        self.cpus = int(fields["CPUs"])
        self.memory_mb = int(fields["RealMemory"])
        described = " ".join(f"{k}={fields[k]}" for k in ("CPUs", "Boards", "SocketsPerBoard", "CoresPerSocket",
                                                           "ThreadsPerCore", "RealMemory") if k in fields)
        ctld_port, node_port = free_ports(2)
        return "\n".join([
            "ClusterName=capsimtest",
            f"SlurmctldHost={self.host}(127.0.0.1)",
            f"SlurmctldPort={ctld_port}",
            f"SlurmdPort={node_port}",
            "AuthType=auth/munge",
            "CredType=cred/munge",
            f"AuthInfo=socket={self.socket}",
            "SlurmUser=root",
            "SlurmdUser=root",
            f"StateSaveLocation={self.root / 'state'}",
            f"SlurmdSpoolDir={self.root / 'spool'}",
            f"SlurmctldPidFile={self.root / 'run' / 'slurmctld.pid'}",
            f"SlurmdPidFile={self.root / 'run' / 'slurmd.pid'}",
            f"SlurmctldLogFile={self.root / 'log' / 'slurmctld.log'}",
            f"SlurmdLogFile={self.root / 'log' / 'slurmd.log'}",
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=task/none",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_CPU",
            "MpiDefault=none",
            "ReturnToService=2",
            "JobAcctGatherType=jobacct_gather/none",
            "AccountingStorageType=accounting_storage/none",
            "JobCompType=jobcomp/none",
            "SchedulerType=sched/backfill",
            "InactiveLimit=0",
            "KillWait=5",
            "MinJobAge=600",
            f"NodeName={self.host} NodeAddr=127.0.0.1 {described} State=UNKNOWN",
            f"PartitionName=debug Nodes={self.host} Default=YES MaxTime=INFINITE State=UP",
            # A partition whose time limit a request can exceed: Slurm accepts such a job and never starts it.
            f"PartitionName=short Nodes={self.host} MaxTime=1 State=UP",
            "",
        ])

    def launch(self, name, command):
        log = open(self.root / "log" / f"{name}.out", "w")
        try:
            self.processes[name] = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                                                    stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError as e:
            cannot_run(f"{name} does not start: {e}")
        finally:
            log.close()

    def wait_for(self, ready, what, daemon, timeout_s=60):
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if ready():
                return
            if self.processes[daemon].poll() is not None:
                cannot_run(f"{daemon} exited ({self.processes[daemon].returncode}) before {what}:\n"
                           f"{self.logs(daemon)}")
            time.sleep(0.2)
        cannot_run(f"waited {timeout_s} s for {what}:\n{self.logs(daemon)}")

    def logs(self, daemon):
        text = ""
        for path in sorted((self.root / "log").glob(f"{daemon}*")):
            text += f"--- {path.name}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-20:]) + "\n"
        return text

    def slurm(self, *command, check=True):
        result = subprocess.run(command, env=self.env, capture_output=True, text=True, timeout=60)
        if check and result.returncode != 0:
            raise AssertionError(f"{' '.join(command)} failed ({result.returncode}): {result.stderr}")
        return result

    def jobs(self, job_id):
        """The records of a job (one per array task, and one for the tasks still pending): dictionaries of
        scontrol's fields."""
        result = self.slurm("scontrol", "-o", "show", "job", str(job_id), check=False)
        return [dict(re.findall(r"(\S+?)=(\S*)", line)) for line in result.stdout.splitlines() if line.strip()]

    def wait_jobs(self, *job_ids, timeout_s=180):
        """Waits until every record of these jobs is finished; returns them."""
        deadline = time.monotonic() + timeout_s
        while True:
            records = [r for j in job_ids for r in self.jobs(j)]
            if records and all(r.get("JobState") in DONE for r in records):
                return records
            if time.monotonic() > deadline:
                raise AssertionError(f"jobs {job_ids} still not done after {timeout_s} s: "
                                     f"{[(r.get('JobId'), r.get('JobState'), r.get('Reason')) for r in records]}")
            time.sleep(0.3)

    def queued(self):
        """Jobs the cluster still holds pending or running: (id, state, reason)."""
        out = self.slurm("squeue", "-h", "-o", "%i %T %r").stdout
        return [tuple(line.split()) for line in out.splitlines() if line.strip()]

    def wait_until_empty(self, timeout_s=30):
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and self.queued_or_none():
            time.sleep(0.3)

    def stop(self):
        if "slurmctld" in self.processes and self.processes["slurmctld"].poll() is None:
            self.slurm("scancel", "--user", "root", check=False)
            self.wait_until_empty()
        for name in ("slurmctld", "slurmd", "munged"):
            process = self.processes.get(name)
            if process is None or process.poll() is not None:
                continue
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)

    def queued_or_none(self):
        try:
            return self.queued()
        except (AssertionError, subprocess.TimeoutExpired):
            return []


class SlurmClusterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        capsim_bin()
        if os.geteuid() != 0:
            cannot_run("the daemons run as root, and this test is not root")
        path = f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin"
        missing = [name for name in DAEMONS if shutil.which(name, path=path) is None]
        if missing:
            cannot_run(f"{', '.join(missing)} not installed (apt install slurmctld slurmd slurm-client munge)")
        cls.tmp = tempfile.TemporaryDirectory(prefix="capsim-slurm-")
        cls.addClassCleanup(cls.tmp.cleanup)
        Path(cls.tmp.name).chmod(0o755)  # munged's socket must be reachable by all, through every folder above it
        cls.cluster = OneNodeSlurm(Path(cls.tmp.name) / "cluster")
        cls.cluster.root.mkdir()
        cls.addClassCleanup(cls.cluster.stop)
        cls.cluster.start()
        cls.references = {}

    def setUp(self):
        self.work = Path(tempfile.mkdtemp(prefix=f"{self._testMethodName}-", dir=self.tmp.name))

    def tearDown(self):
        # A test that failed part way leaves the next one an empty queue all the same.
        if self.cluster.queued_or_none():
            self.cluster.slurm("scancel", "--user", "root", check=False)
            self.cluster.wait_until_empty()

    def submit(self, *args, capsim=None, env=None, check=True):
        """Runs submit-study.sh from the work folder (where Slurm writes the jobs' logs), as the README does."""
        environment = dict(self.cluster.env, CAPSIM=capsim or capsim_bin(), **(env or {}))
        result = subprocess.run(["bash", str(SUBMIT), *map(str, args)], cwd=self.work, env=environment,
                                capture_output=True, text=True, timeout=120)
        if check:
            self.assertEqual(result.returncode, 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")
        return result

    def job_ids(self, stdout):
        ids = re.findall(r"job (\d+)", stdout)
        self.assertTrue(ids, stdout)
        return ids

    def logs(self):
        return "".join(f"--- {p.name}\n{p.read_text(errors='replace')}" for p in sorted(self.work.glob("*.log")))

    def reference(self, *options):
        """A single-process run of the study with these options (made once)."""
        if options not in self.references:
            path = Path(self.tmp.name) / f"single-{len(self.references)}.h5"
            run_capsim("run", STUDY, "-o", path, "--quiet", *options, check=True)
            self.references[options] = path
        return self.references[options]

    def assert_same_as_single_run(self, path, *options):
        self.assertTrue(path.exists(), f"{path} was not written; the jobs' logs:\n{self.logs()}")
        self.assertEqual(different_datasets(path, self.reference(*options)), [])

    def assert_nothing_queued(self):
        self.assertEqual(self.cluster.queued(), [])

    def test_readme_workflow_array_then_merge(self):
        result = self.submit(STUDY, "runs", 3, "--quiet")
        array, merge = self.job_ids(result.stdout)
        records = self.cluster.wait_jobs(array, merge)
        self.assertEqual({r["JobState"] for r in records}, {"COMPLETED"}, self.logs())
        self.assertEqual(sorted(r.get("ArrayTaskId") for r in records if r["JobId"] != merge), ["0", "1", "2"])
        # One CPU a task unless asked: what runs on any node.
        self.assertEqual({r["NumCPUs"] for r in records}, {"1"})
        self.assertEqual(sorted(p.name for p in (self.work / "runs").glob("shard-*.h5")),
                         ["shard-0-of-3.h5", "shard-1-of-3.h5", "shard-2-of-3.h5"])
        self.assert_same_as_single_run(self.work / "runs" / "results.h5")

    def test_options_and_environment_reach_the_jobs(self):
        cpus = min(2, self.cluster.cpus)
        result = self.submit("--cpus-per-task", cpus, "--time", "7", STUDY, "runs", 2, "--quiet",
                             env={"SBATCH_PARTITION": "debug", "SBATCH_ACCOUNT": "capsim-test",
                                  "SBATCH_MEM_PER_NODE": "300M"})
        array, merge = self.job_ids(result.stdout)
        records = self.cluster.wait_jobs(array, merge)
        self.assertEqual({r["JobState"] for r in records}, {"COMPLETED"}, self.logs())
        for r in records:
            self.assertEqual((r["Partition"], r["Account"], r["TimeLimit"], r["MinMemoryNode"]),
                             ("debug", "capsim-test", "00:07:00", "300M"))
            self.assertEqual(r["NumCPUs"], "1" if r["JobId"] == merge else str(cpus))
        self.assertIn(f"x {cpus} thread", self.logs())
        self.assert_same_as_single_run(self.work / "runs" / "results.h5")

    def test_killed_task_resubmitted_resumes(self):
        result = self.submit(STUDY, "runs", 2, "--quiet", *LONG)
        array, merge = self.job_ids(result.stdout)
        parts = self.work / "runs" / "shard-1-of-2.h5.parts"
        deadline = time.monotonic() + 120
        while len(list(parts.glob("*.h5"))) < 2:
            self.assertLess(time.monotonic(), deadline, f"shard 1 kept no finished run:\n{self.logs()}")
            self.assertFalse((self.work / "runs" / "shard-1-of-2.h5").exists(), "shard 1 ended before the kill")
            time.sleep(0.05)
        self.cluster.slurm("scancel", f"{array}_1")
        records = self.cluster.wait_jobs(array, merge)
        states = {r.get("ArrayTaskId", "merge"): r["JobState"] for r in records}
        self.assertEqual(states, {"0": "COMPLETED", "1": "CANCELLED", "merge": "CANCELLED"}, self.logs())
        # The merge was cancelled because its dependency failed, not left pending for ever.
        self.assertEqual(next(r for r in records if r["JobId"] == merge)["Reason"], "DependencyNeverSatisfied")
        kept = len(list(parts.glob("*.h5")))
        self.assertFalse((self.work / "runs" / "shard-1-of-2.h5").exists())

        result = self.submit("--resubmit", 1, STUDY, "runs", 2, "--quiet", *LONG)
        self.assertIn("resubmitted shards 1", result.stdout)
        array2, merge2 = self.job_ids(result.stdout)
        records = self.cluster.wait_jobs(array2, merge2)
        self.assertEqual({r["JobState"] for r in records}, {"COMPLETED"}, self.logs())
        log = (self.work / f"capsim-study-{array2}_1.log").read_text()
        resumed = re.search(r"\((\d+) kept from an earlier run\)", log)
        self.assertIsNotNone(resumed, log)
        self.assertGreaterEqual(int(resumed.group(1)), kept)
        self.assertIn("shard 1/2", log)
        self.assert_same_as_single_run(self.work / "runs" / "results.h5", *LONG)

    def assert_refused(self, result, *messages):
        self.assertEqual(result.returncode, 69, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")
        self.assertNotIn("submitted", result.stdout)
        self.assertIn("Slurm cannot meet this request", result.stderr)
        for message in messages:
            self.assertIn(message, result.stderr)
        self.assert_nothing_queued()

    def test_unmeetable_requests_fail_loudly_and_leave_nothing_pending(self):
        too_many = self.cluster.cpus + 1
        with self.subTest("more CPUs than the node, on the command line"):
            result = self.submit("--cpus-per-task", too_many, STUDY, "runs", 2, check=False)
            self.assert_refused(result, f"asks for {too_many} CPUs", f"at most {self.cluster.cpus}",
                                f"{self.cluster.cpus} CPUs and", "asked: --cpus-per-task")
            self.assertNotIn("cancelled", result.stderr)  # found before submitting
        with self.subTest("more CPUs than the node, from the environment"):
            result = self.submit(STUDY, "runs", 2, env={"CAPSIM_SLURM_CPUS": str(too_many)}, check=False)
            self.assert_refused(result, f"asks for {too_many} CPUs")
        with self.subTest("an unknown partition"):
            result = self.submit("--partition", "gpu-nowhere", STUDY, "runs", 2, check=False)
            self.assert_refused(result, "no partition 'gpu-nowhere'", "debug")
        with self.subTest("more memory than the node"):
            result = self.submit("--mem", f"{self.cluster.memory_mb * 2}M", STUDY, "runs", 2, check=False)
            self.assert_refused(result, "sbatch refused", f"{self.cluster.memory_mb} MB")
        with self.subTest("a time beyond the partition's limit: accepted by sbatch, so cancelled at once"):
            result = self.submit("--partition", "short", "--time", "10", STUDY, "runs", 2, check=False)
            self.assert_refused(result, "pending with reason Partition", "MaxTime=00:01:00", "cancelled job(s)")
            for job in re.findall(r"cancelled job\(s\) (.*)", result.stderr)[0].split():
                self.assertEqual({r["JobState"] for r in self.cluster.jobs(job)}, {"CANCELLED"})
        with self.subTest("more MPI ranks than the partition has CPUs"):
            result = self.submit("--mpi", STUDY, "runs", self.cluster.cpus + 1, check=False)
            self.assert_refused(result, "--ntasks", "cancelled job(s)")

    def test_mpi_study_inside_one_allocation(self):
        mpi_bin = os.environ.get("CAPSIM_MPI_BIN")
        if not mpi_bin or not shutil.which("mpirun"):
            self.skipTest("no MPI build (CAPSIM_MPI_BIN, set in the MPI build) or no mpirun")
        if self.cluster.cpus < 2:
            self.skipTest("two ranks need two CPUs")
        launchers = {"mpirun": None}
        if "pmix" in self.cluster.slurm("srun", "--mpi=list", check=False).stdout + \
                self.cluster.slurm("srun", "--mpi=list", check=False).stderr:
            launchers["srun --mpi=pmix"] = "srun --mpi=pmix"
        # Open MPI's mpirun refuses root unless told; in CI the test is root.
        root = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}
        for i, (name, launcher) in enumerate(launchers.items()):
            with self.subTest(launcher=name):
                env = dict(root, **({"CAPSIM_MPI_LAUNCHER": launcher} if launcher else {}))
                result = self.submit("--mpi", STUDY, f"mpi-{i}", 2, "--quiet", capsim=mpi_bin, env=env)
                (job,) = self.job_ids(result.stdout)
                records = self.cluster.wait_jobs(job)
                self.assertEqual([r["JobState"] for r in records], ["COMPLETED"], self.logs())
                self.assertEqual(records[0]["NumTasks"], "2")
                self.assertIn("on 2 ranks", (self.work / f"capsim-mpi-{job}.log").read_text())
                self.assert_same_as_single_run(self.work / f"mpi-{i}" / "results.h5")

    def test_plan_tasks_share_runs_inside_one_allocation(self):
        if self.cluster.cpus < 2:
            self.skipTest("two tasks need two CPUs")
        single = Path(self.tmp.name) / "single-plan.h5"
        run_capsim("plan", PLAN, "-o", single, "--threads", "1", "--quiet", check=True)
        kinds = [("shards", None, {})]
        mpi_bin = os.environ.get("CAPSIM_MPI_BIN")
        if mpi_bin and shutil.which("mpirun"):
            kinds.append(("MPI ranks", mpi_bin, {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}))
        for i, (kind, binary, env) in enumerate(kinds):
            with self.subTest(kind=kind):
                options = ["--plan"] + (["--mpi"] if binary else [])
                result = self.submit(*options, PLAN, f"plan-{i}", 2, "--quiet", capsim=binary, env=env)
                self.assertIn(f"(2 {kind})", result.stdout)
                (job,) = self.job_ids(result.stdout)
                records = self.cluster.wait_jobs(job)
                self.assertEqual([r["JobState"] for r in records], ["COMPLETED"], self.logs())
                self.assertEqual(records[0]["NumTasks"], "2")
                log = (self.work / f"capsim-plan-{job}.log").read_text()
                self.assertIn(f"in each of 2 {kind.split()[-1]}", log)
                plan = self.work / f"plan-{i}" / "plan.h5"
                self.assertTrue(plan.exists(), self.logs())
                self.assertEqual(different_datasets(plan, single), [])
                self.assertEqual(list((self.work / f"plan-{i}").glob("plan.h5.journal*")), [])
        with self.subTest("a plan is resubmitted, not --resubmit"):
            result = self.submit("--plan", "--resubmit", "1", PLAN, "plan-x", 2, check=False)
            self.assertEqual(result.returncode, 64)


if __name__ == "__main__":
    unittest.main()
