package vsohash

import (
	"bytes"
	"crypto/sha256"
	"hash"
	"io"
)

// Hasher is a streaming VSO hasher: an io.Writer whose memory use does not
// depend on how much is written (one page hash state and one block's page
// hashes, about 1 KiB).
type Hasher struct {
	page     hash.Hash
	inPage   int // bytes of the current page hashed so far
	pages    []byte
	chain    *chain
	n        int64
	pageHash [sha256.Size]byte
}

// New returns an empty Hasher.
func New() *Hasher {
	return &Hasher{page: sha256.New(), pages: make([]byte, 0, pagesPerBlock*sha256.Size), chain: newChain()}
}

// Write hashes p. It never fails.
func (h *Hasher) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(PageSize-h.inPage, len(p))
		h.page.Write(p[:k])
		h.inPage += k
		p = p[k:]
		if h.inPage == PageSize {
			h.endPage()
		}
	}
	h.n += int64(n)
	return n, nil
}

func (h *Hasher) endPage() {
	h.pages = h.page.Sum(h.pages)
	h.page.Reset()
	h.inPage = 0
	if len(h.pages) == cap(h.pages) {
		h.chain.add(blockHash(h.pages))
		h.pages = h.pages[:0]
	}
}

// Len is the number of bytes written so far.
func (h *Hasher) Len() int64 { return h.n }

// Sum returns the identifier of everything written so far. Like
// hash.Hash's Sum it leaves the Hasher as it was: writing may go on.
func (h *Hasher) Sum() ID {
	pages := append(make([]byte, 0, cap(h.pages)), h.pages...)
	if h.inPage > 0 {
		pages = h.page.Sum(pages)
	}
	c := chain{rid: bytes.Clone(h.chain.rid), pending: h.chain.pending, have: h.chain.have, h: sha256.New()}
	if len(pages) > 0 {
		c.add(blockHash(pages))
	}
	return c.sum()
}

// Reader hashes everything r yields and returns the identifier and the
// number of bytes read.
func Reader(r io.Reader) (ID, int64, error) {
	h := New()
	buf := make([]byte, PageSize)
	n, err := io.CopyBuffer(h, onlyReader{r}, buf)
	if err != nil {
		return ID{}, n, err
	}
	return h.Sum(), n, nil
}

// onlyReader hides WriterTo so CopyBuffer uses our page-sized buffer.
type onlyReader struct{ io.Reader }
