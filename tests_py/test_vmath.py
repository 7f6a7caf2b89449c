"""The core's elementwise kernels against numpy, at every level.

The core evaluates exp, expm1, log, log1p, tanh, sin, cos, sqrt and the
arithmetic operators on one of three paths, by level: pure Go (Go's math
package), AVX2 kernels and AVX-512 kernels (core/vmath); the library
starts with the best level the CPU has.  Values computed inside a trace are
the core's (an untraced call goes straight to numpy), so each check traces
the function with make_vjp.  Every level must be within 2 ulp of numpy over
each function's whole domain, ±0, ±inf, nan, subnormals and the overflow
edges included, and the gradients it gives must agree with numpy's
derivative formulas.  A level this library or CPU lacks is skipped.
"""
import os
import subprocess
import sys

import numpy as onp
import pytest

import autograd.numpy as np
from autograd import make_vjp, elementwise_grad
from autograd import _capi

LEVELS = [_capi.PURE, _capi.AVX2, _capi.AVX512]


def _highest():
    before = _capi.vector_kernels()
    try:
        return _capi.vector_kernels(True)
    finally:
        _capi.vector_kernels(before)


HIGHEST = _highest()


@pytest.fixture(params=LEVELS, ids=lambda l: _capi.LEVEL_NAMES[l])
def level(request):
    if request.param > HIGHEST:
        pytest.skip("level %s is not available in this library or CPU (the highest is %s)"
                    % (_capi.LEVEL_NAMES[request.param], _capi.LEVEL_NAMES[HIGHEST]))
    before = _capi.vector_kernels()
    assert _capi.vector_kernels(request.param) == request.param
    yield request.param
    _capi.vector_kernels(before)


def ulp_distance(a, b):
    """Number of float64 values between a and b, elementwise (0 for two nans
    and for equal values, including +0 and -0 when both are zero)."""
    a, b = onp.asarray(a, float), onp.asarray(b, float)
    ia = a.view(onp.int64).astype(object)
    ib = b.view(onp.int64).astype(object)
    key = lambda i: i if i >= 0 else -(2 ** 63) - i  # order-preserving
    d = onp.array([abs(key(x) - key(y)) for x, y in zip(ia, ib)], dtype=object)
    both_nan = onp.isnan(a) & onp.isnan(b)
    d[both_nan] = 0
    d[(a == b)] = 0
    d[onp.isnan(a) != onp.isnan(b)] = 2 ** 64
    return d


def samples(lo, hi, n=20001):
    dense = onp.linspace(lo, hi, n)
    powers = 2.0 ** onp.arange(-1074, 1024, 0.37)
    rng = onp.random.RandomState(0)
    bits = rng.randint(0, 2 ** 63, size=4000, dtype=onp.int64).view(onp.float64)
    bits = onp.concatenate([bits, -bits])
    special = [0.0, -0.0, onp.inf, -onp.inf, onp.nan, 5e-324, -5e-324, 2.2250738585072014e-308,
               onp.finfo(float).max, -onp.finfo(float).max, 709.782712893384, 709.7827128933841,
               -745.1332191019411, -745.1332191019412, -708.4, 1e-300, -1.0, 1.0, onp.pi, -onp.pi / 2]
    return onp.concatenate([dense, powers, -powers, bits, special])


CASES = [
    ("exp", onp.exp, -750, 750),
    ("expm1", onp.expm1, -40, 40),
    ("log", onp.log, 0, 10),
    ("log1p", onp.log1p, -1, 10),
    ("tanh", onp.tanh, -25, 25),
    ("sin", onp.sin, -100, 100),
    ("cos", onp.cos, -100, 100),
    ("sqrt", onp.sqrt, 0, 1e6),
]


def traced_value(f, x):
    _, ans = make_vjp(f)(x)
    return onp.asarray(ans)


@pytest.mark.parametrize("name,ref,lo,hi", CASES, ids=[c[0] for c in CASES])
def test_values_within_2_ulp_of_numpy(level, name, ref, lo, hi):
    x = samples(lo, hi)
    with onp.errstate(all="ignore"):
        want = ref(x)
        got = traced_value(getattr(np, name), x)
    d = ulp_distance(got, want)
    if name in ("sin", "cos"):
        # beyond 2**50 (about 1e15) every level takes Go's math.Sin/Cos, whose
        # argument reduction rounds to one float64: a documented deviation,
        # bounded here in absolute terms
        huge = onp.abs(x) > 2.0 ** 50
        g, w = got[huge], want[huge]
        assert onp.all((onp.abs(g - w) <= 1e-15) | (onp.isnan(g) & onp.isnan(w)))
        d[huge] = 0
    bad = onp.nonzero(d > 2)[0]
    assert bad.size == 0, [(x[i], got[i], want[i], d[i]) for i in bad[:5]]
    # signed zeros: the result's sign bit is numpy's wherever numpy's is zero
    zero = want == 0
    assert onp.array_equal(onp.signbit(got[zero]), onp.signbit(want[zero]))


@pytest.mark.parametrize("op", ["add", "subtract", "multiply", "divide"])
def test_arithmetic_exact(level, op):
    rng = onp.random.RandomState(1)
    x, y = rng.randn(1001), rng.randn(1001)
    y[::7] = 0.0
    f = getattr(np, op)
    with onp.errstate(all="ignore"):
        for a, b in [(x, y), (x, 2.5), (2.5, y)]:
            want = getattr(onp, op)(a, b)
            got = traced_value(lambda t: f(t, b), a) if onp.ndim(a) else traced_value(lambda t: f(a, t), b)
            assert onp.array_equal(got, want, equal_nan=True)


