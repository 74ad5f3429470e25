"""docs/examples/explore-results.ipynb runs from top to bottom on small files made with capsim (a run, a
second run of the same scenario with another policy, a study of three replications, a sweep of two keys and
one of one key), in a kernel of this interpreter, and draws a figure in every cell that draws one; a section
whose file is missing is skipped with the command that makes it, and scripts/ is found from the notebook's
folder. The notebook is stored without outputs. About 20 s on 2 cores."""
import importlib.util
import json
import os
import re
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from capsim_test_support import REPO_ROOT, run_capsim

NOTEBOOK = REPO_ROOT / "docs" / "examples" / "explore-results.ipynb"
JOINT = REPO_ROOT / "scenarios" / "joint-2026.yaml"
QUEUE_SWEEP = REPO_ROOT / "scenarios" / "small" / "queue-sweep.yaml"
SHORT = ("--set", "end=2027-06-30")  # both sites and all four tenants at work, in half a second
TWO_KEY_SWEEP = 'sweep={"workloads[0].arrivals.rate": [20/day, 80/day], scheduler.policy: [fcfs, easy]}'
INPUTS = ("CAPSIM_RESULTS", "CAPSIM_COMPARE", "CAPSIM_STUDY", "CAPSIM_SWEEP")
CELL_TIMEOUT_S = 300
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")  # IPython colours its tracebacks

MISSING = [name for name in ("nbclient", "nbformat", "ipykernel", "matplotlib")
           if importlib.util.find_spec(name) is None]
needs_jupyter = unittest.skipIf(bool(MISSING), f"{', '.join(MISSING)} not installed, so the notebook is not run "
                                               "(Debian: python3-nbclient python3-nbformat python3-ipykernel)")


def code_cells(nb):
    return [cell for cell in nb["cells"] if cell["cell_type"] == "code"]


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def draws(cell):
    return "plt.show()" in source(cell)


def images(cell):
    return [out for out in cell.get("outputs", []) if out.get("output_type") == "display_data"
            and "image/png" in out.get("data", {})]


def shown(cell):
    return "".join(out.get("data", {}).get("text/plain", "") for out in cell.get("outputs", [])
                   if out.get("output_type") in ("display_data", "execute_result"))


def printed(cell):
    return "".join(out.get("text", "") for out in cell.get("outputs", []) if out.get("output_type") == "stream")


class StoredNotebookTest(unittest.TestCase):
    def test_is_stored_clean_with_the_python3_kernel(self):
        nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
        self.assertEqual(nb["metadata"]["kernelspec"]["name"], "python3")
        for i, cell in enumerate(code_cells(nb)):
            self.assertEqual(cell["outputs"], [], f"code cell {i} is stored with outputs")
            self.assertIsNone(cell["execution_count"], f"code cell {i} is stored with an execution count")
        first = source(nb["cells"][0])
        for variable in INPUTS:
            self.assertIn(variable, first, f"the first cell does not say how to make {variable}'s file")
        self.assertIn("capsim run", first)


