package tests_go

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

// This file tests the C ABI from C: it builds the shared library, compiles
// testdata/abi_test.c against capi/autograd.h with gcc, runs it and
// reports each of the program's checks as a subtest.

// goTool returns the path of the go command.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// moduleRoot returns the directory holding go.mod: the parent of tests_go.
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod in %s: %v", root, err)
	}
	return root
}

// run runs cmd, failing the test with its output if it fails.
func run(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
	}
}

// buildABIProgram builds libautograd.so and the C test program into a
// temporary directory and returns the program's path (skipping the test
// when gcc is missing).
func buildABIProgram(t *testing.T) string {
	t.Helper()
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not found: the C ABI test needs a C compiler")
	}
	root, dir := moduleRoot(t), t.TempDir()
	build := exec.Command(goTool(), "build", "-buildmode=c-shared", "-o", filepath.Join(dir, "libautograd.so"), "./capi")
	build.Dir = root
	build.Env = append(os.Environ(), "CGO_ENABLED=1")
	run(t, build)
	prog := filepath.Join(dir, "abi_test")
	run(t, exec.Command(gcc, "-std=gnu11", "-O1", "-Wall", "-Wextra", "-Werror", "-pthread",
		"-I", filepath.Join(root, "capi"), filepath.Join("testdata", "abi_test.c"),
		"-L", dir, "-lautograd", "-lm", "-o", prog))
	return prog
}

// checkName matches the names of the checks in the C program's source.
var checkName = regexp.MustCompile(`(?:check|expect_error)\(\s*"([a-z_0-9]+\.[a-z_0-9]+)"`)

// onlyOnFailure lists checks the C program prints only when they fail.
var onlyOnFailure = map[string]bool{"ops.lookup": true}

// TestCABI runs testdata/abi_test.c against a freshly built library. Every
// check named in the program's source must be reported as passing; a
// crash, a missing check or a FAIL line fails the test.
func TestCABI(t *testing.T) {
	prog := buildABIProgram(t)
	src, err := os.ReadFile(filepath.Join("testdata", "abi_test.c"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, m := range checkName.FindAllSubmatch(src, -1) {
		if name := string(m[1]); !onlyOnFailure[name] {
			want[name] = true
		}
	}
	if len(want) < 50 {
		t.Fatalf("found only %d checks in abi_test.c", len(want))
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, prog)
	cmd.Env = append(os.Environ(), "LD_LIBRARY_PATH="+filepath.Dir(prog))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()

	passed, failed := map[string]bool{}, map[string][]string{}
	done := false
	sc := bufio.NewScanner(bytes.NewReader(stdout.Bytes()))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "PASS "):
			passed[strings.TrimPrefix(line, "PASS ")] = true
		case strings.HasPrefix(line, "FAIL "):
			name, why, _ := strings.Cut(strings.TrimPrefix(line, "FAIL "), ": ")
			failed[name] = append(failed[name], why)
		case strings.HasPrefix(line, "DONE "):
			done = true
		}
	}
	if !done {
		t.Fatalf("the C program did not finish (%v)\nstdout:\n%s\nstderr:\n%s", runErr, stdout.Bytes(), stderr.Bytes())
	}
	for name := range failed {
		want[name] = true
	}
	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			for _, why := range failed[name] {
				t.Error(why)
			}
			if !passed[name] && len(failed[name]) == 0 {
				t.Error("the C program never reported this check")
			}
		})
	}
	if runErr != nil && len(failed) == 0 {
		t.Errorf("the C program failed (%v) without failing a check\nstderr:\n%s", runErr, stderr.Bytes())
	}
}
