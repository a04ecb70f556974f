package download

import "testing"

// FuzzFilesFromTail: the file count of an archive sent to stdout comes
// from its last bytes only, whatever they are: never a panic, never a
// negative count.
func FuzzFilesFromTail(f *testing.F) {
	f.Add(makeZip(f, zipEntry{name: "a", body: []byte("x")}, zipEntry{name: "d/", body: nil}), int64(0))
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00\x2e\x00\x00\x00\xff\xff\xff\xff\x00\x00"), int64(100))
	f.Add([]byte("PK\x06\x06"), int64(1<<40))
	f.Fuzz(func(t *testing.T, tail []byte, extra int64) {
		if extra < 0 {
			extra = -extra
		}
		n, err := filesFromTail(tail, int64(len(tail))+extra%(1<<40))
		if err == nil && n < 0 {
			t.Fatalf("negative count %d", n)
		}
	})
}
