// Package vsohash computes the Azure Artifacts blob identifier of a file's
// content (the "VSO hash", FACTS.md section 3): SHA-256 over 64 KiB pages,
// a hash per 2 MiB block of those page hashes, and a chain of the block
// hashes seeded with a fixed string. The identifier is the 32-byte chain
// value followed by the algorithm byte 0x00.
package vsohash

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"strings"
)

const (
	// PageSize is the unit whose SHA-256 is taken independently.
	PageSize = 64 << 10
	// BlockSize is the unit whose page hashes are hashed together.
	BlockSize = 2 << 20

	pagesPerBlock = BlockSize / PageSize
	seed          = "VSO Content Identifier Seed"
)

// Size is the length of an identifier: 32 hash bytes and one algorithm byte.
const Size = sha256.Size + 1

// ID is a blob identifier.
type ID [Size]byte

// String is the identifierValue the symbol service takes: standard base64
// of the 33 bytes (44 characters; 33 is a multiple of 3, so no padding).
func (id ID) String() string { return base64.StdEncoding.EncodeToString(id[:]) }

// Hex is the identifier as upper-case hex, as Microsoft's tools print it.
func (id ID) Hex() string { return strings.ToUpper(hex.EncodeToString(id[:])) }

// Parse reads an identifierValue (base64 of 33 bytes, padding optional).
func Parse(s string) (ID, error) {
	var id ID
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(s)
	}
	if err != nil {
		return id, &ParseError{Value: s, Problem: "not base64"}
	}
	if len(b) != Size {
		return id, &ParseError{Value: s, Problem: "not 33 bytes"}
	}
	if b[Size-1] != 0 {
		return id, &ParseError{Value: s, Problem: "algorithm byte is not 0x00 (VSO hash)"}
	}
	copy(id[:], b)
	return id, nil
}

// ParseError says why a string is not a blob identifier.
type ParseError struct{ Value, Problem string }

func (e *ParseError) Error() string {
	return "blob identifier " + strconvQuote(e.Value) + ": " + e.Problem
}

func strconvQuote(s string) string {
	if len(s) > 60 {
		s = s[:60] + "..."
	}
	return "\"" + strings.ToValidUTF8(s, "?") + "\""
}

// chain is the sequential part: it folds block hashes into the identifier.
// The last block is marked, so a block hash is folded only once the next
// one (or the end) is known.
type chain struct {
	rid     []byte // the seed at first, then the latest SHA-256
	pending [sha256.Size]byte
	have    bool
	h       hash.Hash
}

func newChain() *chain {
	return &chain{rid: []byte(seed), h: sha256.New()}
}

// add takes the next block's hash.
func (c *chain) add(blockHash [sha256.Size]byte) {
	if c.have {
		c.fold(&c.pending, 0)
	}
	c.pending, c.have = blockHash, true
}

// sum folds the last block (an empty content is one empty block) and
// returns the identifier.
func (c *chain) sum() ID {
	if !c.have {
		c.add(sha256.Sum256(nil))
	}
	c.fold(&c.pending, 1)
	c.have = false
	var id ID
	copy(id[:], c.rid)
	return id
}

func (c *chain) fold(block *[sha256.Size]byte, final byte) {
	c.h.Reset()
	c.h.Write(c.rid)
	c.h.Write(block[:])
	c.h.Write([]byte{final})
	c.rid = c.h.Sum(c.rid[:0])
}

// blockHash is SHA-256 of the concatenated page hashes.
func blockHash(pageHashes []byte) [sha256.Size]byte { return sha256.Sum256(pageHashes) }
