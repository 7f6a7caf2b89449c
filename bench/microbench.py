"""Cost of one traced scalar op, for whichever package imports as `autograd`.

For a chain of N ops on a float (N np.sin calls, or N multiplications
x * 1.0001) it times, per op:
  plain     the function itself, untraced (numpy's own per-call cost),
  forward   a traced forward pass only (make_vjp builds the graph),
  grad      forward + backward (grad),
each the best of a few repeats, divided by N.
Run: python microbench.py [--json] [-n N]
"""
import argparse
import json
import time

import autograd.numpy as np
from autograd import grad, make_vjp


def sin_chain(n):
    def f(x):
        for _ in range(n):
            x = np.sin(x)
        return x
    return f


def mul_chain(n):
    def f(x):
        for _ in range(n):
            x = x * 1.0001
        return x
    return f


CHAINS = {"sin": sin_chain, "mul": mul_chain}


def best_seconds(call, repeats=7, budget=0.5):
    call()  # warm-up
    t0 = time.perf_counter()
    call()
    number = max(1, int(budget / repeats / max(time.perf_counter() - t0, 1e-9)))
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(number):
            call()
        times.append((time.perf_counter() - t0) / number)
    return min(times)


def measure(n):
    results = {}
    for name, make in CHAINS.items():
        f = make(n)
        row = {}
        for kind, call in (("plain", lambda: f(2.0)),
                           ("forward", lambda: make_vjp(f)(2.0)),
                           ("grad", lambda: grad(f)(2.0))):
            try:
                row[kind + "_s_per_op"] = best_seconds(call) / n
            except Exception as e:  # report, keep going
                row[kind + "_error"] = f"{type(e).__name__}: {e}"[:200]
        results[name] = row
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000, help="chain length (default 1000)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    res = measure(args.n)
    if args.json:
        print(json.dumps({"n": args.n, "ops": res}))
        return
    for name, row in res.items():
        cells = []
        for kind in ("plain", "forward", "grad"):
            v = row.get(kind + "_s_per_op")
            cells.append(f"{kind} {v * 1e6:8.2f} us/op" if v is not None
                         else f"{kind} error: {row[kind + '_error']}")
        print(f"{name:4s} x{args.n}: " + "   ".join(cells))


if __name__ == "__main__":
    main()
