"""const_graph: in upstream autograd it records a function's graph once and
replays it.  Here the graph is built by the Go core at every call, which is
already cheap, so const_graph returns a function that simply evaluates fun
(same results, no caching)."""
import functools

__all__ = ["const_graph"]


def const_graph(fun, *args, **kwargs):
    """fun with its arguments partially applied (the graph is not cached)."""
    @functools.wraps(fun)
    def wrapped(*a, **kw):
        return fun(*(args + a), **dict(kwargs, **kw))
    return wrapped
