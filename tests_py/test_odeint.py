"""autograd.scipy.integrate.odeint: values against scipy's odeint,
gradients (reverse mode, adjoint method) with respect to y0, t and args
against finite differences and closed forms; unsupported modes raise."""
import numpy
import numpy.random as npr
import pytest

scipy = pytest.importorskip("scipy")
import scipy.integrate as si  # noqa: E402

import autograd.numpy as np  # noqa: E402
from autograd import grad, jacobian, make_jvp, make_vjp  # noqa: E402
from autograd.scipy.integrate import odeint  # noqa: E402
from autograd.test_util import check_grads  # noqa: E402

# tight solver tolerances: finite differences (eps = 1e-6) of the numerical
# solution must resolve check_grads' rtol 1e-5 / atol 1e-6
TOL = dict(rtol=1e-12, atol=1e-12)


def decay(y, t, k):
    return -k * y


def lotka_volterra(y, t, params):
    """Non-autonomous, nonlinear; params a dict holding a tuple."""
    a, (b, c, d) = params["a"], params["bcd"]
    return np.array([a * y[0] - b * y[0] * y[1],
                     -c * y[1] + d * y[0] * y[1] + 0.1 * np.sin(t)])


def spiral(y, t, A, shift):
    return np.tanh(np.dot(A, y) + shift) - 0.05 * y ** 3


LV_PARAMS = {"a": 1.1, "bcd": (0.4, numpy.array(0.9), 0.3)}
LV_Y0 = numpy.array([1.2, 0.7])
TIMES = numpy.array([0.0, 0.4, 1.1, 1.5, 2.3])


def test_values_against_scipy():
    y0 = npr.uniform(0.5, 2, 3)
    out = odeint(decay, y0, TIMES, (0.7,), **TOL)
    assert out.shape == (len(TIMES), 3)
    assert numpy.array_equal(out, si.odeint(decay, y0, TIMES, (0.7,), **TOL))
    out = odeint(lotka_volterra, LV_Y0, TIMES, (LV_PARAMS,))
    assert numpy.array_equal(out, si.odeint(lotka_volterra, LV_Y0, TIMES, (LV_PARAMS,)))
    # traced: the same values
    traced = make_vjp(lambda y0: odeint(lotka_volterra, y0, TIMES, (LV_PARAMS,)))(LV_Y0)[1]
    assert numpy.array_equal(traced, out)
    # tfirst and scalar y0 as scipy
    f = lambda t, y, k: -k * y + t  # noqa: E731
    assert numpy.array_equal(odeint(f, 1.5, TIMES, (0.3,), tfirst=True),
                             si.odeint(f, 1.5, TIMES, (0.3,), tfirst=True))


def test_closed_form_decay():
    """y' = -k y: y(t) = y0 exp(-k (t - t0))."""
    k, y0 = 0.7, numpy.array([1.0, -2.0, 0.5])
    t = numpy.array([0.3, 1.0, 2.5])
    G = npr.randn(len(t), len(y0))

    def loss(y0, t, k):
        return np.sum(G * odeint(decay, y0, t, (k,), **TOL))

    dt = t - t[0]
    E = numpy.exp(-k * dt)[:, None]                     # dy_i/dy0, per component
    sol = y0[None, :] * E
    assert numpy.allclose(odeint(decay, y0, t, (k,), **TOL), sol, rtol=1e-9, atol=1e-10)
    assert numpy.allclose(grad(loss, 0)(y0, t, k), numpy.sum(G * E, axis=0), rtol=1e-7)
    assert numpy.allclose(grad(loss, 2)(y0, t, k), numpy.sum(G * -dt[:, None] * sol), rtol=1e-7)
    gt = numpy.sum(G * -k * sol, axis=1)                # d y_i / d t_i = -k y_i
    gt[0] = numpy.sum(G[1:] * k * sol[1:])              # moving t0 moves every later y_i
    assert numpy.allclose(grad(loss, 1)(y0, t, k), gt, rtol=1e-7, atol=1e-10)


def test_grads_decay():
    check_grads(lambda y0, t, k: odeint(decay, y0, t, (k,), **TOL), (0, 1, 2),
                modes=["rev"], order=1)(npr.uniform(0.5, 2, 2), TIMES, 0.6)


def test_grads_nested_args():
    def f(y0, t, params):
        return odeint(lotka_volterra, y0, t, (params,), **TOL)
    check_grads(f, (0, 1, 2), modes=["rev"], order=1)(LV_Y0, TIMES, LV_PARAMS)


