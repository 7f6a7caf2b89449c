"""Check a built wheel: one file in the given directory, tagged
py3-none-manylinux_X_Y_<arch> (a platform wheel for any Python 3, since
the library is loaded with ctypes and uses no Python headers), holding
autograd/libautograd.so.  Usage: python .ci/check_wheel.py DIR"""
import os
import re
import sys
import zipfile


def main(d):
    wheels = [f for f in os.listdir(d) if f.endswith(".whl")]
    if len(wheels) != 1:
        sys.exit("check_wheel: expected one wheel in %s, found %r" % (d, wheels))
    name = wheels[0]
    m = re.match(r"^autograd-[^-]+-(?P<py>[^-]+)-(?P<abi>[^-]+)-(?P<plat>[^-]+)\.whl$", name)
    if not m:
        sys.exit("check_wheel: %s is not a wheel file name" % name)
    plats = m.group("plat").split(".")
    problems = []
    if m.group("py") != "py3" or m.group("abi") != "none":
        problems.append("tag %s-%s, want py3-none" % (m.group("py"), m.group("abi")))
    if not any(re.match(r"^manylinux_\d+_\d+_\w+$", p) for p in plats):
        problems.append("platform %s has no manylinux_X_Y tag" % m.group("plat"))
    with zipfile.ZipFile(os.path.join(d, name)) as z:
        if "autograd/libautograd.so" not in z.namelist():
            problems.append("autograd/libautograd.so is missing")
    if problems:
        sys.exit("check_wheel: %s: %s" % (name, "; ".join(problems)))
    print("check_wheel: %s is a manylinux wheel" % name)


if __name__ == "__main__":
    main(sys.argv[1])
