"""The Python package's layers import one way (docs/architecture.md).

Every module under autograd/ is parsed with ``ast``; every import in it,
at module level or inside a function, that names a module of the package
is an edge.  Each module belongs to a layer; an edge may go to the same
layer or a lower one, never up, a module never imports the package it is
part of (``from .. import numpy`` inside autograd.numpy.linalg would reach
the namespace above its own modules), and the edges have no cycle.
"""
import ast
import os

import pytest

import autograd

# lowest first; a name ending in ".*" stands for every module below it
LAYERS = [
    ("the ABI binding", ["autograd._capi"]),
    ("boxes, traces and the core's operations", ["autograd.tracer", "autograd.user_tracer", "autograd.ops",
                                                  "autograd.primitive_values"]),
    ("vector spaces and the vjp/jvp machinery",
     ["autograd.vspaces", "autograd.core", "autograd.builtins", "autograd.extend",
      "autograd.value_boxes"]),
    ("the differential operators",
     ["autograd.differential_operators", "autograd.wrap_util", "autograd.test_util",
      "autograd.util", "autograd._process"]),
    ("the numpy namespace and its wrappers", ["autograd.numpy", "autograd.numpy.*"]),
    ("scipy and misc", ["autograd.scipy", "autograd.scipy.*", "autograd.misc", "autograd.misc.*"]),
    ("the package", ["autograd"]),
]


def package_sources(root):
    """{module name: (source, is_package)} for every .py file under root
    (the directory of the autograd package)."""
    out = {}
    base = os.path.dirname(root)
    for d, _, files in os.walk(root):
        for f in files:
            if not f.endswith(".py"):
                continue
            path = os.path.join(d, f)
            rel = os.path.relpath(path, base)[:-3].split(os.sep)
            is_pkg = rel[-1] == "__init__"
            if is_pkg:
                rel = rel[:-1]
            with open(path, encoding="utf-8") as fh:
                out[".".join(rel)] = (fh.read(), is_pkg)
    return out


def layer_of(module):
    """The index in LAYERS of module's layer (None when it has none)."""
    for i, (_, names) in enumerate(LAYERS):
        for n in names:
            if module == n or (n.endswith(".*") and module.startswith(n[:-1])):
                return i
    return None


def imports_of(module, source, is_pkg, modules):
    """[(line, imported module)] for every import of a module in `modules`
    anywhere in source (module level, functions, classes)."""
    package = module if is_pkg else module.rpartition(".")[0]
    edges = []

    def add(line, name):
        # the longest prefix of name that is a module of the package
        parts = name.split(".")
        for k in range(len(parts), 0, -1):
            cand = ".".join(parts[:k])
            if cand in modules:
                edges.append((line, cand))
                return

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for a in node.names:
                add(node.lineno, a.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base_parts = parts[:len(parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for a in node.names:
                sub = base + "." + a.name
                add(node.lineno, sub if sub in modules else base)
    return edges


def find_cycle(graph):
    """A cycle [m0, m1, ..., m0] of graph {module: set of modules}, or None."""
    state, stack = {}, []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state:
                c = visit(n)
                if c:
                    return c
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state:
            c = visit(m)
            if c:
                return c
    return None


def layering_problems(sources):
    """Every violation of the layering in sources ({module: (source,
    is_package)}), as readable strings."""
    problems, graph = [], {}
    for m in sorted(sources):
        if layer_of(m) is None:
            problems.append("{} has no layer in LAYERS".format(m))
    for m, (src, is_pkg) in sorted(sources.items()):
        lm = layer_of(m)
        graph[m] = set()
        for line, target in imports_of(m, src, is_pkg, sources):
            if target == m:
                continue
            graph[m].add(target)
            lt = layer_of(target)
            if lm is not None and lt is not None and lt > lm:
                problems.append("{}:{} imports {} from a higher layer ({} above {})".format(
                    m, line, target, LAYERS[lt][0], LAYERS[lm][0]))
            if m.startswith(target + "."):
                problems.append("{}:{} imports {}, the package it is part of".format(m, line, target))
    cycle = find_cycle(graph)
    if cycle:
        problems.append("import cycle: " + " -> ".join(cycle))
    return problems


@pytest.fixture(scope="module")
def sources():
    return package_sources(os.path.dirname(os.path.abspath(autograd.__file__)))


def test_package_imports_one_way(sources):
    assert len(sources) > 30  # the whole package was found
    assert layering_problems(sources) == []


def _with(sources, module, extra):
    out = dict(sources)
    src, is_pkg = out[module]
    out[module] = (src + "\n" + extra + "\n", is_pkg)
    return out


def test_check_flags_a_function_level_upward_import(sources):
    bad = _with(sources, "autograd.tracer", "def _anp():\n    from . import numpy as anp\n    return anp")
    problems = layering_problems(bad)
    assert any("autograd.tracer:" in p and "imports autograd.numpy from a higher layer" in p
               for p in problems), problems


def test_check_flags_an_upward_import_to_the_package(sources):
    bad = _with(sources, "autograd.core", "import autograd")
    assert any("autograd.core:" in p and "imports autograd " in p for p in layering_problems(bad))


def test_check_flags_a_submodule_importing_its_namespace(sources):
    bad = _with(sources, "autograd.numpy.linalg", "def T(x):\n    from .. import numpy as anp\n    return anp.swapaxes(x, -1, -2)")
    problems = layering_problems(bad)
    assert any("autograd.numpy.linalg:" in p and "the package it is part of" in p for p in problems)


def test_check_flags_a_cycle_within_a_layer(sources):
    bad = _with(sources, "autograd.numpy.elementwise", "from .array_products import matmul")
    problems = layering_problems(bad)
    assert any(p.startswith("import cycle:") and "autograd.numpy.elementwise" in p
               for p in problems), problems


def test_check_flags_a_module_without_a_layer(sources):
    bad = dict(sources, **{"autograd.extra": ("import numpy\n", False)})
    assert "autograd.extra has no layer in LAYERS" in layering_problems(bad)
