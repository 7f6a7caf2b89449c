"""Replaying a recorded graph: misc.tracers.const_graph of the shared
workloads scalar_chain50 and fanout_1e4, this project's autograd against
upstream autograd 1.9.1, in one run.

  python bench/const_graph.py --ours .venv/bin/python \\
      --upstream .venv-upstream/bin/python --workloads ../shared/bench/workloads.py

Each interpreter runs this file with --child: it builds each workload's
function f, makes g = const_graph(f), calls g once (the recording) and
times, best of repeats with the workloads' own timer:

  replay       g(x) at a new x: the recorded graph evaluated again
  grad replay  grad(g)(x): the replay traced and differentiated
  record       the first call of a fresh const_graph(f) (one timing)

The children run alternately, --rounds times each, and each number is the
best over the rounds, so that a busy machine slows both alike.  The ratio
is ours/upstream: below 1 this project is faster (the target for replay is
at most 0.2).  "agrees" compares the two results.  When the environment
sets PYTHONPATH or AUTOGRAD_LIB (a development build), they are passed to
--ours only.  OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed.
"""
import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time

from compare import cpu_model  # bench/compare.py, beside this file

NAMES = ("scalar_chain50", "fanout_1e4")
NEW_X = 1.25  # the replays' argument (the workloads record at 2.0)


def child(workloads):
    spec = importlib.util.spec_from_file_location("workloads", workloads)
    w = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(w)
    from autograd import grad
    from autograd.misc.tracers import const_graph
    res = {}
    for name in NAMES:
        f, _, args = w.WORKLOADS[name]()
        t0 = time.perf_counter()
        g = const_graph(f)
        g(*args)
        record = time.perf_counter() - t0
        dg = grad(g)
        res[name] = {
            "replay": w.best(g, (NEW_X,)),
            "grad replay": w.best(dg, (NEW_X,)),
            "record": record,
            "value": float(g(NEW_X)),
            "grad": float(dg(NEW_X)),
            "f value": float(f(NEW_X)),
        }
    print(json.dumps(res))


def run(py, env, workloads):
    p = subprocess.run([py, os.path.abspath(__file__), "--child", "--workloads", workloads],
                       env=env, capture_output=True, text=True, timeout=1800)
    if p.returncode != 0:
        sys.exit(f"error: {py} failed:\n{p.stderr.strip()[-2000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def machine():
    model = cpu_model()
    try:
        load = "load average %.2f" % os.getloadavg()[0]
    except OSError:
        load = ""
    return f"{model}, {os.cpu_count()} cores, {load}"


def fmt(s):
    return f"{s * 1e3:10.3f} ms" if s >= 1e-3 else f"{s * 1e6:10.2f} us"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ours", default=sys.executable)
    ap.add_argument("--upstream", required="--child" not in sys.argv)
    ap.add_argument("--workloads", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--child", action="store_true")
    args = ap.parse_args()
    workloads = os.path.abspath(args.workloads)
    if args.child:
        return child(workloads)
    base = dict(os.environ)
    base.pop("OPENBLAS_CORETYPE", None)
    base.pop("OPENBLAS_L2_SIZE", None)
    up_env = dict(base)
    up_env.pop("PYTHONPATH", None)
    up_env.pop("AUTOGRAD_LIB", None)
    best = {"ours": {}, "upstream": {}}
    last = {}
    for _ in range(max(1, args.rounds)):
        for who, py, env in (("ours", args.ours, base), ("upstream", args.upstream, up_env)):
            r = last[who] = run(py, env, workloads)
            for name, d in r.items():
                b = best[who].setdefault(name, {})
                for k in ("replay", "grad replay", "record"):
                    b[k] = min(b.get(k, float("inf")), d[k])
    print(f"const_graph replay, best of {args.rounds} alternating rounds; {machine()}")
    print(f"{'workload':16s} {'timing':12s} {'ours':>13s} {'upstream':>13s}  ours/upstream")
    for name in NAMES:
        for k in ("replay", "grad replay", "record"):
            o, u = best["ours"][name][k], best["upstream"][name][k]
            print(f"{name:16s} {k:12s} {fmt(o)} {fmt(u)}  {o / u:8.3f}")
        ro, ru = last["ours"][name], last["upstream"][name]
        ok = all(abs(ro[k] - ru[k]) <= 1e-12 * max(1.0, abs(ru[k])) for k in ("value", "grad"))
        ok = ok and abs(ro["value"] - ro["f value"]) <= 1e-12 * max(1.0, abs(ro["f value"]))
        print(f"{name:16s} agrees: {'yes' if ok else 'NO'} (value {ro['value']:.17g}, "
              f"grad {ro['grad']:.17g}; upstream {ru['value']:.17g}, {ru['grad']:.17g})")


if __name__ == "__main__":
    main()
