"""Results of the differential operators pickle whenever the function they
wrap does, so they can be sent to worker processes: multiprocessing and
concurrent.futures pools under every start method, and joblib's loky.

The functions differentiated live in tests_py/_pool_funcs.py, a module the
workers can import."""
import concurrent.futures
import multiprocessing
import pickle

import numpy
import pytest

import autograd
import autograd.numpy as np
from autograd import differential_operators as ops
from autograd import (grad, elementwise_grad, jacobian, hessian, value_and_grad, grad_and_aux,
                      holomorphic_grad, deriv, make_hvp, make_jvp, make_vjp,
                      hessian_tensor_product, tensor_jacobian_product, make_ggnvp,
                      grad_named, multigrad_dict)

import _pool_funcs as pf

X = numpy.linspace(-1.0, 1.5, 5)
Y = numpy.linspace(0.5, 2.0, 5)


def roundtrip(f):
    return pickle.loads(pickle.dumps(f))


def same(a, b):
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(same(u, v) for u, v in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, str):
        return a == b
    return numpy.allclose(a, b, rtol=1e-13, atol=1e-13)


CASES = [
    ("grad", lambda: grad(pf.tanh_sum), (X,)),
    ("grad argnum 1", lambda: grad(pf.two_args, 1), (X, Y)),
    ("grad argnum tuple", lambda: grad(pf.two_args, (0, 1)), (X, Y)),
    ("elementwise_grad", lambda: elementwise_grad(np.tanh), (X,)),
    ("jacobian", lambda: jacobian(pf.vector_valued), (X,)),
    ("hessian", lambda: hessian(pf.tanh_sum), (X,)),
    ("value_and_grad", lambda: value_and_grad(pf.two_args), (X, Y)),
    ("grad_and_aux", lambda: grad_and_aux(pf.with_aux), (X,)),
    ("holomorphic_grad", lambda: holomorphic_grad(np.sin), (1.0 + 0.5j,)),
    ("deriv", lambda: deriv(np.tanh), (0.3,)),
    ("grad of grad", lambda: grad(grad(np.tanh)), (0.3,)),
    ("hessian_tensor_product", lambda: hessian_tensor_product(pf.tanh_sum), (X, Y)),
    ("tensor_jacobian_product", lambda: tensor_jacobian_product(pf.vector_valued), (X, Y)),
    ("grad_named", lambda: grad_named(pf.two_args, "y"), (X, Y)),
    ("multigrad_dict", lambda: multigrad_dict(pf.two_args), (X, Y)),
    ("autograd.grad", lambda: autograd.grad(pf.tanh_sum), (X,)),
    ("operators module", lambda: ops.jacobian(pf.vector_valued), (X,)),
]


@pytest.mark.parametrize("name,make,args", CASES, ids=[c[0] for c in CASES])
def test_pickle_roundtrip_gives_the_same_results(name, make, args):
    f = make()
    g = roundtrip(f)
    assert g.__name__ == f.__name__ and g.__doc__ == f.__doc__
    assert same(g(*args), f(*args))


def test_operators_themselves_pickle_by_name():
    for op in (grad, jacobian, hessian, elementwise_grad, value_and_grad, make_vjp, make_jvp):
        assert roundtrip(op) is op


def test_make_vjp_jvp_hvp_ggnvp_results_pickle():
    # the operator's result pickles (the vjp it returns, a closure over one
    # forward pass, does not need to)
    vjp, ans = roundtrip(make_vjp(pf.vector_valued))(X)
    assert same(vjp(numpy.ones(5)), make_vjp(pf.vector_valued)(X)[0](numpy.ones(5)))
    jvp = roundtrip(make_jvp(pf.vector_valued))(X)
    assert same(jvp(Y)[1], make_jvp(pf.vector_valued)(X)(Y)[1])
    hvp, _ = roundtrip(make_hvp(pf.tanh_sum))(X)
    assert same(hvp(Y), hessian(pf.tanh_sum)(X).dot(Y))
    ggnvp = roundtrip(make_ggnvp(pf.vector_valued))(X)
    assert same(ggnvp(Y), make_ggnvp(pf.vector_valued)(X)(Y))


