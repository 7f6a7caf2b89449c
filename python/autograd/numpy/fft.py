"""autograd.numpy.fft: numpy.fft, wrapped like autograd.numpy.  Untraced
calls are numpy's; traced calls raise NotImplementedError until the core
provides FFT rules."""
import numpy as _np

from .numpy_wrapper import wrap_namespace as _wrap
from ._traced import TRACED_FFT as _TABLE

_wrap(_np.fft, globals(), _TABLE, prefix="fft.")