def test_grads_array_args():
    A = npr.randn(3, 3) * 0.5
    shift = npr.randn(3) * 0.1
    y0 = npr.randn(3)

    def f(y0, t, A, shift):
        return odeint(spiral, y0, t, (A, shift), **TOL)
    check_grads(f, (0, 1, 2, 3), modes=["rev"], order=1)(y0, TIMES, A, shift)
    # against finite differences of scipy's own odeint, one entry of A
    G = npr.randn(len(TIMES), 3)
    gA = grad(lambda A: np.sum(G * f(y0, TIMES, A, shift)))(A)
    E = numpy.zeros_like(A)
    E[1, 2] = 1e-5
    plus = si.odeint(spiral, y0, TIMES, (A + E, shift), **TOL)
    minus = si.odeint(spiral, y0, TIMES, (A - E, shift), **TOL)
    assert numpy.isclose(gA[1, 2], numpy.sum(G * (plus - minus)) / 2e-5, rtol=1e-5)


def test_jacobian_and_partial_args():
    """Several backward passes over one odeint (jacobian), and args mixing
    traced and constant entries."""
    def f(y0, a):
        return odeint(lotka_volterra, y0, TIMES, ({"a": a, "bcd": (0.4, 0.9, 0.3)},), **TOL)[-1]
    J = jacobian(f, 0)(LV_Y0, 1.1)
    assert J.shape == (2, 2)
    eps = 1e-6
    for j in range(2):
        e = numpy.zeros(2)
        e[j] = eps
        assert numpy.allclose(J[:, j], (f(LV_Y0 + e, 1.1) - f(LV_Y0 - e, 1.1)) / (2 * eps),
                              rtol=1e-5, atol=1e-7)
    check_grads(f, (0, 1), modes=["rev"], order=1)(LV_Y0, 1.1)


def test_single_time():
    g = grad(lambda y0, t: np.sum(odeint(decay, y0, t, (1.0,)) * 3.0), (0, 1))
    gy, gt = g(numpy.array([1.0, 2.0]), numpy.array([0.5]))
    assert numpy.array_equal(gy, [3.0, 3.0]) and numpy.array_equal(gt, [0.0])


def test_second_order_closed_form_decay():
    """y' = -k y: d²/dk² Σ y(t_i) = Σ y0 (t_i − t0)² exp(−k (t_i − t0)), and
    the mixed derivatives in y0 and t."""
    y0, k = numpy.array([1.0, -2.0, 0.5]), 0.7
    dt = TIMES - TIMES[0]
    f = lambda y0, t, k: np.sum(odeint(decay, y0, t, (k,), **TOL))  # noqa: E731
    d2k = grad(grad(f, 2), 2)(y0, TIMES, k)
    assert numpy.allclose(d2k, numpy.sum(y0) * numpy.sum(dt ** 2 * numpy.exp(-k * dt)), rtol=1e-7)
    dkdy0 = grad(grad(f, 2), 0)(y0, TIMES, k)
    assert numpy.allclose(dkdy0, -numpy.sum(dt * numpy.exp(-k * dt)), rtol=1e-7)
    # ∂²/∂k∂t_i for i > 0: (k t_i − 1) ... differentiate -k y0 e^{-k dt_i} in k
    dkdt = grad(grad(f, 2), 1)(y0, TIMES, k)
    expected = numpy.sum(y0) * (-1 + k * dt) * numpy.exp(-k * dt)
    expected[0] = -numpy.sum(expected[1:])
    assert numpy.allclose(dkdt, expected, rtol=1e-6)


def test_second_order_against_finite_differences():
    A, shift = npr.randn(2, 2), npr.randn(2)
    y0, t = npr.randn(2), numpy.array([0.1, 0.4, 0.9])
    check_grads(lambda y0, t, A, shift: odeint(spiral, y0, t, (A, shift), **TOL),
                modes=["rev"], order=2)(y0, t, A, shift)
    check_grads(lambda y0, p: odeint(lotka_volterra, y0, t, (p,), **TOL),
                modes=["rev"], order=2)(LV_Y0, {"a": 1.1, "bcd": (0.4, 0.9, 0.3)})


def test_unsupported_modes_raise():
    y0 = numpy.array([1.0, 2.0])
    f = lambda k: np.sum(odeint(decay, y0, TIMES, (k,)))  # noqa: E731
    with pytest.raises(NotImplementedError, match="forward mode"):
        make_jvp(f)(0.5)(1.0)
    # a traced parameter hidden in func's closure would get a zero gradient
    with pytest.raises(TypeError, match="through args"):
        grad(lambda k: np.sum(odeint(lambda y, t: -k * y, y0, TIMES)))(0.5)
    with pytest.raises(NotImplementedError, match="full_output"):
        grad(lambda k: np.sum(odeint(decay, y0, TIMES, (k,), full_output=True)[0]))(0.5)
    with pytest.raises(TypeError, match="tuple"):
        odeint(decay, y0, TIMES, 0.5)


def test_import_without_scipy():
    import subprocess
    import sys
    code = ("import sys; sys.modules['scipy'] = None\n"
            "import autograd, autograd.numpy\n"
            "try:\n    import autograd.scipy.integrate\nexcept ImportError:\n    print('no scipy')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "no scipy"
