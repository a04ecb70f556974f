package download

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// tempPrefix and tempSuffix name the temporary files: hidden, and
// recognisable as ours. Between them: the writer's pid, a dash and random
// hex (see stale.go).
const tempPrefix, tempSuffix = ".diagctl-", ".part"

// createTemp creates a new temporary file in dir, like os.CreateTemp(dir,
// ".diagctl-<pid>-*.part"), locked while open (stale.go), but with mode 0666 filtered by the umask rather
// than 0600: the file becomes the user's archive by rename, and should
// get the same permissions curl -o or a shell redirect would give it.
func createTemp(dir string) (*os.File, error) {
	var rnd [8]byte
	for try := 0; ; try++ {
		_, _ = rand.Read(rnd[:])
		name := filepath.Join(dir, tempPrefix+strconv.Itoa(os.Getpid())+"-"+hex.EncodeToString(rnd[:])+tempSuffix)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) && try < 100 {
			continue
		}
		if err == nil {
			lock(f) // held until the file is closed: this run is alive
		}
		return f, err
	}
}

// errExists is returned by commit when the final path appeared while we
// were downloading and --force was not given.
var errExists = errors.New("file exists")

// commit moves the complete temporary file tmp to final. With force it
// atomically replaces whatever is there (rename never follows a symlink
// at final: the link itself is replaced). Without force it never
// clobbers: a hard link fails if final exists, and the temporary name is
// then removed. File systems without hard links fall back to a check
// followed by rename.
func commit(tmp, final string, force bool) error {
	if force {
		return os.Rename(tmp, final)
	}
	err := os.Link(tmp, final)
	if err == nil {
		// The archive is in place; a leftover temporary name is not
		// worth failing for.
		_ = os.Remove(tmp)
		return nil
	}
	if errors.Is(err, fs.ErrExist) {
		return errExists
	}
	// No hard links here (FAT, some network or FUSE file systems).
	if _, serr := os.Lstat(final); serr == nil {
		return errExists
	} else if !errors.Is(serr, fs.ErrNotExist) {
		return serr
	}
	return os.Rename(tmp, final)
}

// syncDir makes a rename durable. Best effort: not every platform can
// open or sync a directory.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
