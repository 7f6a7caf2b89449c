package tests_go

import (
	"testing"

	"autograd/core/ad"
	"autograd/core/nd"
)

// TestViewValues checks strided views against the positions they name,
// and view_add against its definition, on a small array.
func TestViewValues(t *testing.T) {
	x := nd.FromFloat64s([]int{3, 4}, []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
	got := ad.Unbox(ad.View(x, 9, []int{3, 2}, []int{-4, 2})).Float64s() // x[::-1, 1::2]
	want := []float64{9, 11, 5, 7, 1, 3}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("view: %v, want %v", got, want)
		}
	}
	back := ad.Unbox(ad.Apply(ad.Lookup("view_add"), &ad.Attrs{Index: []int{9}, Shape: []int{3, 4}, Axes2: []int{-4, 2}},
		nd.FromFloat64s([]int{3, 2}, []float64{1, 2, 3, 4, 5, 6}))).Float64s()
	wantBack := []float64{0, 5, 0, 6, 0, 3, 0, 4, 0, 1, 0, 2}
	for i := range wantBack {
		if back[i] != wantBack[i] {
			t.Fatalf("view_add: %v, want %v", back, wantBack)
		}
	}
}

// TestViewBounds checks that a view reaching outside its array is an
// error (the attributes come through the C ABI from any caller).
func TestViewBounds(t *testing.T) {
	x := nd.Ones([]int{3, 4}, nd.Float64)
	cases := []struct {
		name           string
		offset         int
		shape, strides []int
		kind           nd.Kind
	}{
		{"negative offset", -1, []int{2}, []int{1}, nd.IndexError},
		{"past the end", 10, []int{3}, []int{1}, nd.IndexError},
		{"negative stride below 0", 2, []int{4}, []int{-1}, nd.IndexError},
		{"strides and shape differ", 0, []int{2, 2}, []int{1}, nd.ValueError},
		{"negative dimension", 0, []int{-2}, []int{1}, nd.ValueError},
	}
	for _, c := range cases {
		err := catch(func() { ad.View(x, c.offset, c.shape, c.strides) })
		if kindOf(err) != c.kind {
			t.Errorf("%s: %v, want kind %v", c.name, err, c.kind)
		}
	}
	err := catch(func() {
		ad.Apply(ad.Lookup("view_add"), &ad.Attrs{Index: []int{0}, Shape: []int{4}, Axes2: []int{0}}, nd.Ones([]int{3}, nd.Float64))
	})
	if kindOf(err) != nd.ValueError {
		t.Errorf("view_add repeating a position: %v, want a ValueError", err)
	}
	if err := catch(func() { ad.Apply(ad.Lookup("view"), &ad.Attrs{Shape: []int{1}, Axes2: []int{1}}, x) }); kindOf(err) != nd.ValueError {
		t.Errorf("view without an offset: %v, want a ValueError", err)
	}
}
