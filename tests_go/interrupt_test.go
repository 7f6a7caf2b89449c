package tests_go

import (
	"errors"
	"testing"

	"autograd/core/ad"
	"autograd/core/nd"
)

// A backward pass asks the interrupt watch before every node; when the
// watch's stop function says so, the pass ends with an error of kind
// nd.Interrupted and the library keeps working.
func TestInterruptWatchStopsABackwardPass(t *testing.T) {
	const chain, stopAt = 200, 17
	f := func(x ad.Value) ad.Value {
		for i := 0; i < chain; i++ {
			x = ad.Sin(x)
		}
		return ad.SumAll(x)
	}
	x := nd.FromFloat64s([]int{3}, []float64{0.1, 0.2, 0.3})

	passes, asked := 0, 0
	ad.SetInterruptWatch(func() func() bool {
		passes++
		return func() bool { asked++; return asked > stopAt }
	})
	defer ad.SetInterruptWatch(nil)
	_, err := ad.Grad(f, x)
	var e *nd.Error
	if !errors.As(err, &e) || e.Kind != nd.Interrupted {
		t.Fatalf("interrupted pass: err %v, want kind Interrupted", err)
	}
	if passes != 1 || asked != stopAt+1 {
		t.Fatalf("watch called for %d passes, stop asked %d times; want 1 and %d", passes, asked, stopAt+1)
	}

	// a watch that never stops, or none, changes nothing
	ad.SetInterruptWatch(func() func() bool { return nil })
	if _, err := ad.Grad(f, x); err != nil {
		t.Fatalf("with a nil stop function: %v", err)
	}
	ad.SetInterruptWatch(nil)
	checkStillWorks(t, "an interrupted pass")
}
