"""Upstream's autograd.util: small helpers and the deprecated
quick_grad_check."""
import warnings

from .core import subval
from .test_util import check_grads

__all__ = ["subvals", "subval", "func", "quick_grad_check", "toposort"]


def subvals(x, ivs):
    """The tuple x with x[i] replaced by v for each (i, v) in ivs."""
    x = list(x)
    for i, v in ivs:
        x[i] = v
    return tuple(x)


def toposort(end_node, parents=lambda n: n.parents):
    """The nodes end_node depends on (itself included), each after every
    node that depends on it (children first): the order of a backward
    pass over a graph of user-defined nodes."""
    children = {}
    stack, seen = [end_node], {end_node}
    while stack:
        n = stack.pop()
        for p in parents(n):
            children[p] = children.get(p, 0) + 1
            if p not in seen:
                seen.add(p)
                stack.append(p)
    ready = [end_node]
    while ready:
        n = ready.pop()
        yield n
        for p in parents(n):
            children[p] -= 1
            if children[p] == 0:
                ready.append(p)


def func(f):
    return f


def quick_grad_check(fun, arg0, extra_args=(), kwargs={}, verbose=True, eps=1e-4,
                     rtol=1e-4, atol=1e-6, rs=None):
    """Deprecated: check_grads(fun, modes=['rev'], order=1) with respect to
    the first argument (eps, rtol, atol, rs and verbose are ignored, as
    upstream ignores them)."""
    warnings.warn("The quick_grad_check function is deprecated: use "
                  "autograd.test_util.check_grads (see upstream autograd's "
                  "docs/updateguide.md).")

    def fun_(arg0):
        return fun(arg0, *extra_args, **kwargs)
    fun_.__name__ = getattr(fun, "__name__", "fun")
    check_grads(fun_, modes=["rev"], order=1)(arg0)
