"""Run the shared workloads and the per-op microbenchmark under two
interpreters, this project's autograd and upstream autograd, in one run, and
print one comparison table.

  python bench/compare.py --ours .venv/bin/python \
      --upstream .venv-upstream/bin/python --workloads ../shared/bench/workloads.py

Times are best-of-repeats seconds per call as the workloads report them
("forward": the function on plain numpy values, untraced, through this
project's autograd.numpy, which hands untraced calls straight to numpy).  upstream/ours > 1 means
this project is faster.  "checksum" is the relative difference of the two
gradients' checksums (sum of absolute values of all entries).
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from the children's
environment (they slow a current numpy) unless --keep-openblas-env is given.
Raw results are saved as JSON in --out.
"""
import argparse
import json
import math
import os
import platform
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Run inside each interpreter: what it is, which autograd and numpy it uses,
# and which OpenBLAS kernel numpy's BLAS picked.
PROBE = r"""
import ctypes, json, re, sys
import numpy
import autograd
from importlib import metadata
core = "?"
for path in sorted(set(re.findall(r"(/\S*openblas\S*\.so\S*)", open("/proc/self/maps").read()))):
    for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename",
                 "openblas_get_corename64_", "openblas_get_corename"):
        try:
            f = getattr(ctypes.CDLL(path), name)
        except (AttributeError, OSError):
            continue
        f.restype = ctypes.c_char_p
        core = f().decode()
        break
print(json.dumps({"python": sys.version.split()[0], "numpy": numpy.__version__,
                  "autograd": metadata.version("autograd"), "where": autograd.__file__,
                  "blas_core": core}))
"""


def child_env(keep_openblas):
    env = dict(os.environ)
    if not keep_openblas:
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    return env


def run_json(cmd, env, timeout=3600):
    """Run cmd; return (parsed JSON of its last stdout line, None) or (None, error)."""
    try:
        p = subprocess.run(cmd, env=env, cwd=HERE, capture_output=True, text=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout} s"
    lines = p.stdout.strip().splitlines()
    if p.returncode == 0 and lines:
        try:
            return json.loads(lines[-1]), None
        except ValueError:
            pass
    tail = (p.stderr.strip().splitlines() or lines or ["no output"])[-1]
    return None, f"exit code {p.returncode}: {tail}"[:300]


