"""Products of float64 matrices go through numpy's own OpenBLAS dgemm when
numpy ships it (autograd._capi.BLAS says which); AUTOGRAD_BLAS=gonum keeps
gonum's. Both must give the same numbers."""
import os
import subprocess
import sys

import numpy
import pytest

from autograd import _capi

# values and gradients through products and factorizations large enough
# for gonum's LAPACK to call dgemm (blocked algorithms)
SCRIPT = r"""
import sys
import numpy as onp
import autograd.numpy as np
from autograd import _capi, grad
rs = onp.random.RandomState(3)
A = rs.randn(150, 120)
B = rs.randn(120, 90)
S = A @ A.T + 150 * onp.eye(150)
def f(a):
    return (np.sum(np.tanh(np.dot(a, B)) ** 2) + np.sum(np.linalg.cholesky(S + np.dot(a, a.T)))
            + np.sum(np.linalg.solve(S + np.dot(a, a.T), onp.ones(150))) + np.linalg.slogdet(S)[1])
out = onp.concatenate([[f(A)], grad(f)(A).ravel(), onp.linalg.inv(S).ravel()[:10]])
onp.save(sys.argv[1], out)
print(_capi.BLAS)
"""


def run(tmp_path, name, blas):
    env = dict(os.environ, AUTOGRAD_BLAS=blas)
    path = str(tmp_path / (name + ".npy"))
    used = subprocess.run([sys.executable, "-c", SCRIPT, path], env=env, check=True,
                          capture_output=True, text=True).stdout.strip()
    return used, numpy.load(path)


def test_numpys_openblas_is_used_when_numpy_ships_it():
    if _capi._numpys_dgemm() is None:
        pytest.skip("this numpy does not ship scipy-openblas")
    expected = "gonum" if os.environ.get("AUTOGRAD_BLAS", "").lower() == "gonum" else "numpy-openblas"
    assert _capi.BLAS == expected


def test_both_blas_give_the_same_numbers(tmp_path):
    used_default, default = run(tmp_path, "default", "")
    used_gonum, gonum = run(tmp_path, "gonum", "gonum")
    assert used_gonum == "gonum"
    if _capi._numpys_dgemm() is not None:
        assert used_default == "numpy-openblas"
    numpy.testing.assert_allclose(default, gonum, rtol=1e-9, atol=1e-9)