# the derivative of each function as numpy computes it, and how far the two
# may be apart (in units of the derivative's own ulp, or absolute for tanh,
# whose 1 - y**2 cancels near |x| = large)
DERIVATIVES = [
    ("exp", lambda x: onp.exp(x), onp.linspace(-700, 700, 5001)),
    ("log", lambda x: 1 / x, onp.linspace(1e-3, 100, 5001)),
    ("log1p", lambda x: 1 / (1 + x), onp.linspace(-0.999, 100, 5001)),
    ("sin", onp.cos, onp.linspace(-50, 50, 5001)),
    ("cos", lambda x: -onp.sin(x), onp.linspace(-50, 50, 5001)),
    ("sqrt", lambda x: 0.5 / onp.sqrt(x), onp.linspace(1e-3, 1e4, 5001)),
]


@pytest.mark.parametrize("name,deriv,x", DERIVATIVES, ids=[c[0] for c in DERIVATIVES])
def test_gradients_match_numpy_derivatives(level, name, deriv, x):
    g = elementwise_grad(getattr(np, name))(x)
    d = ulp_distance(g, deriv(x))
    assert d.max() <= 3, x[onp.argmax(d)]


@pytest.mark.parametrize("name,deriv", [("tanh", lambda x: 1 - onp.tanh(x) ** 2),
                                        ("expm1", lambda x: onp.expm1(x) + 1)])
def test_gradients_from_the_output(level, name, deriv):
    """tanh' = 1 - y**2 and expm1' = y + 1 (upstream's rules) cancel where
    the derivative is small: bounded in absolute terms."""
    x = onp.linspace(-20, 20, 5001)
    g = elementwise_grad(getattr(np, name))(x)
    want = deriv(x)
    assert onp.all(onp.abs(g - want) <= 4 * onp.finfo(float).eps * onp.maximum(1, onp.abs(want)))


def test_levels_agree_on_a_composite_gradient():
    """The tanh_egrad workload's gradient at every available level: within
    a few ulp of the pure-Go path's."""
    if HIGHEST == _capi.PURE:
        pytest.skip("no vector level in this library or CPU")
    f = lambda x: (1.0 - np.exp(-2 * x)) / (1.0 + np.exp(-2 * x))
    x = onp.linspace(-7, 7, 10 ** 5)
    before = _capi.vector_kernels()
    try:
        grads = {}
        for l in range(_capi.PURE, HIGHEST + 1):
            assert _capi.vector_kernels(l) == l
            grads[l] = elementwise_grad(f)(x)
    finally:
        _capi.vector_kernels(before)
    for l, g in grads.items():
        onp.testing.assert_allclose(g, grads[_capi.PURE], rtol=1e-14, atol=4e-15, err_msg=_capi.LEVEL_NAMES[l])
        onp.testing.assert_allclose(g, 1 - onp.tanh(x) ** 2, rtol=1e-12, atol=1e-14, err_msg=_capi.LEVEL_NAMES[l])


def test_vector_levels_compute_the_same_bits():
    """The AVX2 kernels follow the AVX-512 ones step for step: on a CPU
    with both, every function gives the same bits at both levels."""
    if HIGHEST < _capi.AVX512:
        pytest.skip("needs levels avx2 and avx512; the highest here is %s" % _capi.LEVEL_NAMES[HIGHEST])
    before = _capi.vector_kernels()
    try:
        for name, _, lo, hi in CASES:
            x = samples(lo, hi)
            got = {}
            for l in (_capi.AVX2, _capi.AVX512):
                _capi.vector_kernels(l)
                with onp.errstate(all="ignore"):
                    got[l] = traced_value(getattr(np, name), x)
            a, b = got[_capi.AVX2], got[_capi.AVX512]
            same = (a.view(onp.int64) == b.view(onp.int64)) | (onp.isnan(a) & onp.isnan(b))
            assert same.all(), (name, x[~same][:5], a[~same][:5], b[~same][:5])
    finally:
        _capi.vector_kernels(before)


def test_vector_kernels_switch():
    """vector_kernels asks, requests a level (clamped to the available
    ones) and keeps its True/False form."""
    before = _capi.vector_kernels()
    try:
        assert _capi.vector_kernels() == before
        assert _capi.vector_kernels(False) == _capi.PURE
        assert _capi.vector_kernels() == _capi.PURE
        assert _capi.vector_kernels(True) == HIGHEST
        assert _capi.vector_kernels(_capi.AVX2) == min(_capi.AVX2, HIGHEST)
        assert _capi.vector_kernels(99) == HIGHEST
        assert _capi.vector_kernels(-5) == _capi.PURE
    finally:
        _capi.vector_kernels(before)


@pytest.mark.parametrize("env,want", [("", HIGHEST), ("0", _capi.PURE), ("avx2", min(_capi.AVX2, HIGHEST))])
def test_start_level_from_the_environment(env, want):
    """AUTOGRAD_SIMD chooses the level the library starts with."""
    code = "from autograd import _capi; print(_capi.vector_kernels())"
    out = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, AUTOGRAD_SIMD=env),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) == want
