"""scripts/report_results.py on real files: a single run, a study (3 points x 4 replications), a replay, and
several files together (two runs, one without workloads, and two replays of one trace) each give one HTML
file that holds everything it shows: no address, file or script it would fetch, its figures inline as PNG.
Each opens in headless Chromium without an error in the page, with every figure it names decoded and no
table or figure wider than a laptop's screen, and is photographed (CAPSIM_REPORT_SCREENSHOT_DIR=DIR keeps
the screenshots). The report names the scenario, its description, build-out and totals as the file has
them, a study's swept values with their bands, and the sections of each kind of file. Bad input fails in
one line with the scripts' exit codes and leaves no report behind, also when writing fails part way. A plan
file (`capsim plan`) gets its own report: the search, the chosen plan against the runner-up, the frontier.
Skipped without Chromium (Debian's `chromium`)."""
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from html import unescape
from pathlib import Path
from unittest import mock

import h5py

from capsim_test_support import REPO_ROOT, TRACES, run_capsim

sys.path.insert(0, str(REPO_ROOT / "scripts"))
from capsim_report import cli as report_cli  # noqa: E402

SCRIPT = REPO_ROOT / "scripts" / "report_results.py"
QUEUE_SWEEP = REPO_ROOT / "scenarios" / "small" / "queue-sweep.yaml"
GRID_CAP = REPO_ROOT / "scenarios" / "small" / "grid-cap.yaml"
PLAN = REPO_ROOT / "tests" / "scenarios" / "plan" / "grid-and-nodes.yaml"
TRACE = TRACES / "HPC2N-2002-excerpt.swf.gz"
EXIT_USAGE, EXIT_BAD_INPUT, EXIT_IO = 64, 65, 74
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
RUN_FIGURES = ["gpus", "power", "energy", "utilization", "waits", "waits_by_class", "shares", "goodput", "summary"]
STUDY_FIGURES = ["sweep"] + [f for f in RUN_FIGURES if f != "waits"]  # a study keeps no job table
REPLAY_FIGURES = ["utilization", "waits"]
DESCRIPTION = "Two tenants share 8 H100 nodes <for 60 days> & wait"  # escaped in the page
LAPTOP = (1366, 768)  # a common laptop screen, in CSS pixels

FILES = {}  # name -> HDF5 path, made once for the module
WRITTEN = {}  # report name -> (path, text), written once for the module
TMP = None
needs_chromium = unittest.skipIf(CHROMIUM is None, "chromium is not installed (Debian: apt install chromium; "
                                                   "scripts/install-deps.sh --tests installs it)")

# Put first in the page's <head> by the test, not the report: records the page's errors, and once the page has
# loaded, every image (decoded, its natural and shown size), the widest table and the page's width.
PROBE = """<script>
window.__errors = [];
window.addEventListener("error", e => window.__errors.push(String(e.message || e.type)), true);
window.addEventListener("unhandledrejection", e => window.__errors.push("unhandled: " + String(e.reason)));
const consoleError = console.error;
console.error = (...a) => { window.__errors.push("console: " + a.join(" ")); consoleError(...a); };
// Decoded: drawn whole into a canvas, its pixels read back (the figures' white background is opaque).
function decoded(image) {
  if (!image.complete || !image.naturalWidth) return false;
  try {
    const canvas = document.createElement("canvas");
    canvas.width = 64; canvas.height = 64;
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0, 64, 64);
    const pixels = context.getImageData(0, 0, 64, 64).data;
    let opaque = 0;
    for (let k = 3; k < pixels.length; k += 4) opaque += pixels[k] > 0;
    return opaque === 64 * 64;
  } catch (e) {
    window.__errors.push("canvas: " + e);
    return false;
  }
}
window.addEventListener("load", () => {
  const images = [...document.images];
  const wide = [...document.querySelectorAll(".table-wrap")].filter(w => w.scrollWidth > w.clientWidth + 1)
    .map(w => w.id);
  const result = {errors: window.__errors, width: document.documentElement.scrollWidth, viewport: innerWidth,
    height: document.documentElement.scrollHeight, wide_tables: wide,
    images: images.map(i => ({figure: i.closest("figure") ? i.closest("figure").dataset.figure : "",
      decoded: decoded(i), natural: i.naturalWidth, natural_height: i.naturalHeight, shown: i.clientWidth,
      attribute: Number(i.getAttribute("width"))}))};
  const pre = document.createElement("pre");
  pre.id = "capsim-probe";
  pre.textContent = JSON.stringify(result);
  document.body.appendChild(pre);
});
</script>"""


