package symbols

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/diagctl/diagctl/internal/exit"
)

// input is one file to key, or an entry that could not be taken.
type input struct {
	path string
	// err: the entry could not be read (reported, exit 1).
	err error
	// skip: the entry is left out on purpose (listed under -v).
	skip string
}

// collect turns the arguments into the files to key, in a stable order:
// arguments as given, each directory's files in the order of a walk whose
// entries are sorted by name. Symbolic links inside a directory are
// followed only to regular files inside the same tree.
//
// A path that does not exist is a usage error for the whole command (exit
// 2), before anything is read: it is a mistyped argument, and a later
// command that publishes these files must not publish half of them.
func collect(args []string) ([]input, error) {
	var missing []string
	for _, a := range args {
		if _, err := os.Stat(a); err != nil && errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, escape(a))
		}
	}
	if len(missing) > 0 {
		return nil, exit.UsageErrorf("check the path, or leave it out", "no such file or directory: %s", strings.Join(missing, ", "))
	}
	var out []input
	for _, a := range args {
		st, err := os.Stat(a)
		switch {
		case err != nil:
			out = append(out, input{path: a, err: err})
		case st.IsDir():
			out = append(out, walk(a)...)
		case st.Mode().IsRegular():
			out = append(out, input{path: a})
		default:
			out = append(out, input{path: a, err: errors.New("not a regular file (" + st.Mode().Type().String() + ")")})
		}
	}
	return out, nil
}

// walk lists a directory tree. Unreadable directories are reported and the
// walk goes on.
func walk(root string) []input {
	var out []input
	realRoot, rootErr := filepath.EvalSymlinks(root)
	if rootErr == nil {
		realRoot, rootErr = filepath.Abs(realRoot)
	}
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			out = append(out, input{path: path, err: unwrapPathError(err)})
			return nil
		}
		switch t := d.Type(); {
		case t.IsDir(), t.IsRegular():
			if t.IsRegular() {
				out = append(out, input{path: path})
			}
		case t&fs.ModeSymlink != 0:
			out = append(out, followLink(path, realRoot, rootErr))
		default:
			out = append(out, input{path: path, skip: "not a regular file (" + t.String() + ")"})
		}
		return nil
	})
	return out
}

// followLink takes a symbolic link found in a walk if it leads to a
// regular file inside the tree.
func followLink(path, realRoot string, rootErr error) input {
	target, err := filepath.EvalSymlinks(path)
	if err == nil {
		target, err = filepath.Abs(target)
	}
	if err != nil || rootErr != nil {
		return input{path: path, skip: "symbolic link that does not resolve"}
	}
	if target != realRoot && !strings.HasPrefix(target, realRoot+string(filepath.Separator)) {
		return input{path: path, skip: "symbolic link out of the tree (to " + target + "), not followed"}
	}
	st, err := os.Stat(target)
	if err != nil || !st.Mode().IsRegular() {
		return input{path: path, skip: "symbolic link to something other than a regular file, not followed"}
	}
	return input{path: path}
}

// unwrapPathError keeps the reason of a *PathError: the path is printed
// beside it already.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