@needs_jupyter
class ExecutedNotebookTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        root = Path(cls.tmp.name)
        cls.files = {variable: root / f"{variable.lower()}.h5" for variable in INPUTS}
        run_capsim("run", JOINT, *SHORT, "--quiet", "-o", cls.files["CAPSIM_RESULTS"], check=True)
        run_capsim("run", JOINT, *SHORT, "--set", "scheduler.policy=fcfs", "--quiet",
                   "-o", cls.files["CAPSIM_COMPARE"], check=True)
        run_capsim("run", JOINT, *SHORT, "--replications", "3", "--quiet", "-o", cls.files["CAPSIM_STUDY"], check=True)
        # A sweep of two keys, one a text (a line per policy), and the scenario's own sweep of one key
        run_capsim("run", QUEUE_SWEEP, "--set", "replications=3", "--set", TWO_KEY_SWEEP, "--quiet",
                   "-o", cls.files["CAPSIM_SWEEP"], check=True)
        cls.one_key_sweep = root / "one-key-sweep.h5"
        run_capsim("run", QUEUE_SWEEP, "--set", "replications=3", "--quiet", "-o", cls.one_key_sweep, check=True)
        # The kernel runs this interpreter (the one with h5py and xarray), whatever `python3` is on PATH and
        # whatever kernels the user has: a kernel spec named python3 in a folder that JUPYTER_PATH puts first.
        spec = root / "jupyter" / "kernels" / "python3"
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (capsim tests)", "language": "python"}))
        cls.jupyter_env = {"JUPYTER_PATH": str(root / "jupyter"), "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
                           "IPYTHONDIR": str(root / "ipython"),
                           # debugpy (which finding the kernel imports, here and in the kernel) would print a
                           # note on Python 3.11's frozen modules
                           "PYDEVD_DISABLE_FILE_VALIDATION": "1"}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def execute(self, cwd, env):
        """The notebook executed in cwd with env added to the environment; fails with the failing cell's error."""
        import nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError

        nb = nbformat.read(NOTEBOOK, as_version=4)
        with mock.patch.dict(os.environ, {**self.jupyter_env, **env}):
            for variable in ("CAPSIM_SCRIPTS", "MPLBACKEND"):  # only what env gives
                if variable not in env:
                    os.environ.pop(variable, None)
            client = NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                                    resources={"metadata": {"path": str(cwd)}})
            try:
                client.execute()
            except CellExecutionError as e:
                self.fail(f"{NOTEBOOK.name}: a cell failed:\n{ANSI_COLOUR.sub('', str(e))}")
        for i, cell in enumerate(code_cells(nb)):
            errors = [out for out in cell["outputs"] if out["output_type"] == "error"]
            self.assertFalse(errors, f"code cell {i}: {errors}")
        return nb

    def test_every_section_runs_and_draws(self):
        env = {variable: str(path) for variable, path in self.files.items()}
        env["CAPSIM_SCRIPTS"] = str(REPO_ROOT / "scripts")
        nb = self.execute(self.tmp.name, env)
        cells = code_cells(nb)
        drawing = [cell for cell in cells if draws(cell)]
        self.assertGreaterEqual(len(drawing), 5, "the notebook draws sites, tenants, a comparison, bands and a sweep")
        for cell in drawing:
            self.assertEqual(len(images(cell)), 1, f"no figure (or more than one) from:\n{source(cell)[:400]}"
                                                    f"\nprinted:\n{printed(cell)}")
        everything = "".join(printed(cell) for cell in cells)
        self.assertNotIn("not found", everything)
        self.assertNotIn("skipped", everything)
        self.assertIn("fcfs", everything, "the comparison names what differs between the two runs")
        self.assertIn("1 point(s) x 3 replications", everything)
        sweep_cell = next(cell for cell in cells if 'paths["CAPSIM_SWEEP"]' in source(cell))
        self.assertIn("scheduler.policy", shown(sweep_cell), "the sweep's table has a row per rate and policy")

    def test_missing_files_skip_their_sections(self):
        # In the notebook's own folder, as Jupyter runs it: scripts/ is found upwards, without CAPSIM_SCRIPTS.
        missing = Path(self.tmp.name) / "absent"
        env = {"CAPSIM_RESULTS": str(self.files["CAPSIM_RESULTS"]), "CAPSIM_SWEEP": str(self.one_key_sweep),
               "CAPSIM_COMPARE": str(missing / "compare.h5"), "CAPSIM_STUDY": str(missing / "study.h5")}
        nb = self.execute(NOTEBOOK.parent, env)
        cells = code_cells(nb)
        everything = "".join(printed(cell) for cell in cells)
        for variable, name in (("CAPSIM_COMPARE", "compare.h5"), ("CAPSIM_STUDY", "study.h5")):
            self.assertIn(f"{variable}: {missing / name} not found", everything)
        self.assertIn("./build/capsim run scenarios/joint-2026.yaml --replications 16 -o mc.h5", everything)
        drawn = [cell for cell in cells if images(cell)]
        self.assertEqual(len(drawn), 3, "the run's figures of sites and tenants and the sweep's, nothing else")


if __name__ == "__main__":
    unittest.main()