def setUpModule():
    global TMP
    TMP = tempfile.TemporaryDirectory()
    root = Path(TMP.name)
    FILES["run"] = root / "run.h5"
    run_capsim("run", QUEUE_SWEEP, "--set", "sweep={}", "--set", "replications=1", "--set",
               f"description={DESCRIPTION}", "-o", FILES["run"], "--quiet", check=True)
    FILES["study"] = root / "study.h5"
    run_capsim("run", QUEUE_SWEEP, "-o", FILES["study"], "--quiet", check=True)
    FILES["grid"] = root / "grid.h5"
    run_capsim("run", GRID_CAP, "-o", FILES["grid"], "--quiet", check=True)
    FILES["plan"] = root / "planned.h5"
    run_capsim("plan", PLAN, "-o", FILES["plan"], "--quiet", check=True)
    if TRACE.exists():
        for policy in ("easy", "fcfs"):
            FILES[f"replay-{policy}"] = root / f"replay-{policy}.h5"
            run_capsim("replay", TRACE, "--policy", policy, "-o", FILES[f"replay-{policy}"], check=True)


def tearDownModule():
    TMP.cleanup()


def report(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                          timeout=600)


def chromium(*args, user_data):
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
               "--disable-extensions", "--disable-background-networking", "--mute-audio",
               f"--user-data-dir={user_data}", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


class Reports(unittest.TestCase):
    def write(self, name, *files, options=()):
        """Writes the report of `files` (names in FILES) as NAME.html, once for the module (the content and the
        rendering tests read the same report); returns its path and text."""
        if name in WRITTEN:
            return WRITTEN[name]
        out = Path(TMP.name) / f"{name}.html"
        result = report(*[FILES[f] for f in files], "-o", out, "--force", *options)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), str(out))
        self.assertEqual(sorted(p.name for p in out.parent.glob(f"{name}.html*")), [out.name], "temporary files left")
        WRITTEN[name] = out, out.read_text(encoding="utf-8")
        return WRITTEN[name]

    def several(self):
        """Two runs (one without workloads) and two replays of one trace, drawn at 72 dpi to be quick."""
        return self.write("several", "run", "grid", "replay-easy", "replay-fcfs", options=("--dpi", "72"))

    def assert_self_contained(self, html):
        """Nothing the page would fetch: no address, no file, no script, style or font from elsewhere."""
        self.assertTrue(html.startswith("<!DOCTYPE html>"))
        for pattern in (r"https?:", r"//[a-z0-9.-]+\.[a-z]{2,}/", r"<link\b", r"@import", r"<script\b", r"<iframe\b",
                        r"<object\b", r"<embed\b", r"file:"):
            self.assertIsNone(re.search(pattern, html, re.I), f"the report holds {pattern}")
        for attribute, value in re.findall(r"\b(src|href|srcset|poster|data)\s*=\s*[\"']([^\"']*)", html, re.I):
            if attribute.lower() == "href":
                self.assertTrue(value.startswith("#"), f"a link out of the page: {value[:80]}")
            elif attribute.lower() == "src":
                self.assertTrue(value.startswith("data:image/png;base64,"), f"a file fetched: {value[:80]}")
            else:
                self.fail(f"{attribute}={value[:80]}")
        for url in re.findall(r"url\(([^)]*)\)", html):
            self.assertTrue(url.strip("'\" ").startswith("data:"), f"a style fetches {url[:80]}")
        for target in re.findall(r'href="#([^"]+)"', html):
            self.assertIn(f'id="{target}"', html, f"a link to no section: #{target}")
        ids = re.findall(r'\bid="([^"]+)"', html)
        self.assertEqual(len(ids), len(set(ids)), "ids given twice")

    def assert_has(self, html, part):
        self.assertTrue(part in html, f"not in the report: {part}")  # not the page itself: megabytes of it

    def figures_of(self, html):
        return re.findall(r'data-figure="([^"]+)"', html)

    def render(self, path, figures, sharp=True):
        """Opens the report in Chromium: no error, every figure decoded (and, `sharp`, drawn with at least a dot
        per CSS pixel), nothing wider than a laptop's screen; then photographs its first screen and the whole
        page. Returns the probe's findings."""
        work = Path(tempfile.mkdtemp(dir=TMP.name))
        probe = work / path.name
        probe.write_text(path.read_text(encoding="utf-8").replace("<head>", "<head>" + PROBE, 1), encoding="utf-8")
        result = chromium("--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000",
                          f"--window-size={LAPTOP[0]},{LAPTOP[1]}", "--dump-dom", probe.as_uri(),
                          user_data=work / "profile")
        self.assertEqual(result.returncode, 0, result.stderr[-2000:])
        found = re.search(r'<pre id="capsim-probe">(.*?)</pre>', result.stdout, re.S)
        self.assertIsNotNone(found, f"the page did not finish loading: {result.stderr[-2000:]}")
        probed = json.loads(unescape(found.group(1)))
        self.assertEqual(probed["errors"], [], f"{path.name}: errors in the page")
        console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
        self.assertEqual(console, [], f"{path.name}: console messages")
        drawn = [image["figure"] for image in probed["images"]]
        self.assertEqual(drawn, figures, f"{path.name}: the figures shown")
        for image in probed["images"]:
            what = f"{path.name}: figure {image['figure']}"
            self.assertTrue(image["decoded"], f"{what} does not decode")
            self.assertGreater(image["natural"], 0, f"{what} is empty")
            self.assertGreater(image["natural_height"], 0, f"{what} is empty")
            # Drawn for its size (at the report's dpi), and shown at no less than 3/4 of it on a laptop.
            if sharp:
                self.assertGreaterEqual(image["natural"], image["attribute"], what)
            self.assertGreaterEqual(image["shown"], 0.75 * min(image["attribute"], LAPTOP[0]), f"{what}: shrunk")
        self.assertLessEqual(probed["width"], probed["viewport"], f"{path.name}: the page is wider than the screen")
        self.assertEqual(probed["wide_tables"], [], f"{path.name}: tables wider than the screen")
        self.screenshots(path, work, probed["height"])
        return probed

    def screenshots(self, path, work, height):
        keep = os.environ.get("CAPSIM_REPORT_SCREENSHOT_DIR")
        folder = Path(keep) if keep else work
        folder.mkdir(parents=True, exist_ok=True)
        for suffix, size in (("", LAPTOP), ("-page", (LAPTOP[0], min(height, 16000)))):
            shot = folder / f"{path.stem}{suffix}.png"
            result = chromium(f"--screenshot={shot}", f"--window-size={size[0]},{size[1]}", path.as_uri(),
                              user_data=work / "profile")
            self.assertEqual(result.returncode, 0, result.stderr[-2000:])
            data = shot.read_bytes()
            self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n", f"{shot} is not a PNG")
            self.assertGreater(len(data), 20000, f"{shot} is (nearly) blank")
            print(f"\n  screenshot: {shot}" + ("" if keep else " (removed with the test's folder; "
                                                          "CAPSIM_REPORT_SCREENSHOT_DIR=DIR keeps it)"),
                  file=sys.stderr)


