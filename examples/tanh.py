"""tanh and its first four derivatives, by nested elementwise_grad.

tanh is written out as (1 - exp(-2x)) / (1 + exp(-2x)), so every derivative
is computed by differentiating through exp, subtraction and division; the
results are compared with the closed forms, printed at a few points, and
plotted to tanh.png in the current directory.
"""
import sys

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt

import autograd.numpy as np
from autograd import elementwise_grad as egrad


def tanh(x):
    return (1.0 - np.exp(-2 * x)) / (1.0 + np.exp(-2 * x))


# f, f', f'', f''', f'''' : each one is the elementwise gradient of the last.
derivatives = [tanh]
for _ in range(4):
    derivatives.append(egrad(derivatives[-1]))


def closed_forms(x):
    t = np.tanh(x)
    s = 1 - t ** 2
    return [t, s, -2 * t * s, -2 * s * (1 - 3 * t ** 2), 8 * t * s * (2 - 3 * t ** 2)]


names = ["tanh", "d1", "d2", "d3", "d4"]

points = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
by_ad = np.array([d(points) for d in derivatives])  # rows: order, columns: point
exact = np.array(closed_forms(points))
print("     x            " + "".join(f"{n:>13s}" for n in names) + "    max |diff|")
for i, x in enumerate(points):
    print(f"{x:+6.1f}  autograd  " + "".join(f"{v:+13.9f}" for v in by_ad[:, i]))
    print("        closed    " + "".join(f"{v:+13.9f}" for v in exact[:, i])
          + f"    {np.max(np.abs(by_ad[:, i] - exact[:, i])):.1e}")

x = np.linspace(-7, 7, 700)
curves = [d(x) for d in derivatives]
errors = [np.max(np.abs(c - e)) for c, e in zip(curves, closed_forms(x))]
print("max |autograd - closed form| on linspace(-7, 7, 700): "
      + ", ".join(f"{n} {e:.1e}" for n, e in zip(names, errors)))

fig, ax = plt.subplots(figsize=(8, 5))
for n, c in zip(names, curves):
    ax.plot(x, c, label=n)
ax.set_xlabel("x")
ax.set_title("tanh(x) and its first four derivatives (nested elementwise_grad)")
ax.legend()
ax.grid(alpha=0.3)
fig.savefig("tanh.png", dpi=100, bbox_inches="tight")
print("wrote tanh.png")
if max(errors) > 1e-9:
    sys.exit("error: autograd's derivatives disagree with the closed forms")
