"""The public surface of /work/shared/API.md, name by name.

Every name API.md lists (outside numpy.linalg, numpy.fft, scipy.linalg,
scipy.signal, scipy.integrate and multivariate_normal, which have their own
test files) is one test case: the name exists where API.md says; a traced
call works and gives numpy's / scipy's value; a differentiable function
passes check_grads in forward and reverse mode (order 2 where it is smooth
at the test point); a non-differentiable one returns a plain value.
"""
import importlib
import warnings

import numpy
import pytest

import autograd
import autograd.numpy as anp
from autograd import grad
from autograd.core import make_vjp
from autograd.test_util import check_grads
from autograd.tracer import Box

R = numpy.random.RandomState(0)
A = R.randn(3, 4)                   # generic real matrix
A2 = R.randn(3, 4)                  # another one (distinct values)
P = R.rand(3, 4) + 0.5              # positive
U = R.uniform(-0.8, 0.8, (3, 4))    # inside (-1, 1)
S = R.randn(4, 4)                   # square
V = R.randn(4)
V2 = R.randn(4)
T3 = R.randn(2, 3, 4)
Z = R.randn(3, 4) + 1j * R.randn(3, 4)


def traced_value(fun, x):
    """fun(x) computed under a reverse trace (the traced code path), as a
    plain value."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return make_vjp(fun, x)[1]


def assert_same(traced, expected):
    if isinstance(expected, (list, tuple)):
        assert len(traced) == len(expected)
        for t, e in zip(traced, expected):
            assert_same(t, e)
        return
    assert not isinstance(traced, Box)
    numpy.testing.assert_allclose(numpy.asarray(traced), numpy.asarray(expected),
                                  rtol=1e-10, atol=1e-12)
    assert numpy.shape(traced) == numpy.shape(expected)


# ===================================================================== top level

TOP_LEVEL = ["grad", "value_and_grad", "grad_and_aux", "elementwise_grad", "deriv",
             "jacobian", "hessian", "hessian_tensor_product", "hessian_vector_product",
             "make_hvp", "make_vjp", "make_jvp", "make_ggnvp", "vector_jacobian_product",
             "tensor_jacobian_product", "holomorphic_grad", "grad_named", "multigrad_dict",
             "checkpoint", "primitive", "tuple", "list", "dict", "isinstance", "type"]


def _f(x):
    return anp.sum(anp.sin(x) * x)


def _df(x):
    return numpy.sin(x) + x * numpy.cos(x)


def _d2f(x):
    return 2 * numpy.cos(x) - x * numpy.sin(x)


def _top_grad():
    assert numpy.allclose(autograd.grad(_f)(V), _df(V))
    g = autograd.grad(lambda a, b: anp.sum(a * b), (0, 1))(V, V2)
    assert isinstance(g, tuple) and numpy.allclose(g[0], V2) and numpy.allclose(g[1], V)
    with pytest.raises(TypeError):
        autograd.grad(anp.sin)(V)
    assert isinstance(autograd.grad(anp.sin)(0.5), float)
    nested = {"a": [V, (V2,)], "b": 0.3}
    gn = autograd.grad(lambda d: anp.sum(d["a"][0] * d["a"][1][0]) * d["b"])(nested)
    assert set(gn) == {"a", "b"} and isinstance(gn["a"], list) and isinstance(gn["a"][1], tuple)
    assert numpy.allclose(gn["a"][1][0], V * 0.3) and numpy.allclose(gn["b"], V @ V2)


def _top_value_and_grad():
    v, g = autograd.value_and_grad(_f)(V)
    assert numpy.allclose(v, numpy.sum(numpy.sin(V) * V)) and numpy.allclose(g, _df(V))


def _top_grad_and_aux():
    g, aux = autograd.grad_and_aux(lambda x: (_f(x), anp.cos(x)))(V)
    assert numpy.allclose(g, _df(V)) and numpy.allclose(aux, numpy.cos(V))
    assert not isinstance(aux, Box)


def _top_elementwise_grad():
    assert numpy.allclose(autograd.elementwise_grad(lambda x: anp.sin(x) * x)(A), _df(A))


def _top_deriv():
    assert numpy.allclose(autograd.deriv(lambda x: anp.sin(x) * x)(A), _df(A))
    assert numpy.allclose(autograd.deriv(autograd.deriv(lambda x: anp.sin(x) * x))(0.7),
                          _d2f(0.7))


def _top_jacobian():
    M = R.randn(3, 4)
    J = autograd.jacobian(lambda x: anp.tanh(anp.dot(M, x)))(V)
    assert J.shape == (3, 4)
    assert numpy.allclose(J, (1 - numpy.tanh(M @ V) ** 2)[:, None] * M)
    J2 = autograd.jacobian(lambda x: x ** 2)(A)
    assert J2.shape == (3, 4, 3, 4)
    assert numpy.allclose(J2.reshape(12, 12), numpy.diag(2 * A.ravel()))


def _top_hessian():
    H = autograd.hessian(_f)(V)
    assert numpy.allclose(H, numpy.diag(_d2f(V)))


def _hvp_check(op):
    w = R.randn(4)
    out = op(_f)(V, w)
    assert numpy.allclose(out, _d2f(V) * w)


def _top_make_hvp():
    hvp, g = autograd.make_hvp(_f)(V)
    w = R.randn(4)
    assert numpy.allclose(g, _df(V)) and numpy.allclose(hvp(w), _d2f(V) * w)


def _top_make_vjp():
    vjp, ans = autograd.make_vjp(lambda x: anp.sin(x) * x)(A)
    assert numpy.allclose(ans, numpy.sin(A) * A) and numpy.allclose(vjp(A2), A2 * _df(A))


def _top_make_jvp():
    ans, t = autograd.make_jvp(lambda x: anp.sin(x) * x)(A)(A2)
    assert numpy.allclose(ans, numpy.sin(A) * A) and numpy.allclose(t, A2 * _df(A))


def _top_make_ggnvp():
    M = R.randn(3, 4)
    f = lambda x: anp.tanh(anp.dot(M, x))
    ggnvp = autograd.make_ggnvp(f)(V)
    J = (1 - numpy.tanh(M @ V) ** 2)[:, None] * M
    w = R.randn(4)
    assert numpy.allclose(ggnvp(w), J.T @ J @ w)
    # a non-default g: sum(exp(y)), Hessian diag(exp(y))
    ggnvp2 = autograd.make_ggnvp(f, lambda y: anp.sum(anp.exp(y)))(V)
    assert numpy.allclose(ggnvp2(w), J.T @ (numpy.exp(numpy.tanh(M @ V)) * (J @ w)))


def _tjp_check(op):
    M = R.randn(3, 4)
    w = R.randn(3)
    out = op(lambda x: anp.tanh(anp.dot(M, x)))(V, w)
    J = (1 - numpy.tanh(M @ V) ** 2)[:, None] * M
    assert numpy.allclose(out, w @ J)


def _top_holomorphic_grad():
    z = 0.3 + 0.7j
    assert numpy.allclose(autograd.holomorphic_grad(lambda z: anp.sin(z) * z)(z),
                          numpy.sin(z) + z * numpy.cos(z))


def _top_grad_named():
    def f(x, scale):
        return anp.sum(anp.sin(x)) * scale
    assert numpy.allclose(autograd.grad_named(f, "scale")(V, 2.0), numpy.sum(numpy.sin(V)))
    assert numpy.allclose(autograd.grad_named(f, "x")(V, 2.0), 2 * numpy.cos(V))


def _top_multigrad_dict():
    def f(a, b, c=2.0):
        return anp.sum(a * b) * c
    g = autograd.multigrad_dict(f)(V, V2)
    assert list(g) == ["a", "b", "c"]
    assert numpy.allclose(g["a"], 2 * V2) and numpy.allclose(g["b"], 2 * V)
    assert numpy.allclose(g["c"], V @ V2)


def _top_checkpoint():
    f = autograd.checkpoint(lambda x: anp.sin(x) * x)
    assert numpy.allclose(autograd.elementwise_grad(f)(A), _df(A))
    check_grads(lambda x: anp.sum(f(x)), A)


def _top_primitive():
    @autograd.primitive
    def cube(x):
        return x ** 3
    autograd.extend.defvjp(cube, lambda ans, x: lambda g: 3 * g * x ** 2)
    autograd.extend.defjvp(cube, lambda g, ans, x: 3 * g * x ** 2)
    assert numpy.allclose(autograd.elementwise_grad(cube)(A), 3 * A ** 2)
    check_grads(cube, A)


def _top_builtins():
    from autograd import builtins
    for n in ["tuple", "list", "dict", "isinstance", "type"]:
        assert getattr(autograd, n) is getattr(builtins, n)


TOP_CHECKS = {
    "grad": _top_grad, "value_and_grad": _top_value_and_grad,
    "grad_and_aux": _top_grad_and_aux, "elementwise_grad": _top_elementwise_grad,
    "deriv": _top_deriv, "jacobian": _top_jacobian, "hessian": _top_hessian,
    "hessian_tensor_product": lambda: _hvp_check(autograd.hessian_tensor_product),
    "hessian_vector_product": lambda: _hvp_check(autograd.hessian_vector_product),
    "make_hvp": _top_make_hvp, "make_vjp": _top_make_vjp, "make_jvp": _top_make_jvp,
    "make_ggnvp": _top_make_ggnvp,
    "vector_jacobian_product": lambda: _tjp_check(autograd.vector_jacobian_product),
    "tensor_jacobian_product": lambda: _tjp_check(autograd.tensor_jacobian_product),
    "holomorphic_grad": _top_holomorphic_grad, "grad_named": _top_grad_named,
    "multigrad_dict": _top_multigrad_dict, "checkpoint": _top_checkpoint,
    "primitive": _top_primitive, "tuple": _top_builtins, "list": _top_builtins,
    "dict": _top_builtins, "isinstance": _top_builtins, "type": _top_builtins,
}


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_top_level(name):
    assert hasattr(autograd, name), "autograd.{} is missing".format(name)
    TOP_CHECKS[name]()


@pytest.mark.parametrize("op", ["grad", "jacobian", "elementwise_grad", "value_and_grad",
                                "deriv", "make_vjp"])
def test_argnum_tuple(op):
    f = lambda a, b: anp.sum(anp.sin(a) * b)
    res = getattr(autograd, op)(f, (0, 1))(V, V2)
    if op == "value_and_grad":
        res = res[1]
    elif op == "make_vjp":
        res = res[0](1.0)
    elif op == "deriv":
        # forward mode along ones in both arguments
        assert numpy.allclose(res, numpy.sum(numpy.cos(V) * V2 + numpy.sin(V)))
        return
    assert isinstance(res, tuple) and len(res) == 2
    assert numpy.allclose(res[0], numpy.cos(V) * V2) and numpy.allclose(res[1], numpy.sin(V))


# ===================================================================== modules' names

MODULE_NAMES = {
    "autograd.extend": ["primitive", "notrace_primitive", "defvjp", "defvjp_argnum",
                        "defvjp_argnums", "defjvp", "defjvp_argnum", "defjvp_argnums",
                        "def_linear", "vspace", "VSpace", "Box", "SparseObject", "VJPNode",
                        "JVPNode", "register_notrace"],
    "autograd.core": ["make_vjp", "make_jvp", "vspace", "VSpace", "primitive_vjps",
                      "primitive_jvps"],
    "autograd.tracer": ["Box", "primitive", "notrace_primitive", "isbox", "getval", "trace",
                        "new_box", "Node"],
    "autograd.test_util": ["check_grads", "check_vjp", "check_jvp", "check_equivalent",
                           "combo_check", "scalar_close"],
    "autograd.misc": ["flatten", "flatten_func", "const_graph", "fixed_point", "optimizers"],
    "autograd.misc.optimizers": ["sgd", "rmsprop", "adam"],
    "autograd.misc.flatten": ["flatten", "flatten_func"],
    "autograd.misc.fixed_points": ["fixed_point"],
    "autograd.builtins": ["tuple", "list", "dict", "isinstance", "type", "SequenceBox",
                          "DictBox"],
    "autograd.numpy.random": ["seed", "randn", "rand", "normal", "RandomState", "uniform",
                              "choice", "permutation"],
}


@pytest.mark.parametrize("module,name", [(m, n) for m, ns in MODULE_NAMES.items() for n in ns])
def test_module_name_exists(module, name):
    mod = importlib.import_module(module)
    assert hasattr(mod, name), "{}.{} is missing".format(module, name)


VSPACE_ATTRS = ["shape", "size", "ndim", "dtype", "iscomplex", "zeros", "ones", "randn",
                "standard_basis", "add", "scalar_mul", "inner_prod", "covector", "mut_add"]


@pytest.mark.parametrize("attr", VSPACE_ATTRS)
def test_vspace_attribute(attr):
    from autograd.core import vspace
    for x in [A, Z, 0.5, [V, {"k": Z}]]:
        vs = vspace(x)
        assert hasattr(vs, attr)
    vs = vspace(Z)
    checks = {
        "shape": lambda: vs.shape == Z.shape, "size": lambda: vs.size == 2 * Z.size and vspace(A).size == A.size,
        "ndim": lambda: vs.ndim == 2, "dtype": lambda: vs.dtype == numpy.complex128,
        "iscomplex": lambda: vs.iscomplex and not vspace(A).iscomplex,
        "zeros": lambda: numpy.array_equal(vs.zeros(), numpy.zeros_like(Z)),
        "ones": lambda: numpy.array_equal(vs.ones(), (1 + 1j) * numpy.ones_like(Z))
        and numpy.array_equal(vspace(A).ones(), numpy.ones_like(A)),
        "randn": lambda: vs.randn().shape == Z.shape and vs.randn().dtype == Z.dtype,
        "standard_basis": lambda: len(list(vspace(A).standard_basis())) == A.size
        and len(list(vs.standard_basis())) == 2 * Z.size,
        "add": lambda: numpy.allclose(vs.add(Z, Z), 2 * Z),
        "scalar_mul": lambda: numpy.allclose(vs.scalar_mul(Z, 3.0), 3 * Z),
        "inner_prod": lambda: numpy.allclose(vs.inner_prod(Z, 1j * Z), 0.0)
        and numpy.allclose(vs.inner_prod(Z, Z), numpy.sum(numpy.abs(Z) ** 2)),
        "covector": lambda: numpy.allclose(vs.covector(Z), numpy.conj(Z)),
        "mut_add": lambda: numpy.allclose(vs.mut_add(Z, Z), 2 * Z),
    }
    assert checks[attr]()


# ===================================================================== autograd.numpy

def _u(f):
    return ("unary", f)


# name -> (function of (np, x), x, order).  x may be a tuple of arguments
# (then the function receives the tuple).
NP_DIFF = {
    "add": (lambda np, x: np.add(x[0], x[1]), (A, A2), 2),
    "subtract": (lambda np, x: np.subtract(x[0], x[1]), (A, A2), 2),
    "multiply": (lambda np, x: np.multiply(x[0], x[1]), (A, A2), 2),
    "divide": (lambda np, x: np.divide(x[0], x[1]), (A, P), 2),
    "true_divide": (lambda np, x: np.true_divide(x[0], x[1]), (A, P), 2),
    "power": (lambda np, x: np.power(x[0], x[1]), (P, A), 2),
    "negative": (lambda np, x: np.negative(x), A, 2),
    "abs": (lambda np, x: np.abs(x), A, 2),
    "absolute": (lambda np, x: np.absolute(x), A, 2),
    "fabs": (lambda np, x: np.fabs(x), A, 2),
    "sign": (lambda np, x: np.sign(x) * x, A, 2),
    "reciprocal": (lambda np, x: np.reciprocal(x), P, 2),
    "square": (lambda np, x: np.square(x), A, 2),
    "sqrt": (lambda np, x: np.sqrt(x), P, 2),
    "exp": (lambda np, x: np.exp(x), A, 2),
    "exp2": (lambda np, x: np.exp2(x), A, 2),
    "expm1": (lambda np, x: np.expm1(x), A, 2),
    "log": (lambda np, x: np.log(x), P, 2),
    "log2": (lambda np, x: np.log2(x), P, 2),
    "log10": (lambda np, x: np.log10(x), P, 2),
    "log1p": (lambda np, x: np.log1p(x), P, 2),
    "logaddexp": (lambda np, x: np.logaddexp(x[0], x[1]), (A, A2), 2),
    "logaddexp2": (lambda np, x: np.logaddexp2(x[0], x[1]), (A, A2), 2),
    "sin": (lambda np, x: np.sin(x), A, 2),
    "cos": (lambda np, x: np.cos(x), A, 2),
    "tan": (lambda np, x: np.tan(x), U, 2),
    "arcsin": (lambda np, x: np.arcsin(x), U, 2),
    "arccos": (lambda np, x: np.arccos(x), U, 2),
    "arctan": (lambda np, x: np.arctan(x), A, 2),
    "arctan2": (lambda np, x: np.arctan2(x[0], x[1]), (A, A2), 2),
    "sinh": (lambda np, x: np.sinh(x), A, 2),
    "cosh": (lambda np, x: np.cosh(x), A, 2),
    "tanh": (lambda np, x: np.tanh(x), A, 2),
    "arcsinh": (lambda np, x: np.arcsinh(x), A, 2),
    "arccosh": (lambda np, x: np.arccosh(x), P + 1.0, 2),
    "arctanh": (lambda np, x: np.arctanh(x), U, 2),
    "sinc": (lambda np, x: np.sinc(x), A, 2),
    "hypot": (lambda np, x: np.hypot(x[0], x[1]), (A, A2), 2),
    "deg2rad": (lambda np, x: np.deg2rad(x), A, 2),
    "rad2deg": (lambda np, x: np.rad2deg(x), A, 2),
    "degrees": (lambda np, x: np.degrees(x), A, 2),
    "radians": (lambda np, x: np.radians(x), A, 2),
    "maximum": (lambda np, x: np.maximum(x[0], x[1]), (A, A2), 2),
    "minimum": (lambda np, x: np.minimum(x[0], x[1]), (A, A2), 2),
    "fmax": (lambda np, x: np.fmax(x[0], x[1]), (A, A2), 2),
    "fmin": (lambda np, x: np.fmin(x[0], x[1]), (A, A2), 2),
    "mod": (lambda np, x: np.mod(x[0], x[1]), (A * 3, P), 2),
    "remainder": (lambda np, x: np.remainder(x[0], x[1]), (A * 3, P), 2),
    "clip": (lambda np, x: np.clip(x, -0.5, 0.5), A, 2),
    "where": (lambda np, x: np.where(x > 0, x ** 2, np.sin(x)), A, 2),
    "real": (lambda np, x: np.real(x), Z, 2),
    "imag": (lambda np, x: np.imag(x), Z, 2),
    "conj": (lambda np, x: np.conj(x), Z, 2),
    "conjugate": (lambda np, x: np.conjugate(x), Z, 2),
    "angle": (lambda np, x: np.angle(x), Z, 2),
    "real_if_close": (lambda np, x: np.real_if_close(x), Z, 2),
    "nan_to_num": (lambda np, x: np.nan_to_num(x), A, 2),
    "sum": (lambda np, x: np.sum(x, axis=1), A, 2),
    "mean": (lambda np, x: np.mean(x, axis=(0, 2), keepdims=True), T3, 2),
    "prod": (lambda np, x: np.prod(x, axis=0), A, 2),
    "var": (lambda np, x: np.var(x, axis=1, ddof=1), A, 2),
    "std": (lambda np, x: np.std(x, axis=0), A, 2),
    "max": (lambda np, x: np.max(x, axis=1), A, 2),
    "min": (lambda np, x: np.min(x), A, 2),
    "amax": (lambda np, x: np.amax(x, axis=0), A, 2),
    "amin": (lambda np, x: np.amin(x, axis=(0, 1)), A, 2),
    "cumsum": (lambda np, x: np.cumsum(x, axis=1), A, 2),
    "cumprod": (lambda np, x: np.cumprod(x, axis=0), A, 2),
    "ptp": (lambda np, x: np.ptp(x, axis=1), A, 2),
    "dot": (lambda np, x: np.dot(x[0], x[1]), (A, S), 2),
    "matmul": (lambda np, x: np.matmul(x[0], x[1]), (T3, S), 2),
    "inner": (lambda np, x: np.inner(x[0], x[1]), (A, A2), 2),
    "outer": (lambda np, x: np.outer(x[0], x[1]), (V, A), 2),
    "tensordot": (lambda np, x: np.tensordot(x[0], x[1], axes=([1, 2], [0, 1])),
                  (T3, A), 2),
    "einsum": (lambda np, x: np.einsum("ijk,jk,kl->il", x[0], x[1], x[2]), (T3, A, S), 2),
    "kron": (lambda np, x: np.kron(x[0], x[1]), (A[:2, :2], S), 2),
    "cross": (lambda np, x: np.cross(x[0], x[1]), (A[:, :3], A2[:, :3]), 2),
    "trace": (lambda np, x: np.trace(x, offset=1), S, 2),
    "diag": (lambda np, x: np.diag(x, k=-1), S, 2),
    "diagonal": (lambda np, x: np.diagonal(x, axis1=1, axis2=2), T3[:, :, :3], 2),
    "diagflat": (lambda np, x: np.diagflat(x, k=1), V, 2),
    "tril": (lambda np, x: np.tril(x, -1), S, 2),
    "triu": (lambda np, x: np.triu(x), S, 2),
    "reshape": (lambda np, x: np.reshape(x, (2, -1)), A, 2),
    "ravel": (lambda np, x: np.ravel(x), A, 2),
    "transpose": (lambda np, x: np.transpose(x, (2, 0, 1)), T3, 2),
    "swapaxes": (lambda np, x: np.swapaxes(x, 0, 2), T3, 2),
    "moveaxis": (lambda np, x: np.moveaxis(x, 0, -1), T3, 2),
    "rollaxis": (lambda np, x: np.rollaxis(x, 2), T3, 2),
    "expand_dims": (lambda np, x: np.expand_dims(x, 1), A, 2),
    "squeeze": (lambda np, x: np.squeeze(x), A[:, :1], 2),
    "broadcast_to": (lambda np, x: np.broadcast_to(x, (2, 3, 4)), A, 2),
    "atleast_1d": (lambda np, x: np.atleast_1d(x), numpy.float64(0.3), 2),
    "atleast_2d": (lambda np, x: np.atleast_2d(x), V, 2),
    "atleast_3d": (lambda np, x: np.atleast_3d(x), A, 2),
    "repeat": (lambda np, x: np.repeat(x, [1, 2, 0], axis=0), A, 2),
    "tile": (lambda np, x: np.tile(x, (2, 1, 2)), A, 2),
    "flip": (lambda np, x: np.flip(x, axis=1), A, 2),
    "fliplr": (lambda np, x: np.fliplr(x), A, 2),
    "flipud": (lambda np, x: np.flipud(x), A, 2),
    "rot90": (lambda np, x: np.rot90(x, 3), A, 2),
    "roll": (lambda np, x: np.roll(x, 2, axis=1), A, 2),
    "pad": (lambda np, x: np.pad(x, ((1, 0), (2, 1))), A, 2),
    "concatenate": (lambda np, x: np.concatenate([x[0], x[1]], axis=1), (A, A2), 2),
    "stack": (lambda np, x: np.stack([x[0], x[1]], axis=-1), (A, A2), 2),
    "hstack": (lambda np, x: np.hstack([x[0], x[1]]), (A, A2), 2),
    "vstack": (lambda np, x: np.vstack([x[0], x[1]]), (A, V), 2),
    "dstack": (lambda np, x: np.dstack([x[0], x[1]]), (A, A2), 2),
    "column_stack": (lambda np, x: np.column_stack([x[0], x[1]]), (A, A2[:, 0]), 2),
    "row_stack": (lambda np, x: np.row_stack([x[0], x[1]]), (A, V), 2),
    "split": (lambda np, x: np.split(x, 2, axis=1), A, 2),
    "array_split": (lambda np, x: np.array_split(x, 3, axis=1), A, 2),
    "hsplit": (lambda np, x: np.hsplit(x, [1, 3]), A, 2),
    "vsplit": (lambda np, x: np.vsplit(x, 3), A, 2),
    "dsplit": (lambda np, x: np.dsplit(x, 2), T3, 2),
    "sort": (lambda np, x: np.sort(x, axis=0), A, 2),
    "msort": (lambda np, x: np.msort(x), A, 2),
    "partition": (lambda np, x: np.partition(x, 2, axis=1), A, 2),
    "take": (lambda np, x: np.take(x, [[0, 3], [2, 2]], axis=1), A, 2),
    "compress": (lambda np, x: np.compress([True, False, True], x, axis=0), A, 2),
    "select": (lambda np, x: np.select([x < -0.5, x > 0.5], [x ** 2, np.sin(x)], default=x),
               A, 2),
    "diff": (lambda np, x: np.diff(x, n=2, axis=1), A, 2),
    "gradient": (lambda np, x: np.gradient(x, 0.5, axis=1), A, 2),
    "full": (lambda np, x: np.full((2, 3), x), numpy.float64(0.7), 2),
    "full_like": (lambda np, x: np.full_like(A, x), numpy.float64(0.7), 2),
    "zeros_like": (lambda np, x: np.zeros_like(x) + x * 2, A, 2),
    "ones_like": (lambda np, x: np.ones_like(x) * x, A, 2),
    "linspace": (lambda np, x: np.linspace(x[0], x[1], 5), (numpy.float64(0.3), V), 2),
    "array": (lambda np, x: np.array([[x[0], 1.0], [2.0, x[1]]]) ** 2,
              (numpy.float64(0.3), numpy.float64(-1.2)), 2),
    "asarray": (lambda np, x: np.asarray([x, x * 2]), A, 2),
    "astype": (lambda np, x: np.astype(x, numpy.float64) * 2, A, 2),
    "copy": (lambda np, x: np.copy(x) * 2, A, 2),
}


@pytest.mark.parametrize("name", sorted(NP_DIFF))
def test_numpy_differentiable(name):
    assert callable(getattr(anp, name, None)), "autograd.numpy.{} is missing".format(name)
    fun, x, order = NP_DIFF[name]
    if name == "msort" and not hasattr(numpy, "msort"):  # removed from numpy 2
        expected = numpy.sort(x, axis=0)
    else:
        expected = fun(numpy, x)
    assert_same(fun(anp, x), expected)                    # untraced: numpy's result
    assert_same(traced_value(lambda x: fun(anp, x), x), expected)
    check_grads(lambda x: fun(anp, x), x, modes=["fwd", "rev"], order=order)


def test_numpy_sign_has_zero_gradient():
    g = autograd.elementwise_grad(lambda x: anp.sign(x))(A)
    assert numpy.array_equal(g, numpy.zeros_like(A))


def test_numpy_differentiable_complex():
    # holomorphic functions on complex input, real-valued functions of z
    for fun in [anp.sin, anp.exp, anp.log, anp.sqrt, anp.tanh, lambda z: z ** 3,
                lambda z: anp.abs(z), lambda z: anp.sum(z * anp.conj(z)),
                lambda z: anp.dot(z, z.T), lambda z: anp.cumsum(z, axis=1)]:
        check_grads(fun, Z)


_REAL_ONLY = {"maximum", "minimum", "fmax", "fmin", "mod", "remainder", "clip", "where", "sort",
              "msort", "partition", "max", "min", "amax", "amin", "ptp", "arctan2", "hypot",
              "logaddexp", "logaddexp2", "sign", "fabs", "sinc", "deg2rad", "rad2deg",
              "degrees", "radians", "nan_to_num", "select", "atleast_1d"}


def _complexify(x):
    if isinstance(x, tuple):
        return tuple(_complexify(e) for e in x)
    x = numpy.asarray(x)
    return x + 0.3j * numpy.random.RandomState(1).randn(*x.shape)


@pytest.mark.parametrize("name", sorted(set(NP_DIFF) - _REAL_ONLY))
def test_numpy_differentiable_complex_input(name):
    """The same functions at complex points (numpy accepts them there)."""
    fun, x, order = NP_DIFF[name]
    x = _complexify(x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # full_like casting complex to real
        expected = fun(numpy, x)
        assert_same(traced_value(lambda x: fun(anp, x), x), expected)
        check_grads(lambda x: fun(anp, x), x, modes=["fwd", "rev"], order=order)


def test_full_like_keeps_the_dtype_of_a():
    c = numpy.complex128(0.7 + 0.2j)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_same(traced_value(lambda v: anp.full_like(A, v), c), numpy.full_like(A, c))
    assert_same(traced_value(lambda v: anp.full_like(Z, v), 0.7), numpy.full_like(Z, 0.7))


# non-differentiable but traceable: name -> function of (np, x)
NP_PLAIN = {
    "shape": lambda np, x: np.shape(x),
    "ndim": lambda np, x: np.ndim(x),
    "size": lambda np, x: np.size(x),
    "result_type": lambda np, x: np.result_type(x, numpy.float32),
    "iscomplexobj": lambda np, x: np.iscomplexobj(x),
    "argmax": lambda np, x: np.argmax(x, axis=1),
    "argmin": lambda np, x: np.argmin(x),
    "argsort": lambda np, x: np.argsort(x, axis=0),
    "argpartition": lambda np, x: np.argpartition(x, 1, axis=1)[:, 1],
    "nonzero": lambda np, x: np.nonzero(x > 0),
    "searchsorted": lambda np, x: np.searchsorted(np.sort(x[0]), x[1]),
    "round": lambda np, x: np.round(x, 1),
    "around": lambda np, x: np.around(x, 2),
    "floor": lambda np, x: np.floor(x),
    "ceil": lambda np, x: np.ceil(x),
    "rint": lambda np, x: np.rint(x),
    "trunc": lambda np, x: np.trunc(x),
    "sign": lambda np, x: np.sign(x),
    "isnan": lambda np, x: np.isnan(x / x),
    "isinf": lambda np, x: np.isinf(x),
    "isfinite": lambda np, x: np.isfinite(x),
    "all": lambda np, x: np.all(x > -1, axis=0),
    "any": lambda np, x: np.any(x > 1),
    "logical_and": lambda np, x: np.logical_and(x > 0, x < 1),
    "logical_or": lambda np, x: np.logical_or(x > 1, x < -1),
    "logical_not": lambda np, x: np.logical_not(x > 0),
    "logical_xor": lambda np, x: np.logical_xor(x > 0, x < 1),
    "equal": lambda np, x: np.equal(x, x[0]),
    "not_equal": lambda np, x: np.not_equal(x, x[0]),
    "less": lambda np, x: np.less(x, 0.1),
    "less_equal": lambda np, x: np.less_equal(x, x[1]),
    "greater": lambda np, x: np.greater(x, 0.1),
    "greater_equal": lambda np, x: np.greater_equal(0.1, x),
    "floor_divide": lambda np, x: np.floor_divide(x, 0.3),
    "count_nonzero": lambda np, x: np.count_nonzero(x > 0),
    "isclose": lambda np, x: np.isclose(x, x * (1 + 1e-12)),
    "allclose": lambda np, x: np.allclose(x, x + 1e-12),
    "array_equal": lambda np, x: np.array_equal(x, x),
    "unique": lambda np, x: np.unique(np.round(x)),
    "digitize": lambda np, x: np.digitize(x, [-1.0, 0.0, 1.0]),
    "argwhere": lambda np, x: np.argwhere(x > 0),
    "flatnonzero": lambda np, x: np.flatnonzero(x > 0),
    "signbit": lambda np, x: np.signbit(x),
    "isreal": lambda np, x: np.isreal(x),
    "isrealobj": lambda np, x: np.isrealobj(x),
}


@pytest.mark.parametrize("name", sorted(NP_PLAIN))
def test_numpy_traceable_plain(name):
    assert callable(getattr(anp, name, None)), "autograd.numpy.{} is missing".format(name)
    fun = NP_PLAIN[name]
    x = A
    if name == "searchsorted":
        x = (A[0], A[1])
    seen = []

    def f(x):
        seen.append(fun(anp, x))
        return anp.sum(x[0] if isinstance(x, tuple) else x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        grad(f)(x)
        expected = fun(numpy, x)
    got = seen[0]
    if isinstance(expected, tuple):
        for g, e in zip(got, expected):
            assert not isinstance(g, Box)
            numpy.testing.assert_array_equal(g, e)
    else:
        assert not isinstance(got, Box)
        numpy.testing.assert_array_equal(got, expected)
        if isinstance(expected, numpy.ndarray):
            assert numpy.asarray(got).dtype == expected.dtype


@pytest.mark.parametrize("dt", ["int8", "int16", "int32", "int64", "uint8", "uint32",
                                "bool_", "intp", "float32", "float64", "complex128"])
def test_numpy_dtypes_reachable(dt):
    assert getattr(anp, dt) is getattr(numpy, dt)
    # an integer-typed constant meets a traced value
    c = numpy.arange(12).reshape(3, 4).astype(getattr(numpy, dt)) if dt != "bool_" else A > 0
    if numpy.dtype(getattr(numpy, dt)).kind == "c":
        return
    g = grad(lambda x: anp.sum(x * c))(A)
    assert numpy.allclose(g, c.astype(float))


@pytest.mark.parametrize("name", ["pi", "e", "inf", "nan", "newaxis", "ndarray", "random",
                                  "linalg", "fft", "float64", "euler_gamma"])
def test_numpy_constants(name):
    assert hasattr(anp, name)
    a, b = getattr(anp, name), getattr(numpy, name)
    if isinstance(a, float) and numpy.isnan(a):
        assert numpy.isnan(b)
    elif name not in ("random", "linalg", "fft"):
        assert a is b or a == b


def test_numpy_untraced_dtypes_kept():
    x = numpy.arange(6, dtype=numpy.int32)
    assert anp.sum(x).dtype == numpy.sum(x).dtype
    assert anp.floor(numpy.float32(1.5)).dtype == numpy.float32


# --------------------------------------------------------------- indexing

INDEX_KEYS = {
    "int": 1, "neg_int": -1, "slice": slice(1, None, 2), "ellipsis": (Ellipsis, 1),
    "newaxis": (None, slice(None), None), "int_array": [2, 0, 2],
    "int_array_2d": (numpy.array([[0, 1], [2, 2]]), numpy.array([[3, 0], [1, 1]])),
    "bool_mask": A > 0, "bool_row": numpy.array([True, False, True]),
    "mixed": (slice(None, 2), [3, 1, 3]), "mixed_ellipsis_none": (Ellipsis, None, [0, 2]),
}


@pytest.mark.parametrize("key", sorted(INDEX_KEYS))
def test_indexing(key):
    k = INDEX_KEYS[key]
    assert_same(traced_value(lambda x: x[k], A), A[k])
    check_grads(lambda x: x[k], A)


# --------------------------------------------------------------- ArrayBox

BOX_OPS = {
    "add": lambda x: x[0] + x[1], "radd": lambda x: 2.0 + x[0] + A2,
    "sub": lambda x: x[0] - x[1], "rsub": lambda x: 2.0 - x[0] - A2,
    "mul": lambda x: x[0] * x[1], "rmul": lambda x: 2.0 * x[0] * A2,
    "truediv": lambda x: x[0] / x[1], "rtruediv": lambda x: 2.0 / x[1] + A / x[1],
    "floordiv": lambda x: (x[0] // 0.3) * x[1], "rfloordiv": lambda x: (3.0 // x[1]) * x[0],
    "mod": lambda x: x[0] % x[1], "rmod": lambda x: 3.0 % x[1] + A % x[1],
    "pow": lambda x: x[1] ** x[0], "rpow": lambda x: 2.0 ** x[0] + P ** x[0],
    "matmul": lambda x: x[0] @ x[1].T, "rmatmul": lambda x: A2 @ x[1].T,
    "neg": lambda x: -x[0], "pos": lambda x: +x[0], "abs": lambda x: abs(x[0]),
}


@pytest.mark.parametrize("op", sorted(BOX_OPS))
def test_arraybox_operator(op):
    fun = BOX_OPS[op]
    x = (A, P)
    assert_same(traced_value(fun, x), fun(x))
    check_grads(fun, x)


@pytest.mark.parametrize("op", ["lt", "le", "gt", "ge", "eq", "ne"])
def test_arraybox_comparison(op):
    import operator as o
    cmp = getattr(o, op)
    seen = []

    def f(x):
        seen.append((cmp(x, A2), cmp(A2, x), cmp(x, 0.1), cmp(0.1, x)))
        return anp.sum(x)
    grad(f)(A)
    for got, exp in zip(seen[0], (cmp(A, A2), cmp(A2, A), cmp(A, 0.1), cmp(0.1, A))):
        assert not isinstance(got, Box)
        numpy.testing.assert_array_equal(got, exp)


def test_arraybox_len_iter_attrs():
    def f(x):
        assert len(x) == 3
        rows = list(x)
        assert len(rows) == 3 and rows[0].shape == (4,)
        assert x.shape == (3, 4) and x.ndim == 2 and x.size == 12
        assert x.dtype == numpy.float64
        assert x.T.shape == (4, 3)
        return sum(anp.sum(r * i) for i, r in enumerate(rows)) + anp.sum(x.T ** 2)
    g = grad(f)(A)
    assert numpy.allclose(g, numpy.arange(3)[:, None] + 2 * A)


BOX_METHODS_DIFF = {
    "clip": lambda x: x.clip(-0.5, 0.5),
    "compress": lambda x: x.compress([False, True, True], axis=0),
    "cumprod": lambda x: x.cumprod(axis=1),
    "cumsum": lambda x: x.cumsum(),
    "diagonal": lambda x: x.diagonal(1),
    "max": lambda x: x.max(axis=0),
    "mean": lambda x: x.mean(axis=1),
    "min": lambda x: x.min(),
    "prod": lambda x: x.prod(axis=1),
    "ptp": lambda x: x.ptp(axis=0) if isinstance(x, Box) else numpy.ptp(x, axis=0),
    "ravel": lambda x: x.ravel(),
    "flatten": lambda x: x.flatten(),
    "repeat": lambda x: x.repeat(2, axis=1),
    "reshape": lambda x: x.reshape(4, 3),
    "squeeze": lambda x: x[:1].squeeze(),
    "std": lambda x: x.std(axis=1),
    "sum": lambda x: x.sum(axis=0, keepdims=True),
    "swapaxes": lambda x: x.swapaxes(0, 1),
    "take": lambda x: x.take([1, 5, 5]),
    "trace": lambda x: x.trace(),
    "transpose": lambda x: x.transpose(),
    "var": lambda x: x.var(),
    "astype": lambda x: x.astype(numpy.float64) * 2,
    "dot": lambda x: x.dot(S),
}

BOX_METHODS_PLAIN = {
    "all": lambda x: (x > -3).all(),
    "any": lambda x: (x > 1).any(axis=0),
    "argmax": lambda x: x.argmax(),
    "argmin": lambda x: x.argmin(axis=1),
    "argpartition": lambda x: x.argpartition(1, axis=1)[:, 1],
    "argsort": lambda x: x.argsort(),
    "nonzero": lambda x: (x > 0).nonzero(),
    "searchsorted": lambda x: x[0].sort().searchsorted(0.1) if False else
    numpy.sort(A[0]).searchsorted(0.1),
    "round": lambda x: x.round(2),
}


@pytest.mark.parametrize("name", sorted(BOX_METHODS_DIFF))
def test_arraybox_method(name):
    fun = BOX_METHODS_DIFF[name]
    # ndarray.ptp left numpy 2; the box keeps it (upstream autograd has it)
    expected = numpy.ptp(A, axis=0) if name == "ptp" else fun(A)
    assert_same(traced_value(fun, A), expected)
    check_grads(fun, A)


@pytest.mark.parametrize("name", sorted(BOX_METHODS_PLAIN))
def test_arraybox_method_plain(name):
    fun = BOX_METHODS_PLAIN[name]
    seen = []

    def f(x):
        seen.append(fun(x))
        return anp.sum(x)
    grad(f)(A)
    exp = fun(A)
    got = seen[0]
    if isinstance(exp, tuple):
        for g, e in zip(got, exp):
            numpy.testing.assert_array_equal(g, e)
    else:
        assert not isinstance(got, Box)
        numpy.testing.assert_array_equal(got, exp)


def test_arraybox_searchsorted_method():
    seen = []

    def f(x):
        s = anp.sort(x)
        seen.append(s.searchsorted(0.1))
        return anp.sum(x)
    grad(f)(V)
    assert not isinstance(seen[0], Box)
    assert seen[0] == numpy.sort(V).searchsorted(0.1)


# ===================================================================== scipy.special

sp = pytest.importorskip("scipy.special")
import autograd.scipy.special as asp  # noqa: E402

POS = R.rand(5) * 3 + 0.5
UNIT = R.uniform(0.05, 0.95, 5)

# name -> (function of (module, x), x, order)
SPECIAL = {
    "gamma": (lambda m, x: m.gamma(x), POS, 2),
    "gammaln": (lambda m, x: m.gammaln(x), POS, 2),
    "gammasgn": (lambda m, x: m.gammasgn(x) * x, R.randn(5) * 3, 2),
    "rgamma": (lambda m, x: m.rgamma(x), POS, 2),
    "digamma": (lambda m, x: m.digamma(x), POS, 2),
    "psi": (lambda m, x: m.psi(x), POS, 2),
    "polygamma": (lambda m, x: m.polygamma(2, x), POS, 2),
    "multigammaln": (lambda m, x: m.multigammaln(x, 3), numpy.float64(2.7), 2),
    "beta": (lambda m, x: m.beta(x[0], x[1]), (POS, POS[::-1]), 2),
    "betaln": (lambda m, x: m.betaln(x[0], x[1]), (POS, POS[::-1]), 2),
    "betainc": (lambda m, x: m.betainc(POS, POS[::-1], x), UNIT, 2),
    "gammainc": (lambda m, x: m.gammainc(POS, x), POS[::-1], 2),
    "gammaincc": (lambda m, x: m.gammaincc(POS, x), POS[::-1], 2),
    "erf": (lambda m, x: m.erf(x), R.randn(5), 2),
    "erfc": (lambda m, x: m.erfc(x), R.randn(5), 2),
    "erfinv": (lambda m, x: m.erfinv(x), UNIT * 2 - 1, 2),
    "erfcinv": (lambda m, x: m.erfcinv(x), UNIT * 2, 2),
    "expit": (lambda m, x: m.expit(x), R.randn(5) * 3, 2),
    "logit": (lambda m, x: m.logit(x), UNIT, 2),
    "logsumexp": (lambda m, x: m.logsumexp(x, axis=1, b=P, keepdims=True), A, 2),
    "j0": (lambda m, x: m.j0(x), R.randn(5) * 3, 2),
    "j1": (lambda m, x: m.j1(x), R.randn(5) * 3, 2),
    "jn": (lambda m, x: m.jn(3, x), R.randn(5) * 3, 2),
    "y0": (lambda m, x: m.y0(x), POS, 2),
    "y1": (lambda m, x: m.y1(x), POS, 2),
    "yn": (lambda m, x: m.yn(2, x), POS, 2),
    "i0": (lambda m, x: m.i0(x), R.randn(5) * 2, 2),
    "i1": (lambda m, x: m.i1(x), R.randn(5) * 2, 2),
    "iv": (lambda m, x: m.iv(1.5, x), POS, 2),
    "ive": (lambda m, x: m.ive(2.5, x), POS, 2),
}


@pytest.mark.parametrize("name", sorted(SPECIAL))
def test_scipy_special(name):
    assert callable(getattr(asp, name, None)), "autograd.scipy.special.{} is missing".format(name)
    fun, x, order = SPECIAL[name]
    expected = fun(sp, x)
    assert_same(fun(asp, x), expected)
    assert_same(traced_value(lambda x: fun(asp, x), x), expected)
    check_grads(lambda x: fun(asp, x), x, modes=["fwd", "rev"], order=order)


def test_scipy_logsumexp_variants():
    for kw in [{}, {"axis": 0}, {"axis": (0, 1), "keepdims": True}, {"b": A2 ** 2}]:
        f = lambda x: asp.logsumexp(x, **kw)
        assert_same(traced_value(f, A), sp.logsumexp(A, **kw))
        check_grads(f, A)


# ===================================================================== scipy.stats

st = pytest.importorskip("scipy.stats")
import autograd.scipy.stats as ast  # noqa: E402

XP = R.rand(5) * 2 + 0.3          # positive points
KS = numpy.array([0.0, 1.0, 2.0, 5.0, 3.0])

# (distribution, method) -> (args, argnums differentiable)
STATS = {
    ("norm", "pdf"): ((R.randn(5), 0.3, 1.7), (0, 1, 2)),
    ("norm", "cdf"): ((R.randn(5), 0.3, 1.7), (0, 1, 2)),
    ("norm", "sf"): ((R.randn(5), 0.3, 1.7), (0, 1, 2)),
    ("norm", "logpdf"): ((R.randn(5), 0.3, 1.7), (0, 1, 2)),
    ("norm", "logcdf"): ((R.randn(5), 0.3, 1.7), (0, 1, 2)),
    ("norm", "logsf"): ((R.randn(5), 0.3, 1.7), (0, 1, 2)),
    ("t", "pdf"): ((R.randn(5), 3.5, 0.2, 1.3), (0, 1, 2, 3)),
    ("t", "cdf"): ((R.randn(5), 3.5, 0.2, 1.3), (0, 2, 3)),
    ("t", "logpdf"): ((R.randn(5), 3.5, 0.2, 1.3), (0, 1, 2, 3)),
    ("t", "logcdf"): ((R.randn(5), 3.5, 0.2, 1.3), (0, 2, 3)),
    ("gamma", "pdf"): ((XP, 2.5), (0, 1)),
    ("gamma", "cdf"): ((XP, 2.5), (0,)),
    ("gamma", "logpdf"): ((XP, 2.5), (0, 1)),
    ("beta", "pdf"): ((UNIT, 2.5, 1.7), (0, 1, 2)),
    ("beta", "cdf"): ((UNIT, 2.5, 1.7), (0,)),
    ("beta", "logpdf"): ((UNIT, 2.5, 1.7), (0, 1, 2)),
    ("chi2", "pdf"): ((XP, 3.0), (0,)),
    ("chi2", "cdf"): ((XP, 3.0), (0,)),
    ("chi2", "logpdf"): ((XP, 3.0), (0,)),
    ("poisson", "pmf"): ((KS, 2.3), (1,)),
    ("poisson", "cdf"): ((KS, 2.3), (1,)),
    ("poisson", "logpmf"): ((KS, 2.3), (1,)),
    ("dirichlet", "pdf"): ((numpy.array([0.2, 0.5, 0.3]), numpy.array([1.5, 2.0, 3.5])),
                           (0, 1)),
    ("dirichlet", "logpdf"): ((numpy.array([0.2, 0.5, 0.3]), numpy.array([1.5, 2.0, 3.5])),
                              (0, 1)),
}


@pytest.mark.parametrize("dist,method", sorted(STATS))
def test_scipy_stats(dist, method):
    mod = getattr(ast, dist, None)
    assert mod is not None, "autograd.scipy.stats.{} is missing".format(dist)
    fun = getattr(mod, method, None)
    assert callable(fun), "autograd.scipy.stats.{}.{} is missing".format(dist, method)
    ref = getattr(getattr(st, dist), method)
    args, argnums = STATS[(dist, method)]
    expected = ref(*args)
    assert_same(fun(*args), expected)
    for i in argnums:
        x0 = args[i]
        if dist == "dirichlet" and i == 0:
            # scipy checks that x sums to 1: move x on the simplex only,
            # as x = softmax(y)
            def f(y):
                e = anp.exp(y - anp.max(y))
                return fun(e / anp.sum(e), *args[1:])
            x0 = numpy.log(args[0])
        else:
            def f(v, i=i):
                a = list(args)
                a[i] = v
                return fun(*a)
        assert_same(traced_value(f, x0), expected)
        check_grads(f, x0)


def test_scipy_stats_gamma_beta_chi2_loc_scale():
    x = XP + 1.0
    for fun, ref, args in [(ast.gamma.logpdf, st.gamma.logpdf, (x, 2.5, 0.2, 1.4)),
                           (ast.beta.logpdf, st.beta.logpdf, (UNIT, 2.5, 1.7, 0.0, 1.0)),
                           (ast.chi2.logpdf, st.chi2.logpdf, (x, 3.0, 0.1, 1.3)),
                           (ast.norm.pdf, st.norm.pdf, (x, 0.2, 0.7))]:
        assert_same(fun(*args), ref(*args))
        assert_same(traced_value(lambda v: fun(v, *args[1:]), x if args[0] is x else args[0]),
                    ref(*args))


# ===================================================================== misc

def test_misc_flatten():
    from autograd.misc import flatten
    val = {"b": [A, (V, 0.5)], "a": Z[0]}
    flat, unflatten = flatten(val)
    assert flat.ndim == 1 and flat.size == A.size + V.size + 1 + 4
    back = unflatten(flat)
    assert numpy.allclose(back["b"][0], A) and numpy.allclose(back["b"][1][0], V)
    assert numpy.allclose(back["b"][1][1], 0.5) and numpy.allclose(back["a"], Z[0])
    assert isinstance(back["b"], list) and isinstance(back["b"][1], tuple)
    # differentiable both ways
    g = grad(lambda v: anp.sum(flatten(v)[0] ** 2))({"p": A, "q": [V]})
    assert numpy.allclose(g["p"], 2 * A) and numpy.allclose(g["q"][0], 2 * V)
    check_grads(lambda f: unflatten(f)["b"][0], flat)


def test_misc_flatten_func():
    from autograd.misc import flatten_func
    func = lambda d, k: anp.sum(d["w"] ** 2) * k + anp.sum(d["b"])
    ex = {"w": A, "b": V}
    flat_f, unflatten, flat_ex = flatten_func(func, ex)
    assert numpy.allclose(flat_f(flat_ex, 3.0), func(ex, 3.0))
    g = grad(flat_f)(flat_ex, 3.0)
    assert numpy.allclose(unflatten(g)["w"], 6 * A) and numpy.allclose(unflatten(g)["b"], 1.0)


@pytest.mark.parametrize("name", ["sgd", "rmsprop", "adam"])
def test_misc_optimizer(name):
    from autograd.misc import optimizers
    opt = getattr(optimizers, name)
    target = {"w": A, "b": [V, 0.5]}

    def loss(p):
        return (anp.sum((p["w"] - target["w"]) ** 2) + anp.sum((p["b"][0] - V) ** 2)
                + (p["b"][1] - 0.5) ** 2)
    g = grad(lambda p, i: loss(p))
    x0 = {"w": numpy.zeros_like(A), "b": [numpy.zeros(4), 0.0]}
    calls = []

    def callback(x, i, gr):
        assert set(x) == {"w", "b"} and isinstance(x["b"], list)
        assert set(gr) == {"w", "b"}
        calls.append(i)
    kwargs = {"num_iters": 400, "callback": callback}
    kwargs["step_size"] = {"sgd": 0.5, "rmsprop": 0.02, "adam": 0.05}[name]
    out = opt(g, x0, **kwargs)
    assert calls == list(range(400))
    assert isinstance(out, dict) and isinstance(out["b"], list)
    assert loss(out) < 1e-2 * loss(x0)


def test_misc_fixed_point():
    from autograd.misc import fixed_point

    def newton_sqrt_iter(a):
        return lambda x: 0.5 * (x + a / x)

    def dist(x, y):
        return anp.abs(x - y)

    sqrt = lambda a: fixed_point(newton_sqrt_iter, a, 1.0, dist, 1e-12)
    assert numpy.allclose(sqrt(2.0), numpy.sqrt(2.0))
    assert numpy.allclose(grad(sqrt)(2.0), 0.5 / numpy.sqrt(2.0))
    assert numpy.allclose(grad(grad(sqrt))(2.0), -0.25 * 2.0 ** -1.5, rtol=1e-5)


def test_misc_const_graph():
    from autograd.misc import const_graph
    f = const_graph(lambda x: anp.sum(anp.sin(x) * x))
    for x in [V, V2]:
        assert numpy.allclose(f(x), numpy.sum(numpy.sin(x) * x))
        assert numpy.allclose(grad(f)(x), _df(x))


# ===================================================================== builtins

def test_builtins_containers_and_isinstance():
    from autograd.builtins import tuple as ag_tuple, list as ag_list, dict as ag_dict
    from autograd.builtins import isinstance as ag_isinstance, type as ag_type

    def f(x):
        t = ag_tuple((x, x * 2))
        l = ag_list([x ** 2, t[1]])
        d = ag_dict(a=t[0], b=l[0])
        assert ag_isinstance(x, numpy.ndarray) and ag_type(x) is numpy.ndarray
        assert ag_isinstance(t, tuple) and ag_isinstance(l, list) and ag_isinstance(d, dict)
        return anp.sum(d["a"] * d["b"] + l[1])
    assert numpy.allclose(grad(f)(V), 3 * V ** 2 + 2)

    def g(x):
        # the traced value of a float argument is a numpy.float64 (a float)
        assert ag_isinstance(x, float) and issubclass(ag_type(x), float)
        return x * 2
    assert grad(g)(0.3) == 2.0


def test_builtins_sequence_and_dict_box():
    from autograd.builtins import SequenceBox, DictBox
    from autograd.tracer import Box as TB
    assert issubclass(SequenceBox, TB) and issubclass(DictBox, TB)
    s = SequenceBox([1.0, 2.0])
    assert len(s) == 2 and s[1] == 2.0 and list(s) == [1.0, 2.0]
    d = DictBox({"a": 1.0})
    assert d["a"] == 1.0 and list(d) == ["a"] and len(d) == 1


# ===================================================================== fixes found by the audit

MASK = A > -0.3
REDUCTION_KWARGS = {
    "sum_where": lambda np, x: np.sum(x, axis=1, where=MASK),
    "sum_where_initial": lambda np, x: np.sum(x, where=MASK, initial=2.0),
    "mean_where": lambda np, x: np.mean(x, axis=0, where=MASK),
    "mean_where_all": lambda np, x: np.mean(x, where=MASK, keepdims=True),
    "var_where": lambda np, x: np.var(x, axis=1, where=MASK, ddof=1),
    "std_where": lambda np, x: np.std(x, where=MASK),
    "prod_where": lambda np, x: np.prod(x, axis=0, where=MASK),
    "prod_initial": lambda np, x: np.prod(x, axis=1, initial=3.0),
    "max_initial": lambda np, x: np.max(x, axis=0, initial=0.5),
    "max_where": lambda np, x: np.max(x, axis=1, where=MASK, initial=-10.0),
    "amin_where": lambda np, x: np.amin(x, axis=0, where=MASK, initial=10.0, keepdims=True),
    "min_initial": lambda np, x: np.min(x, initial=-0.1),
    "method_sum_where": lambda np, x: (x * 1).sum(where=MASK),
}


@pytest.mark.parametrize("name", sorted(REDUCTION_KWARGS))
def test_reduction_where_and_initial(name):
    fun = REDUCTION_KWARGS[name]
    assert_same(traced_value(lambda x: fun(anp, x), A), fun(numpy, A))
    check_grads(lambda x: fun(anp, x), A)


def test_max_where_without_initial_raises_like_numpy():
    with pytest.raises(ValueError):
        numpy.max(A, where=MASK)
    with pytest.raises(ValueError):
        grad(lambda x: anp.sum(anp.max(x, where=MASK)))(A)


def test_sinc_near_zero():
    x = numpy.array([0.0, 1e-7, -1e-4, 1e-2, 0.029, 0.031, 0.5, 1.0, 2.5])
    assert_same(traced_value(anp.sinc, x), numpy.sinc(x))
    check_grads(anp.sinc, x, order=3)
    d = autograd.elementwise_grad(anp.sinc)
    d2 = autograd.elementwise_grad(d)
    t = numpy.array([0.0, 1e-6, -3e-5])
    p = numpy.pi
    # Taylor series of sinc at 0: 1 - (pi x)^2/6 + (pi x)^4/120
    numpy.testing.assert_allclose(d(t), -p ** 2 * t / 3 + p ** 4 * t ** 3 / 30,
                                  rtol=1e-9, atol=1e-15)
    numpy.testing.assert_allclose(d2(t), -p ** 2 / 3 + p ** 4 * t ** 2 / 10, rtol=1e-9)
    # away from 0, the closed form
    u = numpy.array([0.031, 0.7, -1.3])
    numpy.testing.assert_allclose(d(u), (numpy.cos(p * u) * p * u - numpy.sin(p * u))
                                  / (p * u ** 2), rtol=1e-9)


@pytest.mark.parametrize("kw", [{"axis": 1, "b": A2}, {"b": A2}, {"axis": 0, "keepdims": True},
                                {"axis": (0, 1), "b": -numpy.abs(A2)}])
def test_logsumexp_return_sign(kw):
    res, sign = sp.logsumexp(A, return_sign=True, **kw)
    seen = []

    def f(x):
        r, s = asp.logsumexp(x, return_sign=True, **kw)
        seen.append(s)
        return r
    assert_same(traced_value(f, A), res)
    assert not isinstance(seen[0], Box)
    numpy.testing.assert_array_equal(seen[0], sign)
    check_grads(f, A)
    # the gradient of log|sum b e^x| is b e^x / sum b e^x, whatever the sign
    if "axis" not in kw:
        b = kw["b"]
        g = grad(f)(A)
        numpy.testing.assert_allclose(g, b * numpy.exp(A) / numpy.sum(b * numpy.exp(A)),
                                      rtol=1e-10)
