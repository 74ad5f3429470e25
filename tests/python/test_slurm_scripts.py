"""The Slurm scripts of scripts/slurm/, run through a stand-in `sbatch` that executes each job at
once with the environment Slurm would give it: an array of shards, then the dependent merge."""
import os
import stat
import subprocess
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

import h5py
import numpy as np

from capsim_test_support import REPO_ROOT, capsim_bin, run_capsim

SLURM = REPO_ROOT / "scripts" / "slurm"
STUDY = REPO_ROOT / "scenarios" / "small" / "queue-sweep.yaml"

# Runs the job script now: every array task in turn (SLURM_ARRAY_* set), with the --export variables.
FAKE_SBATCH = textwrap.dedent(f"""\
    #!{sys.executable}
    import itertools, os, subprocess, sys
    args, env, tasks = sys.argv[1:], dict(os.environ), None
    for a in args[:-1]:
        if a.startswith("--export="):
            for item in a[len("--export="):].split(","):
                if "=" in item:
                    key, value = item.split("=", 1)
                    env[key] = value
        elif a.startswith("--array="):
            first, last = map(int, a[len("--array="):].split("-"))
            tasks = range(first, last + 1)
    log = open(os.environ["FAKE_SBATCH_LOG"], "a")
    log.write(" ".join(args) + "\\n")
    log.flush()
    for i in (tasks if tasks is not None else [None]):
        if i is not None:
            env.update(SLURM_ARRAY_TASK_ID=str(i), SLURM_ARRAY_TASK_COUNT=str(len(tasks)),
                       SLURM_ARRAY_TASK_MIN=str(tasks[0]), SLURM_CPUS_PER_TASK="1")
        # Slurm writes a job's output to its log, not to sbatch's standard output.
        subprocess.run(["bash", args[-1]], env=env, check=True, stdout=log, stderr=subprocess.STDOUT)
    log.flush()
    print(sum(1 for line in open(os.environ["FAKE_SBATCH_LOG"]) if line.startswith("--")))
    """)


class SlurmScriptsTest(unittest.TestCase):
    def test_array_of_shards_then_merge_equals_one_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            sbatch = tmp / "bin" / "sbatch"
            sbatch.parent.mkdir()
            sbatch.write_text(FAKE_SBATCH)
            sbatch.chmod(sbatch.stat().st_mode | stat.S_IEXEC)
            env = dict(os.environ, PATH=f"{sbatch.parent}:{os.environ['PATH']}", CAPSIM=capsim_bin(),
                       FAKE_SBATCH_LOG=str(tmp / "sbatch.log"))
            out = tmp / "runs"
            result = subprocess.run(["bash", str(SLURM / "submit-study.sh"), str(STUDY), str(out), "3", "--quiet"],
                                    env=env, capture_output=True, text=True, timeout=600)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn("submitted shards as job", result.stdout)
            submissions = [line for line in (tmp / "sbatch.log").read_text().splitlines() if line.startswith("--")]
            self.assertIn("--array=0-2", submissions[0])
            self.assertIn("--dependency=afterok:1", submissions[1])
            self.assertEqual(sorted(p.name for p in out.glob("shard-*.h5")),
                             ["shard-0-of-3.h5", "shard-1-of-3.h5", "shard-2-of-3.h5"])
            single = tmp / "single.h5"
            run_capsim("run", STUDY, "-o", single, "--quiet", check=True)
            with h5py.File(out / "results.h5", "r") as merged, h5py.File(single, "r") as whole:
                for name in ("stats/tenants/queued_jobs", "totals/jobs", "sites/energy_mwh"):
                    np.testing.assert_array_equal(merged[name][()], whole[name][()])

    def test_scripts_are_valid_bash(self):
        for script in SLURM.iterdir():
            result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, f"{script.name}: {result.stderr}")


if __name__ == "__main__":
    unittest.main()
