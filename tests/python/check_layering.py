#!/usr/bin/env python3
"""Fails when capsim's modules include each other in a cycle.

A module is a directory under include/capsim/ or src/ (engine, sched, workload, ...). A file of module A
that includes "capsim/B/..." is an edge A -> B. Modules in a cycle cannot be understood, tested or
reused one without the other, so every strongly connected component of this graph must be a single
module. On failure the script names, for each cycle, the files that make its edges.

Usage: check_layering.py [--root DIR]   checks the sources under DIR (the repository by default)
       check_layering.py --self-test    checks the cycle finder on small made-up graphs
Standard library only, so that any Python 3 runs it.
"""
import argparse
import re
import sys
import unittest
from collections import defaultdict
from pathlib import Path

INCLUDE = re.compile(r'^\s*#\s*include\s*"capsim/([A-Za-z0-9_]+)/')
SOURCE_SUFFIXES = {".hpp", ".cpp", ".h", ".cc"}


def module_of(path, root):
    """The module a source file belongs to: include/capsim/<module>/... or src/<module>/..."""
    parts = path.relative_to(root).parts
    if parts[0] == "include" and len(parts) > 3 and parts[1] == "capsim":
        return parts[2]
    if parts[0] == "src" and len(parts) > 2:
        return parts[1]
    return None


def include_edges(root):
    """{(from_module, to_module): [files that make this edge]}, self-edges left out."""
    edges = defaultdict(list)
    for top in ("include", "src"):
        for path in sorted((root / top).rglob("*")):
            if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
                continue
            source = module_of(path, root)
            if source is None:
                continue
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                match = INCLUDE.match(line)
                if match and match.group(1) != source:
                    files = edges[(source, match.group(1))]
                    name = path.relative_to(root).as_posix()
                    if name not in files:
                        files.append(name)
    return edges


def strongly_connected_components(nodes, successors):
    """Tarjan's algorithm, iterative so that deep graphs do not hit the recursion limit."""
    index, lowlink, on_stack, stack, components = {}, {}, set(), [], []
    for start in sorted(nodes):
        if start in index:
            continue
        work = [(start, iter(sorted(successors.get(start, ()))))]
        index[start] = lowlink[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = lowlink[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(successors.get(child, ())))))
                elif child in on_stack:
                    lowlink[node] = min(lowlink[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                lowlink[parent] = min(lowlink[parent], lowlink[node])
            if lowlink[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def cycles(edges):
    """The components with more than one module, each with the edges that stay inside it."""
    successors = defaultdict(set)
    nodes = set()
    for source, target in edges:
        successors[source].add(target)
        nodes.update((source, target))
    found = []
    for component in strongly_connected_components(nodes, successors):
        if len(component) > 1:
            members = set(component)
            inner = {edge: files for edge, files in edges.items() if edge[0] in members and edge[1] in members}
            found.append((component, inner))
    return found


def report(found):
    lines = []
    for component, inner in found:
        lines.append(f"include cycle between modules: {', '.join(component)}")
        for (source, target), files in sorted(inner.items()):
            lines.append(f"  {source} -> {target}:")
            lines.extend(f"    {name}" for name in files)
    return "\n".join(lines)


class CycleFinderTest(unittest.TestCase):
    def test_a_chain_has_no_cycle(self):
        self.assertEqual(cycles({("run", "io"): ["a"], ("io", "util"): ["b"]}), [])

    def test_a_pair_is_a_cycle(self):
        found = cycles({("io", "run"): ["a"], ("run", "io"): ["b"], ("run", "util"): ["c"]})
        self.assertEqual([component for component, _ in found], [["io", "run"]])
        self.assertEqual(sorted(found[0][1]), [("io", "run"), ("run", "io")])

    def test_a_longer_loop_is_one_cycle(self):
        found = cycles({("metrics", "scenario"): ["a"], ("scenario", "workload"): ["b"],
                        ("workload", "metrics"): ["c"], ("workload", "util"): ["d"]})
        self.assertEqual([component for component, _ in found], [["metrics", "scenario", "workload"]])

    def test_two_separate_cycles_are_both_named(self):
        found = cycles({("a", "b"): ["1"], ("b", "a"): ["2"], ("c", "d"): ["3"], ("d", "c"): ["4"],
                        ("b", "c"): ["5"]})
        self.assertEqual(sorted(component for component, _ in found), [["a", "b"], ["c", "d"]])

    def test_include_lines_are_read_from_both_trees(self):
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "include" / "capsim" / "io").mkdir(parents=True)
            (root / "src" / "run").mkdir(parents=True)
            (root / "include" / "capsim" / "io" / "writer.hpp").write_text(
                '#include "capsim/io/other.hpp"\n#include "capsim/run/record.hpp"\n')
            (root / "src" / "run" / "study.cpp").write_text('#include <vector>\n# include "capsim/io/writer.hpp"\n')
            edges = include_edges(root)
        self.assertEqual(dict(edges), {("io", "run"): ["include/capsim/io/writer.hpp"],
                                       ("run", "io"): ["src/run/study.cpp"]})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2],
                        help="the repository, holding include/ and src/")
    parser.add_argument("--self-test", action="store_true", help="test the cycle finder itself")
    args = parser.parse_args()
    if args.self_test:
        result = unittest.main(argv=[sys.argv[0]], module=__name__, exit=False, verbosity=2).result
        return 0 if result.wasSuccessful() else 1
    edges = include_edges(args.root)
    if not edges:  # a wrong root would otherwise pass vacuously
        print(f"check_layering.py: no capsim sources under {args.root}", file=sys.stderr)
        return 2
    found = cycles(edges)
    if found:
        print(report(found), file=sys.stderr)
        return 1
    print("no include cycles between modules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
