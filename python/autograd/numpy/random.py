"""autograd.numpy.random: numpy.random, passed through unchanged."""
import numpy.random as _npr

globals().update({_k: getattr(_npr, _k) for _k in dir(_npr) if not _k.startswith("__")})
