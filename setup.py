"""The one custom build step of `pip install .`.

Metadata and the package list live in pyproject.toml. This file adds:
  * build_py also runs `go build -buildmode=c-shared ./capi` and puts the
    result, libautograd.so, inside the `autograd` package;
  * the wheel is a platform wheel, tagged py3-none-<platform>: the library is
    loaded with ctypes, so it depends on the OS and CPU, not on the Python ABI.
Set GO=/path/to/go to use a Go toolchain that is not on PATH.
"""
import os
import shutil
import subprocess

from setuptools import Distribution, setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_py import build_py

ROOT = os.path.dirname(os.path.abspath(__file__))
LIB = "libautograd.so"


def find_go():
    go = shutil.which(os.environ.get("GO", "go"))
    if go is None:
        raise SystemExit(
            "\n*** autograd: the Go toolchain was not found ('go' is not on PATH).\n"
            "*** Installing autograd compiles its core (./capi) with Go (at least the\n"
            "*** version on the `go` line of go.mod) and cgo, which needs gcc.\n"
            "*** Install Go, put `go` on PATH (or set GO=/path/to/go), and retry.\n")
    return go


def simd_available(go, env):
    """Whether this Go toolchain has the SIMD experiment (Go 1.26 on amd64)."""
    probe = [go, "list", "simd/archsimd"]
    return subprocess.call(probe, cwd=ROOT, env=dict(env, GOEXPERIMENT="simd"),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0


def go_build(go, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, LIB)
    cmd = [go, "build", "-buildmode=c-shared", "-trimpath", "-buildvcs=false",
           "-o", out, "./capi"]
    print("autograd: " + " ".join(cmd), flush=True)
    env = dict(os.environ, CGO_ENABLED="1")
    if "GOEXPERIMENT" not in os.environ and simd_available(go, env):
        env["GOEXPERIMENT"] = "simd"  # core/vmath's AVX2 and AVX-512 kernels
    if subprocess.call(cmd, cwd=ROOT, env=env) != 0:
        raise SystemExit("\n*** autograd: `go build` of ./capi failed (see the output above).\n")
    # c-shared also writes a generated header next to the library: not shipped.
    header = os.path.join(out_dir, "libautograd.h")
    if os.path.exists(header):
        os.remove(header)
    return out


class BuildPyWithGo(build_py):
    def run(self):
        go = find_go()  # fail before doing anything else
        if not self.editable_mode:  # in-tree build/ may hold modules deleted since
            shutil.rmtree(os.path.join(self.build_lib, "autograd"), ignore_errors=True)
        super().run()
        if self.editable_mode:  # pip install -e .: the library goes into the source tree
            target = os.path.join(ROOT, "python", "autograd")
        else:
            target = os.path.join(self.build_lib, "autograd")
        self._lib = go_build(go, target)

    def get_outputs(self, include_bytecode=True):
        outputs = super().get_outputs(include_bytecode)
        lib = getattr(self, "_lib", None)
        return outputs + [lib] if lib else outputs


class BinaryDistribution(Distribution):
    def has_ext_modules(self):
        return True  # the package carries a native library: platlib, platform wheel


class PlatformWheel(bdist_wheel):
    def get_tag(self):
        _, _, plat = super().get_tag()
        return "py3", "none", plat


setup(distclass=BinaryDistribution,
      cmdclass={"build_py": BuildPyWithGo, "bdist_wheel": PlatformWheel})