class TestReports(Reports):
    def test_single_run(self):
        path, html = self.write("run", "run")
        self.assert_self_contained(html)
        figures = self.figures_of(html)
        self.assertEqual(figures, RUN_FIGURES)
        with h5py.File(FILES["run"], "r") as f:
            attrs = dict(f.attrs)
        text = unescape(re.sub(r"<[^>]+>", " ", html))
        self.assert_has(html, "<h1>Queue sweep on one small cluster</h1>")
        self.assert_has(html, '<p class="description">Two tenants share 8 H100 nodes &lt;for 60 days&gt; &amp; '
                              'wait</p>')
        for section in ("totals", "scenario", "sites", "jobs", "figures"):
            self.assert_has(html, f'<section id="{section}">')
        for caption in ("Build-out: orders", "Sites: settings", "Workloads", "Sites: totals",
                        "Tenants: demand, delivery and share", "Jobs and waits by class", "p95 wait by year"):
            self.assert_has(html, f"<caption>{caption}")
        self.assertIn(f"{attrs['total_energy_mwh']:.3g} MWh", text)
        self.assertIn(f"{attrs['jobs']:,}", text)
        self.assertIn(f"{attrs['total_capex_hardware']:,.0f}", text)  # the order's capex in the build-out
        self.assertTrue(re.search(r"hgx-h100\s+H100 × 8\s+8\s+64\s+2026-01-01", text), "the order")
        self.assertTrue(re.search(r"mean wait\s+\d+(\.\d)? (s|min|h|d)\b", text), "the mean wait, humanised")
        self.assertIn("60.0 %", text)  # research's entitled share

    def test_study_gives_bands_by_point_and_the_sweep(self):
        path, html = self.write("study", "study")
        self.assert_self_contained(html)
        figures = self.figures_of(html)
        self.assertEqual(figures, STUDY_FIGURES)
        text = unescape(re.sub(r"<[^>]+>", " ", html))
        self.assertIn("3 points × 4 replications", text)
        self.assertIn("Key totals by sweep point", text)
        self.assertIn("swept: 20/day, 40/day, 80/day", text)  # on the workload whose rate is swept
        self.assertIn("Not drawn: waits", text)
        with h5py.File(FILES["study"], "r") as f:
            energy = f["stats/totals/total_energy_mwh"][()]
            statistics = [s.decode() for s in f["stats/totals/statistic"][()]]
        mean, low, high = (energy[0, statistics.index(s)] for s in ("mean", "ci95_low", "ci95_high"))
        p10, p90 = (energy[0, statistics.index(s)] for s in ("p10", "p90"))
        self.assertIn(f"{mean:.4g} ±{(high - low) / 2:.4g}", text)
        self.assertIn(f"{p10:.4g} – {p90:.4g}", text)
        for rate in ("20/day", "40/day", "80/day"):  # a row per point, named by its swept value
            self.assertEqual(len(re.findall(rf'<th class="text" scope="row">{re.escape(rate)}</th>', html)), 1, rate)

    @unittest.skipUnless(TRACE.exists(), f"{TRACE} not found")
    def test_replay(self):
        path, html = self.write("replay", "replay-easy")
        self.assert_self_contained(html)
        figures = self.figures_of(html)
        self.assertEqual(figures, REPLAY_FIGURES)
        with h5py.File(FILES["replay-easy"], "r") as f:
            jobs = int(f.attrs["jobs"])
        text = unescape(re.sub(r"<[^>]+>", " ", html))
        self.assert_has(html, "<h1>Replay of HPC2N-2002-excerpt.swf.gz (easy)</h1>")
        self.assertIn(f"{jobs:,}", text)
        self.assertFalse('id="sites"' in html, "a replay has no sites")

    @unittest.skipUnless(TRACE.exists(), f"{TRACE} not found")
    def test_several_files_are_compared_then_shown_each(self):
        path, html = self.several()
        self.assert_self_contained(html)
        figures = self.figures_of(html)
        # The runs' figures drawn together (the grid-cap run has no workloads: left out of those figures), the
        # replays' apart; none in the files' own sections.
        self.assertEqual(figures, RUN_FIGURES + REPLAY_FIGURES)
        for section in ("compare-run", "compare-replay", "file1", "file2", "file3", "file4"):
            self.assert_has(html, f'<section id="{section}">')
        text = unescape(re.sub(r"<[^>]+>", " ", html))
        self.assertIn("Key totals side by side: sites", text)
        self.assertIn("no workloads", text)
        self.assertIn("easy / fifo", text)
        self.assertIn("fcfs / fifo", text)


