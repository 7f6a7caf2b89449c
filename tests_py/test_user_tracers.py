"""User-defined tracers (autograd.tracer.Node subclasses driven by trace),
as graph printers and const_graph use them, beside the Go tracer."""
import warnings

import numpy
import pytest

import autograd.numpy as np
from autograd import grad, make_jvp
from autograd.extend import primitive, defvjp, register_notrace
from autograd.misc import const_graph
from autograd.test_util import check_grads
from autograd.tracer import Box, Node, trace, isbox, getval, new_box
from autograd.util import toposort


class RecNode(Node):
    """Records every call it is made for, as upstream's examples do."""

    def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
        self.value, self.fun, self.args, self.kwargs = value, fun, args, kwargs
        self.parent_argnums, self.parents = parent_argnums, parents
        self.log = parents[0].log
        self.log.append(self)

    def initialize_root(self, log=None):
        self.log = [] if log is None else log
        self.parents = ()
        self.fun = None


def record_calls(f, x):
    root = RecNode.new_root()
    value, end = trace(root, f, x)
    return value, end, root.log


def test_nodes_receive_upstreams_arguments():
    def f(x):
        y = np.sin(x + x)
        return np.sum(y * 2.0, axis=0)

    x = numpy.array([[0.1, 0.2], [0.3, 0.4]])
    value, end, log = record_calls(f, x)
    assert [n.fun for n in log] == [np.add, np.sin, np.multiply, np.sum]
    add, sin, mul, s = log
    assert add.parent_argnums == (0, 1) and add.parents[0] is add.parents[1]
    assert isinstance(add.args[0], numpy.ndarray) and not isbox(add.args[0])
    numpy.testing.assert_array_equal(add.args[0], x)
    assert sin.parents == (add,) and sin.parent_argnums == (0,)
    numpy.testing.assert_allclose(sin.value, numpy.sin(2 * x))
    assert mul.args[1] == 2.0 and mul.parent_argnums == (0,)
    assert s.kwargs == {"axis": 0} and end is s
    numpy.testing.assert_allclose(value, numpy.sum(numpy.sin(2 * x) * 2.0, axis=0))


def test_reflected_operators_indexing_and_methods_are_recorded():
    def f(x):
        return (1.0 - x[1:]).sum() + 2 ** x.T[0]

    x = numpy.arange(3.0)
    value, end, log = record_calls(f, x)
    names = [n.fun.__name__ for n in log]
    assert names == ["__getitem__", "subtract", "sum", "transpose", "__getitem__", "power", "add"]
    sub = log[1]
    assert sub.args[0] == 1.0 and sub.parent_argnums == (1,)
    assert value == pytest.approx(f(x))


def test_nondifferentiable_functions_are_not_recorded():
    def f(x):
        k = np.argmax(x)
        mask = x > 0.2
        return np.where(mask, x, 0.0)[k]

    value, end, log = record_calls(f, numpy.array([0.1, 0.5, 0.3]))
    assert "argmax" not in [n.fun.__name__ for n in log]
    assert "greater" not in [n.fun.__name__ for n in log]
    assert value == 0.5


def test_python_primitives_and_register_notrace():
    @primitive
    def cube(x):
        return x ** 3

    @primitive
    def ignored(x):
        return x * 0 + 1.0

    register_notrace(RecNode, ignored)
    value, end, log = record_calls(lambda x: cube(x) + ignored(x), 2.0)
    assert [n.fun for n in log] == [cube, np.add]
    assert log[1].parent_argnums == (0,) and log[1].args[1] == 1.0
    assert value == 9.0


def test_containers_are_traced_element_by_element():
    def f(xs):
        a, b = xs
        return a * b["w"]

    value, end, log = record_calls(f, (3.0, {"w": 4.0}))
    assert [n.fun.__name__ for n in log] == ["container_take", "container_take",
                                             "container_take", "multiply"]
    assert value == 12.0


def test_lists_holding_boxes_are_packed_first():
    value, end, log = record_calls(lambda x: np.array([x, 2.0 * x]).sum(), 1.5)
    assert [n.fun.__name__ for n in log] == ["multiply", "make_sequence", "array", "sum"]
    assert log[1].args == (list, 1.5, 3.0) and log[1].parent_argnums == (1, 2)
    assert value == 4.5


def test_independent_output_warns_and_has_no_node():
    with pytest.warns(UserWarning, match="independent"):
        value, end, log = record_calls(lambda x: 5.0, 1.0)
    assert value == 5.0 and end is None


