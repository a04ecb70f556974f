package cmdutil

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/diagctl/diagctl/internal/exit"
)

func TestEnum(t *testing.T) {
	e := Enum{{"pat", "personal access token"}, {"bearer", ""}, {"basic", "x"}}
	if err := e.Check("auth", "bearer"); err != nil {
		t.Errorf("Check(bearer) = %v", err)
	}
	err := e.Check("auth", "token")
	if exit.Code(err) != exit.Usage || err.Error() != `--auth "token": use pat, bearer or basic` {
		t.Errorf("Check(token) = %v (exit %d)", err, exit.Code(err))
	}
	if v, err := e.Fold("auth", "BEARER"); v != "bearer" || err != nil {
		t.Errorf("Fold(BEARER) = %q, %v", v, err)
	}
	if v, err := e.Fold("auth", "bear"); v != "" || exit.Code(err) != exit.Usage || err.Error() != `--auth "bear": use pat, bearer or basic` {
		t.Errorf("Fold(bear) = %q, %v", v, err)
	}
	if got := strings.Join(e.Complete("b"), ","); got != "bearer,basic\tx" {
		t.Errorf("Complete(b) = %q", got)
	}
	cmd := &cobra.Command{Use: "x"}
	cmd.Flags().String("auth", "", "")
	e.Register(cmd, "auth")
	defer func() {
		if recover() == nil {
			t.Error("registering a flag twice does not panic")
		}
	}()
	e.Register(cmd, "auth")
}
