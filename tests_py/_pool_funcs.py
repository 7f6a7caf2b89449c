"""Module-level functions for the pickling and process-pool tests
(test_pickling.py).  They live in an importable module, not in the test
file, so that worker processes started with "spawn" or "forkserver" can
import them by name."""
import numpy

import autograd.numpy as np
from autograd import grad


def tanh_sum(x):
    return np.sum(np.tanh(x) ** 2)


def tanh_sum_grad(x):
    """The closed form of grad(tanh_sum)."""
    t = numpy.tanh(x)
    return 2 * t * (1 - t ** 2)


def two_args(x, y):
    return np.sum(np.sin(x) * y ** 2)


def with_aux(x):
    return np.sum(x ** 2), "aux"


def vector_valued(x):
    return np.tanh(x) * x[0]


def big_gradient(scale):
    """A gradient large enough for the library to split its work across
    goroutines (and so to need its whole runtime), as a checksum."""
    x = numpy.linspace(-1, 1, 200000) * scale
    return float(numpy.sum(grad(tanh_sum)(x)))


def big_gradient_expected(scale):
    x = numpy.linspace(-1, 1, 200000) * scale
    return float(numpy.sum(tanh_sum_grad(x)))
