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

if importlib.util.find_spec("autograd") is None:
    # a development checkout without an installed package
    sys.path.insert(0, os.path.join(_ROOT, "python"))
    _dev_lib = os.path.join(_ROOT, "build", "libautograd.so")
    _pkg_lib = os.path.join(_ROOT, "python", "autograd", "libautograd.so")
    if "AUTOGRAD_LIB" not in os.environ and os.path.exists(_dev_lib) and not os.path.exists(_pkg_lib):
        os.environ["AUTOGRAD_LIB"] = _dev_lib


def pytest_report_header(config):
    import autograd
    return "autograd from " + os.path.dirname(autograd.__file__)


@pytest.fixture(autouse=True)
def _seed():
    numpy.random.seed(0)