class TestPlanReport(Reports):
    def test_plan(self):
        path, html = self.write("plan", "plan")
        self.assert_self_contained(html)
        self.assertEqual(self.figures_of(html), ["frontier"])
        for section in ("plan", "choice", "frontier", "figures"):
            self.assert_has(html, f'<section id="{section}">')
        with h5py.File(FILES["plan"], "r") as f:
            chosen = f.attrs["chosen_settings"]
            chosen = (chosen.decode() if isinstance(chosen, bytes) else chosen).splitlines()
        text = unescape(re.sub(r"<[^>]+>", " ", html))
        for setting in chosen:  # the chosen value of every decision is in the table
            self.assertIn(setting.split("=", 1)[1], text)
        self.assert_has(html, "The chosen plan against the runner-up")
        self.assertIn("wait_p95 of tenant:* at most 6h", text)

    @needs_chromium
    def test_plan_renders(self):
        path, _ = self.write("plan", "plan")
        self.render(path, ["frontier"])

    def test_a_plan_with_other_files_is_refused(self):
        out = Path(TMP.name) / "mixed.html"
        result = report(FILES["plan"], FILES["grid"], "-o", out)
        self.assertEqual(result.returncode, EXIT_BAD_INPUT, result.stderr)
        self.assertIn("reported on its own", result.stderr)
        self.assertFalse(out.exists())


