package cli

import (
	"context"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/diagctl/diagctl/internal/cmdutil"
	"github.com/diagctl/diagctl/internal/cmdutil/cmdutiltest"
	"github.com/diagctl/diagctl/internal/httpx"
)

// cmdLastRequest writes the latest request the emulator ($EMU) received
// to a file in $WORK, for cmp against the documented wire form:
//
//	lastrequest got.txt
//
// The file holds "METHOD PATH", the headers one a line (sorted, names as
// Go's server canonicalises them; User-Agent left out, since it carries
// the build's version), a blank line and the body.
func cmdLastRequest(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: lastrequest FILE")
	}
	all := ts.Value(emuKey{}).(*emuLog).srv.Received()
	if len(all) == 0 {
		ts.Fatalf("lastrequest: the emulator received nothing")
	}
	r := all[len(all)-1]
	var b strings.Builder
	b.WriteString(r.Method + " " + r.Path)
	if r.RawQuery != "" {
		b.WriteString("?" + r.RawQuery)
	}
	b.WriteString("\n")
	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		if name != "User-Agent" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		for _, v := range r.Header[name] {
			b.WriteString(name + ": " + v + "\n")
		}
	}
	b.WriteString("\n")
	b.Write(r.Body)
	b.WriteString("\n")
	if err := os.WriteFile(filepath.Join(ts.Getenv("WORK"), args[0]), []byte(b.String()), 0o644); err != nil {
		ts.Fatalf("lastrequest: %v", err)
	}
}

// refuseFirstDial is the variable that makes the scripts' diagctl refuse
// its first connection: its value names a server setting's variable
// (DIAGCTL_REPORT_TASK_SERVER), whose URL diagctl then reaches through a
// cmdutiltest.DialGate. The gate refuses the first dial and opens at the
// first retry's wait, relaying to the real server from then on; so
// "a refused connection is retried" happens the same way every run.
const refuseFirstDial = "TESTSCRIPT_REFUSE_FIRST_DIAL"

// scriptTune is the Factory of the scripts' diagctl: retries that do not
// wait, and the dial gate when refuseFirstDial is set.
func scriptTune(f *cmdutil.Factory) {
	f.Backoff.Sleep = httpx.NoSleep
	name := os.Getenv(refuseFirstDial)
	if name == "" {
		return
	}
	target, err := url.Parse(os.Getenv(name))
	if err != nil || target.Host == "" {
		panic(refuseFirstDial + ": " + name + " holds no URL")
	}
	gate, err := cmdutiltest.NewDialGate()
	if err != nil {
		panic(err)
	}
	getenv := f.Getenv
	f.Getenv = func(k string) string {
		if k == name {
			return gate.URL + target.Path
		}
		return getenv(k)
	}
	var once sync.Once
	f.Backoff.Sleep = func(ctx context.Context, _ time.Duration) error {
		once.Do(func() {
			ln, err := gate.Open()
			if err != nil {
				panic(err)
			}
			go relay(ln, target.Host)
		})
		return context.Cause(ctx)
	}
}

// relay copies every connection accepted on ln to and from addr.
func relay(ln net.Listener, addr string) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			up, err := net.Dial("tcp", addr)
			if err != nil {
				return
			}
			defer up.Close()
			done := make(chan struct{}, 2)
			go func() { io.Copy(up, c); done <- struct{}{} }()
			go func() { io.Copy(c, up); done <- struct{}{} }()
			<-done
		}()
	}
}
