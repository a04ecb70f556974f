package exit

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

type coded struct{ code int }

func (c coded) Error() string { return fmt.Sprintf("coded %d", c.code) }
func (c coded) ExitCode() int { return c.code }

func TestCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, OK},
		{"plain", errors.New("boom"), Failure},
		{"context canceled", context.Canceled, Failure},
		{"usage", UsageErrorf("next", "bad %s", "x"), Usage},
		{"flag", FlagErrorf("bad flag %q", "--x"), Usage},
		{"errorf", Errorf(NotFound, "", "gone"), NotFound},
		{"wrapped by fmt", fmt.Errorf("outer: %w", Errorf(Auth, "", "denied")), Auth},
		{"wrap", Wrapf(errors.New("io"), Rejected, "", "rejected"), Rejected},
		{"first coder wins", Wrapf(Errorf(Auth, "", "inner"), Service, "", "outer"), Service},
		{"custom coder", fmt.Errorf("x: %w", coded{4}), 4},
		{"interrupted", fmt.Errorf("x: %w", ErrInterrupted), Interrupted},
		{"joined", errors.Join(errors.New("a"), Errorf(NotFound, "", "b")), NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Code(tt.err); got != tt.want {
				t.Errorf("Code(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}

func TestHint(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"plain", errors.New("boom"), ""},
		{"usage", UsageErrorf("set X", "missing"), "set X"},
		{"wrapped", fmt.Errorf("ctx: %w", Errorf(Auth, "log in", "denied")), "log in"},
		{"outer empty hint falls through", Wrapf(Errorf(Auth, "inner hint", "x"), Service, "", "outer"), "inner hint"},
		{"outer hint wins", Wrapf(Errorf(Auth, "inner hint", "x"), Service, "outer hint", "outer"), "outer hint"},
		{"flag error has none", FlagErrorf("x"), ""},
		{"joined", errors.Join(errors.New("a"), UsageErrorf("joined hint", "b")), "joined hint"},
		{"multi %w", fmt.Errorf("%w and %w", errors.New("a"), UsageErrorf("second", "b")), "second"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Hint(tt.err); got != tt.want {
				t.Errorf("Hint(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}

func TestWorse(t *testing.T) {
	tests := []struct{ a, b, want int }{
		{OK, OK, OK},
		{OK, Failure, Failure},
		{Failure, OK, Failure},
		{Usage, Service, Service},
		{Service, Auth, Service},
		{NotFound, Rejected, Rejected},
		{Interrupted, Service, Interrupted},
		{Service, Interrupted, Interrupted},
		{OK, Interrupted, Interrupted},
	}
	for _, tt := range tests {
		if got := Worse(tt.a, tt.b); got != tt.want {
			t.Errorf("Worse(%d, %d) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestErrorMessage(t *testing.T) {
	cause := errors.New("disk full")
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Msg: "m"}, "m"},
		{&Error{Err: cause}, "disk full"},
		{&Error{Msg: "cannot write", Err: cause}, "cannot write: disk full"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	w := Wrapf(cause, Failure, "free space", "cannot write")
	if !errors.Is(w, cause) {
		t.Error("Wrapf lost the cause")
	}
	if Wrapf(nil, Failure, "y", "x") != nil {
		t.Error("Wrapf(nil) is not nil")
	}
	var fe *FlagError
	if !errors.As(fmt.Errorf("x: %w", FlagErrorf("bad %d", 1)), &fe) || fe.Error() != "bad 1" {
		t.Errorf("FlagError not found or wrong message: %v", fe)
	}
}

func TestWrapf(t *testing.T) {
	if Wrapf(nil, Failure, "next", "x") != nil {
		t.Error("Wrapf(nil) is not nil")
	}
	base := errors.New("disk full")
	err := Wrapf(base, Failure, "free some space", "cannot write %s", "a.zip")
	if err.Error() != "cannot write a.zip: disk full" || Hint(err) != "free some space" || Code(err) != Failure || !errors.Is(err, base) {
		t.Errorf("err %q hint %q code %d", err, Hint(err), Code(err))
	}
	// A message with a percent sign goes through "%s".
	if err := Wrapf(base, Usage, "hint", "%s", "100% sure"); err.Error() != "100% sure: disk full" || Hint(err) != "hint" {
		t.Errorf("Wrapf: %q %q", err, Hint(err))
	}
}
