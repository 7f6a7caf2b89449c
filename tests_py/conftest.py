"""pytest configuration: find the library of a development checkout and
seed numpy's generator for every test."""
import os
import sys

import numpy
import pytest

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if "AUTOGRAD_LIB" not in os.environ:
    _dev_lib = os.path.join(_ROOT, "build", "libautograd.so")
    _pkg_lib = os.path.join(_ROOT, "python", "autograd", "libautograd.so")
    if os.path.exists(_dev_lib) and not os.path.exists(_pkg_lib):
        os.environ["AUTOGRAD_LIB"] = _dev_lib
_PY = os.path.join(_ROOT, "python")
if _PY not in sys.path:
    sys.path.insert(0, _PY)


@pytest.fixture(autouse=True)
def _seed():
    numpy.random.seed(0)