def test_a_derivative_that_cannot_pickle_says_so():
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        pickle.dumps(grad(lambda x: x ** 2))


def test_names_docs_signature_and_method_binding_follow_upstream():
    g = grad(pf.two_args, 1)
    assert g.__name__ == "grad_of_two_args_wrt_argnum_1"
    assert g.__wrapped__ is pf.two_args
    assert "grad of function two_args with respect to argument number 1" in g.__doc__
    import inspect
    assert list(inspect.signature(g).parameters) == ["x", "y"]

    class Model(object):
        def loss(self, x):
            return np.sum(x ** 2) * self.scale
        dloss = grad(loss, 1)

    m = Model()
    m.scale = 3.0
    assert same(m.dloss(X), 6.0 * X)
    assert Model.dloss is Model.__dict__["dloss"]


def test_derivative_of_an_unpickled_derivative_pickles():
    d2 = roundtrip(grad(roundtrip(grad(np.tanh))))
    t = numpy.tanh(0.3)
    assert same(d2(0.3), -2 * t * (1 - t ** 2))


# seconds after which a pool that has not answered counts as hung (the work
# takes well under a second)
HANG = 120

XS = [0.5 * k for k in range(1, 7)]
EXPECTED = [pf.big_gradient_expected(s) for s in XS]
METHODS = [m for m in ("fork", "spawn", "forkserver") if m in multiprocessing.get_all_start_methods()]


def _warm_up():
    # use the library in this process first, so that "fork" children start
    # from a parent whose Go runtime is running (its threads do not survive
    # fork)
    assert numpy.isclose(pf.big_gradient(1.0), pf.big_gradient_expected(1.0))


@pytest.mark.parametrize("method", METHODS)
def test_multiprocessing_pool_map_of_grad(method):
    _warm_up()
    ctx = multiprocessing.get_context(method)
    xs = [numpy.linspace(-1, 1, 7) * k for k in range(1, 9)]
    with ctx.Pool(2) as pool:
        # a timeout so that a hung worker fails the test instead of hanging it
        got = pool.map_async(grad(pf.tanh_sum), xs).get(timeout=HANG)
        sums = pool.map_async(pf.big_gradient, XS).get(timeout=HANG)
    for g, x in zip(got, xs):
        assert numpy.allclose(g, pf.tanh_sum_grad(x), rtol=1e-12, atol=1e-12)
    assert numpy.allclose(sums, EXPECTED, rtol=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_process_pool_executor(method):
    _warm_up()
    ctx = multiprocessing.get_context(method)
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=ctx) as ex:
        got = list(ex.map(grad(pf.two_args, (0, 1)), [X] * 3, [Y * k for k in range(3)],
                          timeout=HANG))
        sums = list(ex.map(pf.big_gradient, XS, timeout=HANG))
    for k, (gx, gy) in enumerate(got):
        assert numpy.allclose(gx, numpy.cos(X) * (Y * k) ** 2, rtol=1e-12, atol=1e-12)
        assert numpy.allclose(gy, 2 * numpy.sin(X) * Y * k, rtol=1e-12, atol=1e-12)
    assert numpy.allclose(sums, EXPECTED, rtol=1e-12)


def test_joblib_loky():
    joblib = pytest.importorskip("joblib")
    _warm_up()
    got = joblib.Parallel(n_jobs=2, backend="loky", timeout=HANG)(
        joblib.delayed(grad(pf.tanh_sum))(numpy.linspace(-1, 1, 7) * k) for k in range(1, 5))
    for k, g in zip(range(1, 5), got):
        assert numpy.allclose(g, pf.tanh_sum_grad(numpy.linspace(-1, 1, 7) * k), rtol=1e-12)
    sums = joblib.Parallel(n_jobs=2, backend="loky", timeout=HANG)(joblib.delayed(pf.big_gradient)(s) for s in XS)
    assert numpy.allclose(sums, EXPECTED, rtol=1e-12)
