"""`capsim catalog`: the built-in GPU models and node types, as a table and as JSON."""
import json
import numbers
import unittest

from capsim_test_support import run_capsim


class CatalogCliTest(unittest.TestCase):
    def test_text_tables(self):
        result = run_capsim("catalog", check=True)
        self.assertEqual(result.returncode, 0)
        self.assertEqual(result.stderr, "")
        out = result.stdout
        for name in ("A100", "H100", "H200", "B200", "GB200", "MI300X", "hgx-h100", "hgx-b200", "gb200-nvl72"):
            self.assertIn(name, out)
        h100_row = next(line.split() for line in out.splitlines() if line.split()[:1] == ["H100"])
        self.assertEqual(h100_row[1:4], ["989", "80", "700"])
        node_row = next(line.split() for line in out.splitlines() if line.split()[:1] == ["hgx-h100"])
        self.assertEqual(node_row[1:5], ["H100", "8", "4600", "10200"])

    def test_json(self):
        result = run_capsim("catalog", "--json", check=True)
        self.assertEqual(result.returncode, 0)
        catalog = json.loads(result.stdout)
        self.assertEqual(set(catalog), {"gpus", "nodes"})
        gpus = {g["name"]: g for g in catalog["gpus"]}
        nodes = {n["name"]: n for n in catalog["nodes"]}
        self.assertIn("H100", gpus)
        self.assertIn("hgx-b200", nodes)
        for gpu in gpus.values():
            for field in ("peak_bf16_flops", "hbm_gb", "tdp_w", "idle_w", "release_year", "release_month",
                          "price_usd"):
                self.assertIsInstance(gpu[field], numbers.Real, f"{gpu['name']}.{field}")
        for node in nodes.values():
            for field in ("gpus", "overhead_w", "max_power_w", "price_usd", "peak_bf16_flops"):
                self.assertIsInstance(node[field], numbers.Real, f"{node['name']}.{field}")
            self.assertIn(node["gpu"], gpus)
            gpu = gpus[node["gpu"]]
            self.assertAlmostEqual(node["max_power_w"], node["gpus"] * gpu["tdp_w"] + node["overhead_w"])
        self.assertEqual(gpus["H100"]["peak_bf16_flops"], 989e12)
        self.assertEqual(gpus["H100"]["tdp_w"], 700)
        self.assertEqual(nodes["hgx-h100"]["max_power_w"], 10200)
        self.assertEqual(nodes["hgx-b200"]["gpu"], "B200")
        self.assertEqual(nodes["hgx-b200"]["gpus"], 8)

    def test_listed_in_help(self):
        self.assertIn("catalog", run_capsim("--help").stdout)
        self.assertEqual(run_capsim("catalog", "--help").returncode, 0)


if __name__ == "__main__":
    unittest.main()
