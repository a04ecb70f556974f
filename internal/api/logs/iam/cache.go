package iam

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ReuseMargin: a cached token is used until this long before it expires,
// so a download that starts with it does not see it die halfway.
const ReuseMargin = 5 * time.Minute

// CacheKey names whose token a cache entry is: the same user on another
// IAM endpoint or project gets another token. No secret is part of it.
type CacheKey struct {
	Endpoint string // the IAM base URL, e.g. https://iam.cn-north-4.myhuaweicloud.com
	Domain   string
	User     string
	Project  string
}

// Cache keeps IAM tokens between runs, one file per key, 0600 in a 0700
// directory. It stores the token and its expiry, never the password.
type Cache struct {
	Dir string           // where the files go (DefaultCacheDir)
	Now func() time.Time // the clock; nil means time.Now
}

// Files are named filePrefix + hex(SHA-256(key))[:32] + ".json".
const filePrefix = "iam-token-"

// DefaultCacheDir is $XDG_CACHE_HOME/diagctl, else os.UserCacheDir()/diagctl
// (~/.cache/diagctl, ~/Library/Caches/diagctl, %LocalAppData%\diagctl).
// getenv is os.Getenv in production; tests pass their own.
func DefaultCacheDir(getenv func(string) string) (string, error) {
	if d := getenv("XDG_CACHE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "diagctl"), nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory for IAM tokens (set XDG_CACHE_HOME): %w", err)
	}
	return filepath.Join(d, "diagctl"), nil
}

type cacheFile struct {
	Version   int       `json:"version"`
	Key       CacheKey  `json:"key"`
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	IssuedAt  time.Time `json:"issued_at,omitzero"`
	UserID    string    `json:"user_id,omitempty"`
	ProjectID string    `json:"project_id,omitempty"`
}

const cacheVersion = 1

// errNoDir guards against a zero Cache writing into the working directory.
var errNoDir = errors.New("token cache: no directory set")

func (c *Cache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Path is the file that holds key's token.
func (c *Cache) Path(k CacheKey) string {
	// A separator that cannot occur in any part keeps ("a b","c") and
	// ("a","b c") apart.
	sum := sha256.Sum256([]byte(strings.Join([]string{k.Endpoint, k.Domain, k.User, k.Project}, "\x00")))
	return filepath.Join(c.Dir, filePrefix+hex.EncodeToString(sum[:16])+".json")
}

// Load returns key's cached token when it is still good for at least
// ReuseMargin. A missing, unreadable, corrupt or foreign file, or a
// token about to expire, is a miss (ok false), never an error: the caller
// then logs in again and Stores the new token over it.
func (c *Cache) Load(k CacheKey) (t Token, ok bool) {
	if c.Dir == "" {
		return Token{}, false
	}
	b, err := os.ReadFile(c.Path(k))
	if err != nil {
		return Token{}, false
	}
	var f cacheFile
	if json.Unmarshal(b, &f) != nil || f.Version != cacheVersion || f.Key != k || f.Token == "" {
		return Token{}, false
	}
	if !c.now().Add(ReuseMargin).Before(f.ExpiresAt) {
		return Token{}, false
	}
	return Token{Value: f.Token, ExpiresAt: f.ExpiresAt, IssuedAt: f.IssuedAt, UserID: f.UserID, ProjectID: f.ProjectID}, true
}

// Store writes key's token atomically: a temporary file in the same
// directory (0600), synced, then renamed over the old one, so a reader
// never sees half a file. The directory is created 0700.
func (c *Cache) Store(k CacheKey, t Token) error {
	if t.Value == "" {
		return errors.New("iam: refusing to cache an empty token")
	}
	if c.Dir == "" {
		return errNoDir
	}
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	// MkdirAll leaves an existing directory's mode alone; ours is ours.
	_ = os.Chmod(c.Dir, 0o700)
	b, err := json.Marshal(cacheFile{
		Version: cacheVersion, Key: k, Token: t.Value,
		ExpiresAt: t.ExpiresAt.UTC(), IssuedAt: t.IssuedAt.UTC(),
		UserID: t.UserID, ProjectID: t.ProjectID,
	})
	if err != nil {
		return err
	}
	dst := c.Path(k)
	tmp, err := os.CreateTemp(c.Dir, filepath.Base(dst)+".tmp*")
	if err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// CreateTemp makes the file 0600 already; say so for any umask.
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	done = true
	return nil
}

// Delete removes key's cached token; a missing entry is no error.
func (c *Cache) Delete(k CacheKey) error {
	if c.Dir == "" {
		return errNoDir
	}
	err := os.Remove(c.Path(k))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("token cache: %w", err)
	}
	return nil
}

// Clear removes every cached IAM token (and any temporary file a killed
// run left behind), for `logs token --revoke-cache`. It returns how many
// tokens it removed. Other files in the directory are left alone.
func (c *Cache) Clear() (int, error) {
	if c.Dir == "" {
		return 0, errNoDir
	}
	entries, err := os.ReadDir(c.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("token cache: %w", err)
	}
	n := 0
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, filePrefix) || e.IsDir() {
			continue
		}
		if err := os.Remove(filepath.Join(c.Dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		if strings.HasSuffix(name, ".json") {
			n++
		}
	}
	if len(errs) > 0 {
		return n, fmt.Errorf("token cache: %w", errors.Join(errs...))
	}
	return n, nil
}
