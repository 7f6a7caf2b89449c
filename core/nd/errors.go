package nd

import "fmt"

// Kind classifies an error the way numpy's exception types do.
type Kind int

const (
	// ValueError: shapes that do not broadcast, bad axes, bad sizes.
	ValueError Kind = iota + 1
	// TypeError: an argument of the wrong kind.
	TypeError
	// IndexError: an index out of bounds.
	IndexError
	// LinAlgError: a singular matrix and the like.
	LinAlgError
	// NotImplemented: an operation without a rule.
	NotImplemented
	// Internal: a bug.
	Internal
	// Interrupted: a computation stopped on request (Ctrl-C), not a
	// failure of its inputs.
	Interrupted
	// MemoryError: an array larger than the system's memory.
	MemoryError
)

// Error is an error with a numpy-like kind.
type Error struct {
	Kind Kind
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

// Errorf builds an *Error.
func Errorf(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Msg: fmt.Sprintf(format, args...)}
}

// Catch converts a panic into an error: call it as `defer nd.Catch(&err)`.
// Panics carrying an *Error keep their kind; any other panic becomes an
// Internal error naming the panic value.
func Catch(err *error) {
	r := recover()
	if r == nil {
		return
	}
	switch e := r.(type) {
	case *Error:
		*err = e
	case error:
		*err = &Error{Kind: Internal, Msg: "internal error: " + e.Error()}
	default:
		*err = &Error{Kind: Internal, Msg: fmt.Sprint("internal error: ", r)}
	}
}
