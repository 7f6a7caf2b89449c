package main

import (
	"os"
	"runtime/pprof"
	"strconv"
	"time"
)

// A development aid: with AUTOGRAD_CPUPROFILE=path in the environment, the
// library writes a Go CPU profile of its first AUTOGRAD_CPUPROFILE_SECONDS
// seconds (default 10) to path, for `go tool pprof`.
func init() {
	path := os.Getenv("AUTOGRAD_CPUPROFILE")
	if path == "" {
		return
	}
	f, err := os.Create(path)
	if err != nil || pprof.StartCPUProfile(f) != nil {
		return
	}
	secs, err := strconv.Atoi(os.Getenv("AUTOGRAD_CPUPROFILE_SECONDS"))
	if err != nil || secs <= 0 {
		secs = 10
	}
	time.AfterFunc(time.Duration(secs)*time.Second, func() {
		pprof.StopCPUProfile()
		f.Close()
	})
}
