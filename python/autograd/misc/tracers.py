"""const_graph: record a function's graph once, then replay it.

The first call traces fun with a user-defined node (autograd.tracer.Node,
run by autograd.user_tracer) that keeps, for every recorded call, the
function and its constant arguments; later calls evaluate those calls on
the new arguments in topological order without running fun's Python body
(anything fun computes from constants only is frozen at its first value,
as in upstream autograd).
"""
import functools

from ..tracer import Node, trace
from ..util import subvals, toposort

__all__ = ["const_graph", "const_graph_unary"]


class ConstGraphNode(Node):
    """A recorded call: its parents and the call as a function of their
    values."""
    __slots__ = ["parents", "partial_fun"]

    def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
        args = subvals(args, [(i, None) for i in parent_argnums])

        def partial_fun(parent_values):
            return fun(*subvals(args, zip(parent_argnums, parent_values)), **kwargs)
        self.parents = parents
        self.partial_fun = partial_fun

    def initialize_root(self):
        self.parents = []


def const_graph_unary(fun):
    """fun (of one argument) traced at its first call and replayed after."""
    graph = []
    pending = [fun]  # dropped once traced: fun may hold large bound arguments

    def cached(x):
        if graph:
            nodes = graph[0]
            vals = {nodes[0]: x}
            for node in nodes[1:]:
                vals[node] = node.partial_fun([vals[p] for p in node.parents])
            return vals[nodes[-1]]
        end_value, end_node = trace(ConstGraphNode.new_root(), pending[0], x)
        if end_node is None:
            raise ValueError("const_graph: the output of the function does not depend on its "
                             "arguments")
        pending.pop()
        graph.append(list(toposort(end_node))[::-1])
        return end_value
    return cached


def const_graph(fun, *args, **kwargs):
    """fun with args / kwargs bound; its graph is recorded at the first call
    and replayed on later calls' arguments."""
    bound = functools.partial(fun, *args, **kwargs)
    unary = const_graph_unary(lambda a: bound(*a))

    @functools.wraps(fun)
    def wrapped(*a):
        return unary(a)
    return wrapped