@needs_chromium
class TestRendering(Reports):
    """Each report of TestReports in Chromium (written here where TestReports has not run)."""

    def test_single_run(self):
        path, _ = self.write("run", "run")
        self.render(path, RUN_FIGURES)

    def test_study(self):
        path, _ = self.write("study", "study")
        self.render(path, STUDY_FIGURES)

    @unittest.skipUnless(TRACE.exists(), f"{TRACE} not found")
    def test_replay(self):
        path, _ = self.write("replay", "replay-easy")
        self.render(path, REPLAY_FIGURES)

    @unittest.skipUnless(TRACE.exists(), f"{TRACE} not found")
    def test_several_files(self):
        path, _ = self.several()
        self.render(path, RUN_FIGURES + REPLAY_FIGURES, sharp=False)  # drawn at 72 dpi


class TestBadInput(unittest.TestCase):
    def assert_fails(self, args, code, *message_parts, output=None):
        result = report(*args)
        self.assertEqual(result.returncode, code, result.stderr)
        self.assertEqual(result.stdout, "")
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertTrue(lines[0].startswith("report_results.py: error: "), result.stderr)
        for part in message_parts:
            self.assertIn(part, result.stderr)
        if output is not None:
            self.assertEqual([p.name for p in output.parent.glob(output.name + "*")], [], "a report was left")

    def test_missing_file(self):
        out = Path(TMP.name) / "missing.html"
        self.assert_fails([Path(TMP.name) / "nothing.h5", "-o", out], EXIT_IO, "nothing.h5: no such file", output=out)

    def test_file_that_is_not_hdf5(self):
        text = Path(TMP.name) / "notes.h5"
        text.write_text("not a result\n")
        out = Path(TMP.name) / "notes.html"
        self.assert_fails([text, "-o", out], EXIT_BAD_INPUT, "not an HDF5 file", output=out)

    def test_hdf5_file_not_written_by_capsim(self):
        other = Path(TMP.name) / "other.h5"
        with h5py.File(other, "w") as f:
            f.attrs["title"] = "something else"
        out = Path(TMP.name) / "other.html"
        self.assert_fails([other, "-o", out], EXIT_BAD_INPUT, "not a file written by capsim", output=out)

    def test_plan_file(self):
        plan = Path(TMP.name) / "plan.h5"
        with h5py.File(plan, "w") as f:  # as `capsim plan` writes it: candidates, no sites
            f.attrs["capsim_version"] = "0"
            f.attrs["file_kind"] = "plan"
            f.attrs["title"] = "capsim plan: a plan"
            f.create_group("candidates")
        out = Path(TMP.name) / "plan.html"
        self.assert_fails([plan, "-o", out], EXIT_BAD_INPUT, "not a complete plan file", output=out)

    def test_truncated_result(self):
        cut = Path(TMP.name) / "cut.h5"
        cut.write_bytes(FILES["run"].read_bytes()[:200000])
        out = Path(TMP.name) / "cut.html"
        self.assert_fails([cut, "-o", out], EXIT_BAD_INPUT, "cannot be read as HDF5", output=out)

    def test_an_existing_report_is_kept_without_force(self):
        out = Path(TMP.name) / "kept.html"
        out.write_text("earlier\n")
        self.assert_fails([FILES["grid"], "-o", out], EXIT_USAGE, "exists; use --force")
        self.assertEqual(out.read_text(), "earlier\n")

    def test_output_in_a_missing_folder(self):
        out = Path(TMP.name) / "no-such-folder" / "r.html"
        self.assert_fails([FILES["grid"], "-o", out], EXIT_IO, "no folder")

    def test_bad_options(self):
        out = Path(TMP.name) / "options.html"
        self.assert_fails([FILES["study"], "-o", out, "--target", "wait_p95=soon"], EXIT_BAD_INPUT, "--target",
                          output=out)
        self.assert_fails([FILES["study"], "-o", out, "--sweep-x", "nothing"], EXIT_USAGE, "not a swept key",
                          output=out)

    @unittest.skipUnless(TRACE.exists(), f"{TRACE} not found")
    def test_a_write_that_fails_leaves_nothing(self):
        out = Path(TMP.name) / "full-disk.html"
        stderr = io.StringIO()
        with mock.patch.object(report_cli.os, "replace", side_effect=OSError(28, "No space left on device")), \
                contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            status = report_cli.main([str(FILES["replay-easy"]), "-o", str(out)])
        self.assertEqual(status, EXIT_IO)
        self.assertIn("No space left on device", stderr.getvalue())
        self.assertEqual([p.name for p in out.parent.glob(out.name + "*")], [], "a report or its temporary was left")


if __name__ == "__main__":
    unittest.main()
