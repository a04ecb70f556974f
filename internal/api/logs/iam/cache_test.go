package iam

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

var (
	t0  = time.Date(2024, 5, 6, 7, 0, 0, 0, time.UTC)
	key = CacheKey{Endpoint: "https://iam.cn-north-4.myhuaweicloud.com", Domain: "acme", User: "alice", Project: "cn-north-4"}
)

func newCache(t *testing.T) (*Cache, *clock) {
	c := &clock{t: t0}
	return &Cache{Dir: filepath.Join(t.TempDir(), "diagctl"), Now: c.now}, c
}

func TestCacheReuseUntilFiveMinutesBefore(t *testing.T) {
	c, clk := newCache(t)
	if _, ok := c.Load(key); ok {
		t.Fatal("hit in an empty cache")
	}
	tok := Token{Value: "MIIScached", ExpiresAt: t0.Add(24 * time.Hour), IssuedAt: t0, UserID: "u1", ProjectID: "p1"}
	if err := c.Store(key, tok); err != nil {
		t.Fatal(err)
	}
	got, ok := c.Load(key)
	if !ok || got != tok {
		t.Fatalf("Load = %+v, %v; want %+v", got, ok, tok)
	}
	clk.t = tok.ExpiresAt.Add(-ReuseMargin - time.Second)
	if _, ok := c.Load(key); !ok {
		t.Error("miss 5 min 1 s before expiry")
	}
	clk.t = tok.ExpiresAt.Add(-ReuseMargin)
	if _, ok := c.Load(key); ok {
		t.Error("hit exactly 5 min before expiry")
	}
	clk.t = tok.ExpiresAt.Add(time.Hour)
	if _, ok := c.Load(key); ok {
		t.Error("hit after expiry")
	}
}