def test_user_trace_inside_grad_keeps_the_gradient():
    logs = []

    def f(x):
        value, _, log = record_calls(lambda t: np.sin(t) * t, x)
        logs.append(log)
        return value

    x = 1.3
    grad(f)(x)
    assert [n.fun for n in logs[-1]] == [np.sin, np.multiply]
    assert isbox(logs[-1][0].args[0])  # the Go tracer's box, one level down
    assert grad(f)(x) == pytest.approx(numpy.cos(x) * x + numpy.sin(x))
    check_grads(f, modes=["fwd", "rev"], order=2)(x)
    check_grads(f, modes=["fwd", "rev"], order=2)(numpy.array([0.3, -1.2]))
    assert make_jvp(f)(x)(1.0)[1] == pytest.approx(numpy.cos(x) * x + numpy.sin(x))


def test_grad_inside_a_user_trace_is_one_recorded_call():
    def fun(x):
        return np.sin(x) * x

    df = grad(fun)
    value, end, log = record_calls(lambda x: df(x * 2.0), 0.7)
    assert [n.fun for n in log] == [np.multiply, df]
    assert log[1].args == (1.4,) and log[1].parent_argnums == (0,)
    assert value == pytest.approx(numpy.cos(1.4) * 1.4 + numpy.sin(1.4))


def test_user_box_captured_by_a_closure_inside_grad_raises():
    def f(y):
        return grad(lambda t: np.sum(t * y))(1.0)
    with pytest.raises(TypeError, match="closure"):
        record_calls(f, 2.0)


def test_nested_user_traces():
    outer_log = []

    def inner(x):
        v, _, log = record_calls(lambda t: np.exp(t), x)
        assert len(log) == 1
        return v + 1.0

    root = RecNode.new_root(outer_log)
    value, end = trace(root, inner, 0.0)
    assert value == 2.0
    assert [n.fun for n in outer_log] == [np.exp, np.add]


class Pair(object):
    def __init__(self, a, b):
        self.a, self.b = a, b


class PairBox(Box):
    def first(self):
        return take_first(self)


@primitive
def take_first(p):
    return p.a


PairBox.register(Pair)


def test_user_box_classes_registered_with_box_register():
    value, end, log = record_calls(lambda p: np.sin(p.first()), Pair(0.5, 2.0))
    assert [n.fun for n in log] == [take_first, np.sin]
    assert value == pytest.approx(numpy.sin(0.5))
    box = new_box(Pair(1.0, 2.0), 1, RecNode.new_root())
    assert isinstance(box, PairBox) and getval(box).a == 1.0


def test_toposort_orders_children_first():
    _, end, log = record_calls(lambda x: np.sin(x) * np.cos(x) + x, 0.3)
    order = list(toposort(end))
    assert order[0] is end and order[-1].fun is None  # the root last
    pos = {n: i for i, n in enumerate(order)}
    for n in order:
        for p in n.parents:
            assert pos[p] > pos[n]


# ---------------------------------------------------------------- const_graph

def test_const_graph_replays_without_running_the_body():
    calls = []

    def f(x, y):
        calls.append(1)
        return np.sum(np.tanh(x) * y) + np.dot(x, x)

    g = const_graph(f)
    x, y = numpy.array([0.2, -0.4]), numpy.array([1.0, 3.0])
    assert g(x, y) == pytest.approx(f(x, y))
    for s in (0.5, 2.0, -1.0):
        assert g(s * x, y + s) == pytest.approx(f(s * x, y + s))
    assert len(calls) == 1 + 1 + 3  # the first traced call only, plus f's own


def test_const_graph_freezes_what_depends_on_constants_only():
    calls = []

    @primitive
    def logged(v, name):
        calls.append(name)
        return v

    def f(x, c):
        return logged(x, "x") * logged(c, "c")

    g = const_graph(f, c=3.0)
    assert g(2.0) == 6.0 and calls == ["x", "c"]
    assert g(5.0) == 15.0 and calls == ["x", "c", "x"]


def test_const_graph_of_a_gradient():
    def f(x):
        return grad(lambda t: np.sin(t) * t)(x * 2.0)

    g = const_graph(f)
    for x in (0.1, 0.9, -2.0):
        assert g(x) == pytest.approx(f(x))


def test_const_graph_of_a_constant_function_raises():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="does not depend"):
            const_graph(lambda x: 1.0)(2.0)
