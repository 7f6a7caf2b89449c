"""Gradient-based optimizers for parameters given as nested lists / tuples /
dicts of arrays.

Each optimizer takes ``grad(x, i)``, the gradient at parameters x on
iteration i, and the initial parameters x; ``callback(x, i, g)`` is called
once per iteration.  They return the final parameters, in x's structure.
"""
import functools

from .. import numpy as np
from .flatten import flatten

__all__ = ["sgd", "rmsprop", "adam"]


def unflatten_optimizer(optimize):
    """Turn an optimizer of flat vectors into one of nested structures."""
    @functools.wraps(optimize)
    def _optimize(grad, x0, callback=None, *args, **kwargs):
        flat_x0, unflatten = flatten(x0)

        def flat_grad(x, i):
            return flatten(grad(unflatten(x), i))[0]
        if callback:
            def flat_callback(x, i, g):
                return callback(unflatten(x), i, unflatten(g))
        else:
            flat_callback = None
        return unflatten(optimize(flat_grad, flat_x0, flat_callback, *args, **kwargs))
    return _optimize


@unflatten_optimizer
def sgd(grad, x, callback=None, num_iters=200, step_size=0.1, mass=0.9):
    """Stochastic gradient descent with momentum."""
    velocity = np.zeros(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        velocity = mass * velocity - (1.0 - mass) * g
        x = x + step_size * velocity
    return x


@unflatten_optimizer
def rmsprop(grad, x, callback=None, num_iters=100, step_size=0.1, gamma=0.9, eps=1e-8):
    """Root-mean-square propagation: steps scaled by a running average of
    squared gradients."""
    avg_sq_grad = np.ones(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        avg_sq_grad = avg_sq_grad * gamma + g ** 2 * (1 - gamma)
        x = x - step_size * g / (np.sqrt(avg_sq_grad) + eps)
    return x


@unflatten_optimizer
def adam(grad, x, callback=None, num_iters=100, step_size=0.001, b1=0.9, b2=0.999, eps=1e-8):
    """Adam (Kingma and Ba, 2014): bias-corrected running averages of the
    gradient and of its square."""
    m = np.zeros(len(x))
    v = np.zeros(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        m = (1 - b1) * g + b1 * m
        v = (1 - b2) * (g ** 2) + b2 * v
        mhat = m / (1 - b1 ** (i + 1))
        vhat = v / (1 - b2 ** (i + 1))
        x = x - step_size * mhat / (np.sqrt(vhat) + eps)
    return x
