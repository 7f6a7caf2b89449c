"""pytest configuration: test the installed autograd package when there is
one (make test installs it into .venv), else the source tree's python/
with the library built by `make lib`; seed numpy's generator for every
test."""
import importlib.util
import os
import sys

import numpy
import pytest

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_SRC = os.path.join(_ROOT, "python")
_spec = importlib.util.find_spec("autograd")
if _spec is None:
    # a development checkout without an installed package
    sys.path.insert(0, _SRC)
if _spec is None or (_spec.origin or "").startswith(_SRC + os.sep):
    # testing the source tree: use the library `make lib` built
    _dev_lib = os.path.join(_ROOT, "build", "libautograd.so")
    _pkg_lib = os.path.join(_SRC, "autograd", "libautograd.so")
    if "AUTOGRAD_LIB" not in os.environ and os.path.exists(_dev_lib) and not os.path.exists(_pkg_lib):
        os.environ["AUTOGRAD_LIB"] = _dev_lib


def pytest_report_header(config):
    import autograd
    return "autograd from " + os.path.dirname(autograd.__file__)


@pytest.fixture(autouse=True)
def _seed():
    numpy.random.seed(0)


def pytest_terminal_summary(terminalreporter):
    # the number of cases the property tests (test_properties.py) tried
    mod = sys.modules.get("test_properties")
    if mod is not None and mod.COUNTS:
        terminalreporter.write_line(mod.summary())
