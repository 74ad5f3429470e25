"""Every scenario in tests/scenarios/invalid has one planted mistake (or, for several_problems, a few):
`capsim validate` must report exactly the lines in its .expected file, exit 65 and print nothing on
stdout, and `capsim run` must refuse it the same way and leave no output file behind.

A scenario's <name>.args file, if any, holds extra command-line arguments (one a line, e.g. `--set`
and `sites[5].grid=40MW`) given after the scenario path. capsim runs from the repository root with
the scenario's path relative to it, as the .expected lines name it."""
import difflib
import re
import subprocess
import tempfile
import unittest
from pathlib import Path

from capsim_test_support import REPO_ROOT, capsim_bin

EXIT_BAD_INPUT = 65
INVALID_DIR = REPO_ROOT / "tests" / "scenarios" / "invalid"
SUMMARY = re.compile(r"capsim: \d+ problems? found; nothing was simulated")


def scenarios():
    return sorted(INVALID_DIR.glob("*.yaml"))


def extra_args(scenario):
    args_file = scenario.with_suffix(".args")
    if not args_file.exists():
        return []
    return [line for line in args_file.read_text().splitlines() if line != ""]


def run_capsim_at_root(*args):
    return subprocess.run([capsim_bin(), *map(str, args)], capture_output=True, text=True, timeout=120,
                          cwd=REPO_ROOT)


class InvalidScenarioTest(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        capsim_bin()  # skips the test when CAPSIM_BIN is not set

    def test_folder_holds_cases(self):
        self.assertTrue(INVALID_DIR.is_dir(), f"{INVALID_DIR} is missing")
        self.assertGreater(len(scenarios()), 0, f"no *.yaml in {INVALID_DIR}")

    def test_every_scenario_has_expected_and_vice_versa(self):
        yaml_names = {p.stem for p in INVALID_DIR.glob("*.yaml")}
        expected_names = {p.stem for p in INVALID_DIR.glob("*.expected")}
        args_names = {p.stem for p in INVALID_DIR.glob("*.args")}
        self.assertEqual(sorted(yaml_names - expected_names), [], "scenarios without a .expected file")
        self.assertEqual(sorted(expected_names - yaml_names), [], ".expected files without a scenario")
        self.assertEqual(sorted(args_names - yaml_names), [], ".args files without a scenario")

    def test_every_scenario_starts_with_a_comment(self):
        for scenario in scenarios():
            with self.subTest(scenario=scenario.name):
                first = scenario.read_text().splitlines()[0] if scenario.read_text() else ""
                self.assertTrue(first.startswith("#"), f"{scenario.name} must begin with a comment saying what is wrong")

    def test_validate_reports_expected_problems(self):
        for scenario in scenarios():
            relative = scenario.relative_to(REPO_ROOT).as_posix()
            with self.subTest(scenario=scenario.name):
                args = extra_args(scenario)
                result = run_capsim_at_root("validate", relative, *args)
                command = " ".join(["capsim", "validate", relative, *args])
                self.assertEqual(result.returncode, EXIT_BAD_INPUT,
                                 f"{command} exited {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}")
                self.assertEqual(result.stdout, "", f"{command} printed on stdout")
                lines = result.stderr.splitlines()
                self.assertTrue(lines, f"{command} printed nothing on stderr")
                self.assertRegex(lines[-1], SUMMARY, f"{command}: the last stderr line is not the summary")
                actual = lines[:-1]
                expected_file = scenario.with_suffix(".expected")
                if not expected_file.exists():
                    self.fail(f"{expected_file.name} is missing")
                expected = expected_file.read_text().splitlines()
                if actual != expected:
                    diff = "\n".join(difflib.unified_diff(expected, actual, fromfile=f"{expected_file.name} (expected)",
                                                          tofile="capsim stderr (actual)", lineterm=""))
                    self.fail(f"{command}: stderr differs from {expected_file.name}\n{diff}")
                count = int(re.match(r"capsim: (\d+)", lines[-1]).group(1))
                self.assertEqual(count, len(actual), f"{command}: the summary counts {count} problems "
                                                     f"but {len(actual)} were printed")

    def test_run_refuses_and_writes_nothing(self):
        for scenario in scenarios():
            relative = scenario.relative_to(REPO_ROOT).as_posix()
            with self.subTest(scenario=scenario.name), tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "out.h5"
                args = extra_args(scenario)
                result = run_capsim_at_root("run", relative, "-o", out, *args)
                command = " ".join(["capsim", "run", relative, "-o", str(out), *args])
                self.assertEqual(result.returncode, EXIT_BAD_INPUT,
                                 f"{command} exited {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}")
                self.assertEqual(result.stdout, "", f"{command} printed on stdout")
                self.assertEqual([p.name for p in Path(tmp).iterdir() if p.name.startswith("out.h5")], [],
                                 f"{command} left an output file behind")


if __name__ == "__main__":
    unittest.main()