// A token that lives six minutes is reused for one.
func TestCacheShortLivedToken(t *testing.T) {
	c, clk := newCache(t)
	if err := c.Store(key, Token{Value: "short", ExpiresAt: t0.Add(6 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	clk.t = t0.Add(59 * time.Second)
	if _, ok := c.Load(key); !ok {
		t.Error("miss after 59 s")
	}
	clk.t = t0.Add(61 * time.Second)
	if _, ok := c.Load(key); ok {
		t.Error("hit after 61 s: it must be refreshed")
	}
}

func TestCacheKeyed(t *testing.T) {
	c, _ := newCache(t)
	if err := c.Store(key, Token{Value: "a", ExpiresAt: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []CacheKey{
		{key.Endpoint + "x", key.Domain, key.User, key.Project},
		{key.Endpoint, "other", key.User, key.Project},
		{key.Endpoint, key.Domain, "bob", key.Project},
		{key.Endpoint, key.Domain, key.User, "cn-east-3"},
		// Parts shifted between fields are another key.
		{key.Endpoint, key.Domain + key.User, "", key.Project},
	} {
		if _, ok := c.Load(k); ok {
			t.Errorf("key %+v hits the entry of %+v", k, key)
		}
		if c.Path(k) == c.Path(key) {
			t.Errorf("key %+v shares the file of %+v", k, key)
		}
	}
	if name := filepath.Base(c.Path(key)); !strings.HasPrefix(name, "iam-token-") || strings.Contains(name, "alice") || strings.Contains(name, "acme") {
		t.Errorf("file name %q", name)
	}
}

func TestCacheFileModesAndContent(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	c, _ := newCache(t)
	if err := c.Store(key, Token{Value: "MIISsecret", ExpiresAt: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(c.Path(key))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", fi.Mode().Perm())
	}
	di, _ := os.Stat(c.Dir)
	if di.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", di.Mode().Perm())
	}
	b, _ := os.ReadFile(c.Path(key))
	if !strings.Contains(string(b), `"expires_at":"2024-05-06T08:00:00Z"`) || !strings.Contains(string(b), "MIISsecret") {
		t.Errorf("file content %s", b)
	}
	entries, _ := os.ReadDir(c.Dir)
	if len(entries) != 1 {
		t.Errorf("%d files left in the cache directory, want 1 (no temporary file)", len(entries))
	}
	// An existing, too-open directory is tightened.
	os.Chmod(c.Dir, 0o755)
	if err := c.Store(key, Token{Value: "t2", ExpiresAt: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	di, _ = os.Stat(c.Dir)
	if di.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v after Store, want 0700", di.Mode().Perm())
	}
}

// The password is not among the things Store can even be given, but make
// sure the file holds nothing beyond the token and its metadata.
func TestCacheStoresNoPassword(t *testing.T) {
	c, _ := newCache(t)
	if err := c.Store(key, Token{Value: "tok", ExpiresAt: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(c.Path(key))
	if strings.Contains(strings.ToLower(string(b)), "password") {
		t.Errorf("cache file mentions a password: %s", b)
	}
}

func TestCacheCorruptIsMiss(t *testing.T) {
	c, _ := newCache(t)
	if err := c.Store(key, Token{Value: "tok", ExpiresAt: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"garbage":   "\x00\x01not json",
		"truncated": `{"version":1,"key":{"Endpoint":"`,
		"no token":  `{"version":1,"key":{"Endpoint":"https://iam.cn-north-4.myhuaweicloud.com","Domain":"acme","User":"alice","Project":"cn-north-4"},"token":"","expires_at":"2099-01-01T00:00:00Z"}`,
		"other key": `{"version":1,"key":{"Endpoint":"x","Domain":"acme","User":"alice","Project":"cn-north-4"},"token":"t","expires_at":"2099-01-01T00:00:00Z"}`,
		"version 2": `{"version":2,"key":{"Endpoint":"https://iam.cn-north-4.myhuaweicloud.com","Domain":"acme","User":"alice","Project":"cn-north-4"},"token":"t","expires_at":"2099-01-01T00:00:00Z"}`,
		"bad time":  `{"version":1,"key":{"Endpoint":"https://iam.cn-north-4.myhuaweicloud.com","Domain":"acme","User":"alice","Project":"cn-north-4"},"token":"t","expires_at":"soon"}`,
	} {
		if err := os.WriteFile(c.Path(key), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if tok, ok := c.Load(key); ok {
			t.Errorf("%s: hit %+v", name, tok)
		}
	}
	// And a fresh Store repairs it.
	if err := c.Store(key, Token{Value: "tok2", ExpiresAt: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if tok, ok := c.Load(key); !ok || tok.Value != "tok2" {
		t.Errorf("after repair: %+v %v", tok, ok)
	}
	// A directory where the file should be is a miss too, and Store says why.
	c2, _ := newCache(t)
	os.MkdirAll(c2.Path(key), 0o700)
	if _, ok := c2.Load(key); ok {
		t.Error("hit on a directory")
	}
	if err := c2.Store(key, Token{Value: "t", ExpiresAt: t0.Add(time.Hour)}); err == nil {
		t.Error("Store over a directory succeeded")
	}
}

func TestCacheDeleteAndClear(t *testing.T) {
	c, _ := newCache(t)
	if n, err := c.Clear(); n != 0 || err != nil {
		t.Errorf("Clear of a missing dir: %d %v", n, err)
	}
	if err := c.Delete(key); err != nil {
		t.Errorf("Delete of a missing entry: %v", err)
	}
	other := key
	other.User = "bob"
	for _, k := range []CacheKey{key, other} {
		if err := c.Store(k, Token{Value: "t", ExpiresAt: t0.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	unrelated := filepath.Join(c.Dir, "something-else.json")
	os.WriteFile(unrelated, []byte("keep"), 0o600)
	stale := filepath.Join(c.Dir, "iam-token-0123.json.tmp42")
	os.WriteFile(stale, []byte("half"), 0o600)

	if err := c.Delete(key); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Load(key); ok {
		t.Error("hit after Delete")
	}
	if _, ok := c.Load(other); !ok {
		t.Error("Delete removed another key's token")
	}
	n, err := c.Clear()
	if err != nil || n != 1 {
		t.Errorf("Clear = %d, %v; want 1, nil", n, err)
	}
	if _, ok := c.Load(other); ok {
		t.Error("hit after Clear")
	}
	if _, err := os.Stat(unrelated); err != nil {
		t.Error("Clear removed an unrelated file")
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("Clear left a stale temporary file")
	}
}

func TestCacheZeroValueRefuses(t *testing.T) {
	var c Cache
	if _, ok := c.Load(key); ok {
		t.Error("hit with no directory")
	}
	if err := c.Store(key, Token{Value: "t", ExpiresAt: t0}); err == nil {
		t.Error("Store with no directory")
	}
	if _, err := c.Clear(); err == nil {
		t.Error("Clear with no directory")
	}
	c2, _ := newCache(t)
	if err := c2.Store(key, Token{}); err == nil {
		t.Error("stored an empty token")
	}
}

func TestDefaultCacheDir(t *testing.T) {
	env := map[string]string{"XDG_CACHE_HOME": "/x/cache"}
	d, err := DefaultCacheDir(func(k string) string { return env[k] })
	if err != nil || d != filepath.Join("/x/cache", "diagctl") {
		t.Errorf("DefaultCacheDir = %q, %v", d, err)
	}
	// A relative XDG_CACHE_HOME is ignored, as the XDG spec says.
	env["XDG_CACHE_HOME"] = "rel"
	d, err = DefaultCacheDir(func(k string) string { return env[k] })
	if err == nil && (!filepath.IsAbs(d) || filepath.Base(d) != "diagctl") {
		t.Errorf("DefaultCacheDir with a relative XDG_CACHE_HOME = %q", d)
	}
}
