package symkey

import (
	"encoding/binary"
	"fmt"
	"io"
)

// Windows PDB files are MSF 7.0 containers: a superblock, then fixed-size
// blocks. A stream directory (itself spread over blocks listed in the
// block map) gives every stream's size and blocks. Only what the key needs
// is read: the directory, and the first bytes of streams 1 and 3.

var (
	msf7Magic = []byte("Microsoft C/C++ MSF 7.00\r\n\x1aDS\x00\x00\x00")
	msf2Magic = []byte("Microsoft C/C++ program database 2.00\r\n\x1aJG\x00\x00")
)

const (
	pdbInfoStream = 1
	dbiStream     = 3
	nilStream     = 0xFFFFFFFF
)

// msf is an opened container.
type msf struct {
	r         io.ReaderAt
	size      int64
	blockSize int64
	numBlocks int64
	sizes     []uint32   // per stream; nilStream for a deleted stream
	blocks    [][]uint32 // per stream
}

func openMSF(r io.ReaderAt, size int64) (*msf, error) {
	var sb [56]byte
	if size < int64(len(sb)) {
		return nil, formatErr(KindPDB, "truncated superblock (%d bytes)", size)
	}
	if _, err := r.ReadAt(sb[:], 0); err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	m := &msf{r: r, size: size}
	m.blockSize = int64(le.Uint32(sb[32:]))
	m.numBlocks = int64(le.Uint32(sb[40:]))
	dirBytes := int64(le.Uint32(sb[44:]))
	blockMapAddr := int64(le.Uint32(sb[52:]))
	switch m.blockSize {
	case 512, 1024, 2048, 4096, 8192, 16384, 32768:
	default:
		return nil, formatErr(KindPDB, "block size %d is not a power of two from 512 to 32768", m.blockSize)
	}
	if m.numBlocks*m.blockSize > size {
		return nil, formatErr(KindPDB, "truncated: the superblock says %d blocks of %d bytes, the file has %d bytes", m.numBlocks, m.blockSize, size)
	}
	if dirBytes < 4 || dirBytes > size {
		return nil, formatErr(KindPDB, "stream directory of %d bytes", dirBytes)
	}
	// The block map lists the directory's blocks.
	dirBlocks := (dirBytes + m.blockSize - 1) / m.blockSize
	if err := m.checkBlock(uint32(blockMapAddr), "block map"); err != nil {
		return nil, err
	}
	if blockMapAddr*m.blockSize+dirBlocks*4 > m.numBlocks*m.blockSize {
		return nil, formatErr(KindPDB, "block map runs past the end of the file")
	}
	mapData := make([]byte, dirBlocks*4)
	if _, err := r.ReadAt(mapData, blockMapAddr*m.blockSize); err != nil {
		return nil, formatErr(KindPDB, "reading the block map: %v", err)
	}
	dirList := make([]uint32, dirBlocks)
	for i := range dirList {
		dirList[i] = le.Uint32(mapData[4*i:])
	}
	dir, err := m.read(dirList, dirBytes, "stream directory")
	if err != nil {
		return nil, err
	}
	return m, m.parseDirectory(dir)
}

func (m *msf) checkBlock(b uint32, what string) error {
	if b == 0 || int64(b) >= m.numBlocks {
		return formatErr(KindPDB, "%s at block %d, outside the file's %d blocks", what, b, m.numBlocks)
	}
	return nil
}

// read gathers n bytes spread over blocks.
func (m *msf) read(blocks []uint32, n int64, what string) ([]byte, error) {
	if n > int64(len(blocks))*m.blockSize {
		return nil, formatErr(KindPDB, "%s: %d bytes in %d blocks", what, n, len(blocks))
	}
	out := make([]byte, n)
	for i, off := 0, int64(0); off < n; i, off = i+1, off+m.blockSize {
		if err := m.checkBlock(blocks[i], what); err != nil {
			return nil, err
		}
		end := min(off+m.blockSize, n)
		if _, err := m.r.ReadAt(out[off:end], int64(blocks[i])*m.blockSize); err != nil {
			return nil, formatErr(KindPDB, "%s: %v", what, err)
		}
	}
	return out, nil
}

// parseDirectory: stream count, each stream's size, then each stream's
// block list.
func (m *msf) parseDirectory(dir []byte) error {
	le := binary.LittleEndian
	count := int64(le.Uint32(dir))
	rest := dir[4:]
	if count > int64(len(rest))/4 {
		return formatErr(KindPDB, "stream directory lists %d streams in %d bytes", count, len(dir))
	}
	m.sizes = make([]uint32, count)
	for i := range m.sizes {
		m.sizes[i] = le.Uint32(rest[4*i:])
	}
	rest = rest[4*count:]
	m.blocks = make([][]uint32, count)
	for i, sz := range m.sizes {
		if sz == nilStream {
			continue
		}
		nb := (int64(sz) + m.blockSize - 1) / m.blockSize
		if nb > int64(len(rest))/4 {
			return formatErr(KindPDB, "stream %d: %d bytes need %d blocks, the directory ends first", i, sz, nb)
		}
		list := make([]uint32, nb)
		for j := range list {
			list[j] = le.Uint32(rest[4*j:])
		}
		m.blocks[i] = list
		rest = rest[4*nb:]
	}
	return nil
}

// streamPrefix returns the first n bytes of stream i, or fewer if the
// stream is shorter; ok is false when the stream does not exist.
func (m *msf) streamPrefix(i int, n int64) (data []byte, ok bool, err error) {
	if i >= len(m.sizes) || m.sizes[i] == nilStream {
		return nil, false, nil
	}
	n = min(n, int64(m.sizes[i]))
	data, err = m.read(m.blocks[i], n, fmt.Sprintf("stream %d", i))
	return data, err == nil, err
}

// pdbKey: <name>/<GUID><age>/<name>, the GUID from the PDB info stream,
// the age from the DBI stream when there is one (the linker updates only
// that one on incremental links, and symbol servers index by it).
func pdbKey(r io.ReaderAt, size int64, name string) ([]Key, error) {
	m, err := openMSF(r, size)
	if err != nil {
		return nil, err
	}
	info, ok, err := m.streamPrefix(pdbInfoStream, 28)
	if err != nil {
		return nil, err
	}
	if !ok || len(info) < 28 {
		return nil, formatErr(KindPDB, "PDB info stream (1) missing or shorter than 28 bytes")
	}
	le := binary.LittleEndian
	age := le.Uint32(info[8:])
	guid := info[12:28]
	dbi, ok, err := m.streamPrefix(dbiStream, 12)
	if err != nil {
		return nil, err
	}
	if ok && len(dbi) >= 12 {
		if sig := int32(le.Uint32(dbi)); sig != -1 {
			return nil, formatErr(KindPDB, "DBI stream (3) has signature %d, not -1", sig)
		}
		age = le.Uint32(dbi[8:])
	}
	return []Key{{Kind: KindPDB, ClientKey: fmt.Sprintf("%s/%s%x/%s", name, guidHex(guid), age, name)}}, nil
}
