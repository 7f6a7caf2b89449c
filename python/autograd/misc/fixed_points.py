"""Differentiating through the fixed point of an iteration."""
from ..core import make_vjp, vspace
from ..extend import primitive, defvjp

__all__ = ["fixed_point"]


@primitive
def fixed_point(f, a, x0, distance, tol):
    """The fixed point x = f(a)(x), iterating from x0 until
    distance(x_new, x) < tol.  Differentiable with respect to a, by solving
    the adjoint fixed-point equation in the backward pass."""
    update = f(a)
    x_prev, x = x0, update(x0)
    while distance(x, x_prev) > tol:
        x_prev, x = x, update(x)
    return x


def _fixed_point_vjp(ans, f, a, x0, distance, tol):
    vjp_x = make_vjp(f(a), ans)[0]
    vjp_a = make_vjp(lambda a: f(a)(ans), a)[0]
    vs = vspace(ans)

    def vjp(g):
        # w = g + J_x^T w, then the gradient is J_a^T w
        w = fixed_point(lambda _: lambda w: vs.add(g, vjp_x(w)), None, vs.zeros(), distance, tol)
        return vjp_a(w)
    return vjp


defvjp(fixed_point, None, _fixed_point_vjp, None, None, None)
