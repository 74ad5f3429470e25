"""The Slurm scripts of scripts/slurm/, run through stand-ins for sbatch, sinfo, scontrol and scancel: sbatch
executes each job at once with the environment Slurm would give it (an array of shards, then the dependent
merge), sinfo and scontrol describe one partition of 4-CPU nodes. What needs no cluster is checked here, on
any machine: the options reach sbatch, a resubmitted shard is the right one, a request the partition cannot
meet is refused. test_slurm_cluster.py runs the same scripts on a real one-node Slurm."""
import os
import stat
import subprocess
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

from capsim_test_support import REPO_ROOT, capsim_bin, different_datasets, run_capsim

SLURM = REPO_ROOT / "scripts" / "slurm"
STUDY = REPO_ROOT / "scenarios" / "small" / "queue-sweep.yaml"

# Runs the job script now: every array task in turn (SLURM_ARRAY_* set), with the --export variables, unless
# FAKE_REASON is set (the jobs then stay "pending" with that reason, and nothing runs).
FAKE_SBATCH = textwrap.dedent(f"""\
    #!{sys.executable}
    import os, subprocess, sys
    args, env, tasks = sys.argv[1:], dict(os.environ), None
    for a in args[:-1]:
        if a.startswith("--export="):
            for item in a[len("--export="):].split(","):
                if "=" in item:
                    key, value = item.split("=", 1)
                    env[key] = value
        elif a.startswith("--array="):
            tasks = []
            for part in a[len("--array="):].split(","):
                first, _, last = part.partition("-")
                tasks += range(int(first), int(last or first) + 1)
        elif a.startswith("--cpus-per-task="):
            env["SLURM_CPUS_PER_TASK"] = a[len("--cpus-per-task="):]
    log = open(os.environ["FAKE_SBATCH_LOG"], "a")
    log.write(" ".join(args) + "\\n")
    log.flush()
    for i in (tasks if tasks is not None and not os.environ.get("FAKE_REASON") else []):
        env.update(SLURM_ARRAY_TASK_ID=str(i), SLURM_ARRAY_TASK_COUNT=str(len(tasks)),
                   SLURM_ARRAY_TASK_MIN=str(min(tasks)))
        # Slurm writes a job's output to its log, not to sbatch's standard output.
        subprocess.run(["bash", args[-1]], env=env, check=True, stdout=log, stderr=subprocess.STDOUT)
    if tasks is None and not os.environ.get("FAKE_REASON"):
        subprocess.run(["bash", args[-1]], env=env, check=True, stdout=log, stderr=subprocess.STDOUT)
    log.flush()
    print(sum(1 for line in open(os.environ["FAKE_SBATCH_LOG"]) if line.startswith("--")))
    """)

# One partition, debug (the default), of two 4-CPU nodes.
FAKE_SINFO = textwrap.dedent(f"""\
    #!{sys.executable}
    import sys
    args = sys.argv[1:]
    partition = args[args.index("-p") + 1] if "-p" in args else None
    fmt = args[args.index("-o") + 1]
    if partition is None:
        print("debug*")
    elif partition == "debug":
        print("4\\n4" if "-N" in args else fmt.replace("%D", "2").replace("%c", "4").replace("%m", "16000")
                                               .replace("%T", "idle"))
    """)

FAKE_SCONTROL = textwrap.dedent(f"""\
    #!{sys.executable}
    import os, sys
    args = sys.argv[1:]
    if args[:3] == ["-o", "show", "partition"] and args[3] == "debug":
        print("PartitionName=debug MaxNodes=UNLIMITED MaxTime=01:00:00 MaxCPUsPerNode=UNLIMITED")
    elif args[:3] == ["-o", "show", "job"]:
        reason = os.environ.get("FAKE_REASON")
        print(f"JobId={{args[3]}} JobState={{'PENDING' if reason else 'COMPLETED'}} Reason={{reason or 'None'}}")
    """)

FAKE_SCANCEL = textwrap.dedent(f"""\
    #!{sys.executable}
    import os, sys
    open(os.environ["FAKE_SBATCH_LOG"], "a").write("scancel " + " ".join(sys.argv[1:]) + "\\n")
    """)


class SlurmScriptsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)
        bin_dir = self.dir / "bin"
        bin_dir.mkdir()
        for name, text in (("sbatch", FAKE_SBATCH), ("sinfo", FAKE_SINFO), ("scontrol", FAKE_SCONTROL),
                           ("scancel", FAKE_SCANCEL)):
            (bin_dir / name).write_text(text)
            (bin_dir / name).chmod(0o755 | stat.S_IEXEC)
        self.log = self.dir / "sbatch.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("SBATCH_", "SLURM_", "CAPSIM_SLURM_"))}
        self.env.update(PATH=f"{bin_dir}:{os.environ['PATH']}", CAPSIM=capsim_bin(), FAKE_SBATCH_LOG=str(self.log),
                        CAPSIM_SLURM_CHECK_S="0")
        self.out = self.dir / "runs"

    def tearDown(self):
        self.tmp.cleanup()

    def submit(self, *args, env=None):
        return subprocess.run(["bash", str(SLURM / "submit-study.sh"), *map(str, args)], cwd=self.dir,
                              env=dict(self.env, **(env or {})), capture_output=True, text=True, timeout=600)

    def lines(self, prefix="--"):
        return [line for line in self.log.read_text().splitlines() if line.startswith(prefix)] \
            if self.log.exists() else []

    def assert_same_as_one_run(self, path):
        single = self.dir / "single.h5"
        if not single.exists():
            run_capsim("run", STUDY, "-o", single, "--quiet", check=True)
        self.assertEqual(different_datasets(path, single), [])

    def test_array_of_shards_then_merge_equals_one_run(self):
        result = self.submit(STUDY, self.out, "3", "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("submitted shards as job", result.stdout)
        array, merge = self.lines()
        self.assertIn("--array=0-2", array)
        self.assertIn("--cpus-per-task=1", array)  # what runs on any node, unless asked
        self.assertIn("--dependency=afterok:1", merge)
        self.assertIn("--kill-on-invalid-dep=yes", merge)  # a failed shard cancels the merge
        self.assertEqual(sorted(p.name for p in self.out.glob("shard-*.h5")),
                         ["shard-0-of-3.h5", "shard-1-of-3.h5", "shard-2-of-3.h5"])
        self.assert_same_as_one_run(self.out / "results.h5")

    def test_options_and_environment_reach_sbatch(self):
        result = self.submit("--cpus-per-task", "2", "--partition=debug", "--account", "proj42", "--time", "30",
                             "--mem", "2G", STUDY, self.out, "2", "--quiet", "--set", "name=Queue sweep, renamed")
        self.assertEqual(result.returncode, 0, result.stderr)
        array, merge = self.lines()
        for line in (array, merge):
            for option in ("--partition=debug", "--account=proj42", "--time=30", "--mem=2G"):
                self.assertIn(option, line)
        self.assertIn("--cpus-per-task=2", array)
        self.assertIn("--cpus-per-task=1", merge)
        log = self.log.read_text()
        self.assertIn("on 1 rank x 2 threads", log)
        # capsim's options reach it as given, a comma and a space included.
        self.assertIn("capsim run: Queue sweep, renamed", log)

        self.log.unlink()
        result = self.submit(STUDY, self.dir / "env", "2", "--quiet",
                             env={"CAPSIM_SLURM_CPUS": "3", "SBATCH_TIMELIMIT": "45", "SBATCH_PARTITION": "debug"})
        self.assertEqual(result.returncode, 0, result.stderr)
        array, merge = self.lines()
        self.assertIn("--cpus-per-task=3", array)
        self.assertIn("--time=45", merge)
        self.assertIn("on 1 rank x 3 threads", self.log.read_text())

    def test_resubmitted_shard_is_the_same_shard(self):
        self.assertEqual(self.submit(STUDY, self.out, "3", "--quiet").returncode, 0)
        (self.out / "shard-1-of-3.h5").unlink()
        (self.out / "results.h5").unlink()
        self.log.unlink()
        result = self.submit("--resubmit", "1", STUDY, self.out, "3", "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("resubmitted shards 1 as job", result.stdout)
        array, _ = self.lines()
        self.assertIn("--array=1", array)
        self.assertIn("shard 1/3", self.log.read_text())
        self.assert_same_as_one_run(self.out / "results.h5")

    def test_request_beyond_the_nodes_is_refused_before_submitting(self):
        for args, env in ((["--cpus-per-task", "8"], {}), ([], {"CAPSIM_SLURM_CPUS": "8"})):
            result = self.submit(*args, STUDY, self.out, "2", env=env)
            self.assertEqual(result.returncode, 69, result.stderr)
            self.assertIn("each task asks for 8 CPUs but the nodes of partition 'debug' have at most 4",
                          result.stderr)
            self.assertIn("2 node(s) with 4 CPUs and 16000 MB", result.stderr)
            self.assertEqual(self.lines(), [])
        result = self.submit("--partition", "gpu", STUDY, self.out, "2")
        self.assertEqual(result.returncode, 69, result.stderr)
        self.assertIn("no partition 'gpu'", result.stderr)
        self.assertEqual(self.lines(), [])

    def test_jobs_that_can_never_start_are_cancelled(self):
        result = self.submit("--time", "2:00:00", STUDY, self.out, "2", env={"FAKE_REASON": "PartitionTimeLimit"})
        self.assertEqual(result.returncode, 69, result.stderr)
        self.assertIn("job 1 is pending with reason PartitionTimeLimit", result.stderr)
        self.assertIn("asked: --cpus-per-task=1 --time=2:00:00", result.stderr)
        self.assertIn("MaxTime=01:00:00", result.stderr)
        self.assertEqual(self.lines("scancel"), ["scancel 1 2"])
        # A reason that clears by itself (nodes busy) is left alone.
        self.log.unlink()
        result = self.submit(STUDY, self.out, "2", env={"FAKE_REASON": "Resources"})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.lines("scancel"), [])

    def test_bad_command_lines(self):
        for args, message in ((["--resubmit", "3", STUDY, self.out, "3"], "shards 0 to 2 only"),
                              (["--resubmit", "1;2", STUDY, self.out, "3"], "shard numbers like"),
                              (["--cpus-per-task", "two", STUDY, self.out, "3"], "positive whole number"),
                              ([STUDY, self.out, "0"], "positive whole number"),
                              (["--mpi", "--resubmit", "1", STUDY, self.out, "3"], "same command"),
                              (["--frobnicate", STUDY, self.out, "3"], "unknown option"),
                              ([STUDY, self.out], "usage")):
            result = self.submit(*args)
            self.assertEqual(result.returncode, 64, f"{args}: {result.stderr}")
            self.assertIn(message, result.stderr)
        self.assertEqual(self.lines(), [])

    def test_scripts_are_valid_bash(self):
        for script in SLURM.iterdir():
            result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, f"{script.name}: {result.stderr}")


if __name__ == "__main__":
    unittest.main()
