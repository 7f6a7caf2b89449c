"""Speedup of two Python threads over one for large-array gradients (a
benchmark, not a test): calls into the library release the GIL, so two
threads computing gradients should take about the time of one when the
machine has two idle cores, unless the library's own kernels already
keep every core busy (large elementwise kernels split across goroutines).

For each workload it runs K gradients on one thread, then K on each of two
threads at once, and prints the throughput ratio (2-thread gradients per
second / 1-thread gradients per second; 2.0 is perfect scaling), each
throughput the best of R rounds (on a shared machine single rounds vary a
lot).  numpy's OpenBLAS runs its own threads inside matrix products;
OPENBLAS_NUM_THREADS=1 leaves the cores to the Python threads.  Run:
    python bench/threads.py [-k K] [-r R] [--json]
"""
import argparse
import json
import os
import threading
import time

import numpy

import autograd.numpy as np
from autograd import grad


def mlp_loss(params, x):
    w1, w2 = params
    return np.sum(np.tanh(np.dot(np.tanh(np.dot(x, w1)), w2)) ** 2)


def workloads():
    rnd = numpy.random.RandomState(0)
    big = rnd.randn(1 << 20)
    mid = rnd.randn(40000)  # below the size at which kernels go parallel
    x = rnd.randn(256, 512)
    params = [rnd.randn(512, 512) * 0.05, rnd.randn(512, 64) * 0.05]
    return [
        ("elementwise 1M", lambda: grad(lambda v: np.sum(np.sin(v) * np.exp(-v ** 2)))(big)),
        ("elementwise 40k x20", lambda: grad(lambda v: np.sum(_chain(v, 20)))(mid)),
        ("mlp 256x512x512x64", lambda: grad(mlp_loss)(params, x)),
    ]


def _chain(v, n):
    for _ in range(n):
        v = np.tanh(v) * 1.01
    return v


def throughput(call, k, nthreads):
    """Gradients per second with nthreads threads each doing k calls."""
    barrier = threading.Barrier(nthreads + 1)

    def work():
        barrier.wait()
        for _ in range(k):
            call()

    ts = [threading.Thread(target=work) for _ in range(nthreads)]
    for t in ts:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in ts:
        t.join()
    return nthreads * k / (time.perf_counter() - t0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-k", type=int, default=10, help="gradients per thread")
    ap.add_argument("-r", type=int, default=3, help="rounds (best is kept)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = []
    for name, call in workloads():
        call()  # warm-up
        one = max(throughput(call, args.k, 1) for _ in range(args.r))
        two = max(throughput(call, args.k, 2) for _ in range(args.r))
        rows.append({"workload": name, "grads_per_s_1": one, "grads_per_s_2": two,
                     "speedup": two / one})
    if args.json:
        print(json.dumps({"cpus": os.cpu_count(), "rows": rows}, indent=1))
        return
    print("cpus: %d" % os.cpu_count())
    print("%-22s %12s %12s %8s" % ("workload", "1 thread/s", "2 threads/s", "speedup"))
    for r in rows:
        print("%-22s %12.2f %12.2f %8.2f" % (r["workload"], r["grads_per_s_1"], r["grads_per_s_2"],
                                             r["speedup"]))


if __name__ == "__main__":
    main()