def cpu_model():
    """The CPU's model name, from /proc/cpuinfo ("?" elsewhere)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def machine_line():
    model = cpu_model()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        gov = subprocess.run(["go", "version"], capture_output=True, text=True).stdout.split()
        go = gov[2] if len(gov) > 2 else "?"
    except OSError:
        go = "not found"
    return f"{model}, {os.cpu_count()} cores ({usable} usable), {platform.system()} " \
           f"{platform.machine()}, Go {go}"


def fmt_time(s):
    if s is None:
        return "-"
    if s < 1e-6:
        return f"{s * 1e9:.0f} ns"
    if s < 1e-3:
        return f"{s * 1e6:.1f} us"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.2f} s"


def fmt_ratio(r):
    return "-" if r is None else (f"{r:.1f}x" if r >= 10 else f"{r:.2f}x")


def rel_diff(a, b):
    if a is None or b is None:
        return None
    scale = max(abs(a), abs(b))
    return 0.0 if scale == 0 else abs(a - b) / scale


def table(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    out = ["  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                     for i, (c, w) in enumerate(zip(r, widths)))
           for r in [header] + rows]
    out.insert(1, "-" * len(out[0]))
    return "\n".join(out)


def workload_table(ours, upstream):
    rows, notes, speedups = [], [], []
    for name in list(ours) + [n for n in upstream if n not in ours]:
        o, u = ours.get(name, {}), upstream.get(name, {})
        if "skipped" in o or not o:
            rows.append([name, fmt_time(u.get("forward_s")), "skipped" if o else "not run",
                         fmt_time(u.get("grad_s")), "-", "-",
                         fmt_ratio(u.get("grad_over_forward")), "-"])
            if o:
                notes.append(f"  {name}: ours skipped: {o['skipped']}")
            continue
        if "skipped" in u:
            notes.append(f"  {name}: upstream skipped: {u['skipped']}")
        speedup = u["grad_s"] / o["grad_s"] if "grad_s" in u else None
        if speedup:
            speedups.append(speedup)
        diff = rel_diff(o.get("checksum"), u.get("checksum"))
        rows.append([name, fmt_time(o["forward_s"]), fmt_time(o["grad_s"]),
                     fmt_time(u.get("grad_s")), fmt_ratio(speedup),
                     fmt_ratio(o["grad_over_forward"]), fmt_ratio(u.get("grad_over_forward")),
                     "-" if diff is None else f"{diff:.1e}"])
    header = ["workload", "forward", "ours grad", "upstream grad", "upstream/ours",
              "ours grad/fwd", "upstream grad/fwd", "checksum rel diff"]
    text = table(header, rows)
    if speedups:
        geo = math.exp(sum(math.log(s) for s in speedups) / len(speedups))
        text += f"\ngeometric mean of upstream/ours over {len(speedups)} workloads: {geo:.2f}x"
    if notes:
        text += "\n" + "\n".join(notes)
    return text


def micro_table(ours, upstream):
    rows = []
    kinds = (("plain", "untraced call"), ("forward", "traced forward"),
             ("grad", "forward+backward"))
    for op in ours.get("ops", upstream.get("ops", {})):
        o, u = ours.get("ops", {}).get(op, {}), upstream.get("ops", {}).get(op, {})
        for kind, label in kinds:
            ot, ut = o.get(kind + "_s_per_op"), u.get(kind + "_s_per_op")
            rows.append([f"{op} x{ours.get('n', upstream.get('n'))}", label,
                         fmt_time(ot) if ot is not None else "error",
                         fmt_time(ut) if ut is not None else "error",
                         fmt_ratio(ut / ot) if ot and ut else "-"])
    return table(["chain", "per op", "ours", "upstream", "upstream/ours"], rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ours", required=True, help="python of the venv with this project")
    ap.add_argument("--upstream", required=True, help="python of the venv with upstream autograd")
    ap.add_argument("--workloads", required=True, help="path to workloads.py")
    ap.add_argument("--only", help="comma-separated workload names")
    ap.add_argument("--out", default=None, help="directory for the raw JSON results")
    ap.add_argument("--keep-openblas-env", action="store_true")
    args = ap.parse_args()

    workloads = os.path.abspath(args.workloads)
    if not os.path.isfile(workloads):
        sys.exit(f"error: no workloads file at {workloads} (set WORKLOADS=/path/to/workloads.py)")
    env = child_env(args.keep_openblas_env)
    interpreters = {"ours": os.path.abspath(args.ours), "upstream": os.path.abspath(args.upstream)}
    extra = ["--only", args.only] if args.only else []

    raw, failed = {}, []
    for who, py in interpreters.items():
        info, err = run_json([py, "-c", PROBE], env, timeout=300)
        if err:
            sys.exit(f"error: cannot import autograd/numpy with {py}: {err}")
        print(f"running workloads with {who} ({info['where']}) ...", file=sys.stderr, flush=True)
        work, werr = run_json([py, workloads, "--json"] + extra, env)
        print(f"running microbench with {who} ...", file=sys.stderr, flush=True)
        micro, merr = run_json([py, os.path.join(HERE, "microbench.py"), "--json"], env)
        for what, e in (("workloads", werr), ("microbench", merr)):
            if e:
                failed.append(f"{who} {what} run failed: {e}")
        raw[who] = {"info": info, "workloads": work or {}, "micro": micro or {}}

    oi, ui = raw["ours"]["info"], raw["upstream"]["info"]
    lines = [
        f"machine: {machine_line()}",
        f"python {oi['python']} / numpy {oi['numpy']} (BLAS core {oi['blas_core']}) ours "
        f"autograd {oi['autograd']};  python {ui['python']} / numpy {ui['numpy']} "
        f"(BLAS core {ui['blas_core']}) upstream autograd {ui['autograd']}",
        f"OPENBLAS_CORETYPE/L2_SIZE: {'kept' if args.keep_openblas_env else 'unset'} in the runs",
        "",
        workload_table(raw["ours"]["workloads"], raw["upstream"]["workloads"]),
        "",
        "per traced scalar op (chain of N ops on a float, time / N):",
        micro_table(raw["ours"]["micro"], raw["upstream"]["micro"]),
    ]
    lines += [""] + failed if failed else []
    report = "\n".join(lines)
    print(report)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "results.json"), "w") as f:
            json.dump(raw, f, indent=1)
        with open(os.path.join(args.out, "report.txt"), "w") as f:
            f.write(report + "\n")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
