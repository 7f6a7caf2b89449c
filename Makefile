# Entry points: make demo | test | bench | lib | venv | clean   (see README.md)

PYTHON    ?= python3
GO        ?= go
VENV      := .venv
PY        := $(VENV)/bin/python
UPSTREAM  := .venv-upstream
WORKLOADS ?= ../shared/bench/workloads.py

# The AVX-512 kernels of core/vmath use Go's SIMD experiment (Go 1.26 on
# amd64); without it the library is built with the pure-Go kernels only.
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

.PHONY: venv lib demo test bench clean

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

clean:
	rm -rf build dist $(VENV) $(UPSTREAM) python/*.egg-info python/autograd/libautograd.so \
	  .pytest_cache tanh.png
