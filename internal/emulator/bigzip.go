package emulator

import (
	"encoding/binary"
	"hash/crc32"
	"io"
)

// The big archive is one stored (method 0) entry of generated data between
// a local header and a central directory, so any byte of it can be produced
// from its offset alone: nothing is held in memory but the 1 MiB block and
// a few hundred bytes of headers, and a range costs no more than its length.

const (
	bigEntryName = "debug_report/big.bin"
	localLen     = 30 + len(bigEntryName) // local file header
	centralLen   = 46 + len(bigEntryName) // central directory header
	eocdLen      = 22                     // end of central directory
	zip64Extra   = 4 + 16                 // ZIP64 extra field: sizes only
	zip64EOCDLen = 56                     // ZIP64 end of central directory record
	zip64LocLen  = 20                     // ZIP64 end of central directory locator
	plainOver    = localLen + centralLen + eocdLen
	zip64Over    = plainOver + 2*zip64Extra + zip64EOCDLen + zip64LocLen
)

// MinBigSize is the smallest big archive: its entry is empty.
const MinBigSize = int64(plainOver)

// bigZip is a ZIP archive of an exact size, produced on the fly.
type bigZip struct {
	size    int64
	head    []byte // local file header
	dataLen int64
	tail    []byte // central directory, ZIP64 records, end record
}

// newBigZip lays out an archive of exactly size bytes. ZIP64 is used only
// when a 32-bit field would overflow, as zip tools do.
func newBigZip(size int64) *bigZip {
	if size < MinBigSize {
		size = MinBigSize
	}
	zip64 := size >= 0xFFFFFFFF
	over := int64(plainOver)
	if zip64 {
		over = int64(zip64Over)
	}
	z := &bigZip{size: size, dataLen: size - over}
	crc := repeatCRC(dataBlock(), z.dataLen)
	z.head = z.localHeader(crc, zip64)
	z.tail = z.centralAndEnd(crc, zip64, int64(len(z.head))+z.dataLen)
	return z
}

func (z *bigZip) Size() int64 { return z.size }

// dosTime is fixtureTime in MS-DOS form.
func dosTime() (date, tm uint16) {
	t := fixtureTime()
	date = uint16((t.Year()-1980)<<9 | int(t.Month())<<5 | t.Day())
	tm = uint16(t.Hour()<<11 | t.Minute()<<5 | t.Second()/2)
	return date, tm
}

func (z *bigZip) localHeader(crc uint32, zip64 bool) []byte {
	date, tm := dosTime()
	b := binary.LittleEndian.AppendUint32(nil, 0x04034b50)
	b = binary.LittleEndian.AppendUint16(b, version(zip64))
	b = binary.LittleEndian.AppendUint16(b, 0) // flags: sizes are known, no data descriptor
	b = binary.LittleEndian.AppendUint16(b, 0) // method: stored
	b = binary.LittleEndian.AppendUint16(b, tm)
	b = binary.LittleEndian.AppendUint16(b, date)
	b = binary.LittleEndian.AppendUint32(b, crc)
	b = appendSizes32(b, z.dataLen, zip64)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(bigEntryName)))
	b = binary.LittleEndian.AppendUint16(b, extraLen(zip64))
	b = append(b, bigEntryName...)
	return appendZip64Extra(b, z.dataLen, zip64)
}

func (z *bigZip) centralAndEnd(crc uint32, zip64 bool, cdOffset int64) []byte {
	date, tm := dosTime()
	b := binary.LittleEndian.AppendUint32(nil, 0x02014b50)
	b = binary.LittleEndian.AppendUint16(b, 3<<8|version(zip64)) // made by Unix
	b = binary.LittleEndian.AppendUint16(b, version(zip64))
	b = binary.LittleEndian.AppendUint16(b, 0)
	b = binary.LittleEndian.AppendUint16(b, 0)
	b = binary.LittleEndian.AppendUint16(b, tm)
	b = binary.LittleEndian.AppendUint16(b, date)
	b = binary.LittleEndian.AppendUint32(b, crc)
	b = appendSizes32(b, z.dataLen, zip64)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(bigEntryName)))
	b = binary.LittleEndian.AppendUint16(b, extraLen(zip64))
	b = binary.LittleEndian.AppendUint16(b, 0)            // comment
	b = binary.LittleEndian.AppendUint16(b, 0)            // disk
	b = binary.LittleEndian.AppendUint16(b, 0)            // internal attributes
	b = binary.LittleEndian.AppendUint32(b, 0o100644<<16) // regular file, rw-r--r--
	b = binary.LittleEndian.AppendUint32(b, 0)            // local header at offset 0
	b = append(b, bigEntryName...)
	b = appendZip64Extra(b, z.dataLen, zip64)
	cdSize := int64(len(b))

	cdOff32 := uint32(cdOffset)
	if zip64 {
		cdOff32 = 0xFFFFFFFF // the real offset is in the ZIP64 record
		eocd64 := cdOffset + cdSize
		b = binary.LittleEndian.AppendUint32(b, 0x06064b50)
		b = binary.LittleEndian.AppendUint64(b, zip64EOCDLen-12) // size of the rest of the record
		b = binary.LittleEndian.AppendUint16(b, 3<<8|45)
		b = binary.LittleEndian.AppendUint16(b, 45)
		b = binary.LittleEndian.AppendUint32(b, 0) // this disk
		b = binary.LittleEndian.AppendUint32(b, 0) // disk with the directory
		b = binary.LittleEndian.AppendUint64(b, 1) // entries on this disk
		b = binary.LittleEndian.AppendUint64(b, 1) // entries
		b = binary.LittleEndian.AppendUint64(b, uint64(cdSize))
		b = binary.LittleEndian.AppendUint64(b, uint64(cdOffset))
		b = binary.LittleEndian.AppendUint32(b, 0x07064b50)
		b = binary.LittleEndian.AppendUint32(b, 0)
		b = binary.LittleEndian.AppendUint64(b, uint64(eocd64))
		b = binary.LittleEndian.AppendUint32(b, 1) // disks
	}
	b = binary.LittleEndian.AppendUint32(b, 0x06054b50)
	b = binary.LittleEndian.AppendUint16(b, 0)
	b = binary.LittleEndian.AppendUint16(b, 0)
	b = binary.LittleEndian.AppendUint16(b, 1)
	b = binary.LittleEndian.AppendUint16(b, 1)
	b = binary.LittleEndian.AppendUint32(b, uint32(cdSize))
	b = binary.LittleEndian.AppendUint32(b, cdOff32)
	b = binary.LittleEndian.AppendUint16(b, 0) // comment
	return b
}

func version(zip64 bool) uint16 {
	if zip64 {
		return 45
	}
	return 20
}

func extraLen(zip64 bool) uint16 {
	if zip64 {
		return zip64Extra
	}
	return 0
}

// appendSizes32 writes compressed and uncompressed size (equal when
// stored), or the ZIP64 marker that sends readers to the extra field.
func appendSizes32(b []byte, n int64, zip64 bool) []byte {
	v := uint32(n)
	if zip64 {
		v = 0xFFFFFFFF
	}
	b = binary.LittleEndian.AppendUint32(b, v)
	return binary.LittleEndian.AppendUint32(b, v)
}

func appendZip64Extra(b []byte, n int64, zip64 bool) []byte {
	if !zip64 {
		return b
	}
	b = binary.LittleEndian.AppendUint16(b, 0x0001)
	b = binary.LittleEndian.AppendUint16(b, 16)
	b = binary.LittleEndian.AppendUint64(b, uint64(n)) // uncompressed
	return binary.LittleEndian.AppendUint64(b, uint64(n))
}

// WriteRange writes bytes [off, off+n) of the archive. Data is written
// straight from the shared block, up to 1 MiB a call, with no copying.
func (z *bigZip) WriteRange(w io.Writer, off, n int64) error {
	dataOff := int64(len(z.head))
	tailOff := dataOff + z.dataLen
	for n > 0 {
		var chunk []byte
		switch {
		case off < dataOff:
			chunk = z.head[off:]
		case off < tailOff:
			blk := dataBlock()
			i := (off - dataOff) % blockSize
			chunk = blk[i:]
			if rest := tailOff - off; int64(len(chunk)) > rest {
				chunk = chunk[:rest]
			}
		default:
			chunk = z.tail[off-tailOff:]
		}
		if int64(len(chunk)) > n {
			chunk = chunk[:n]
		}
		if _, err := w.Write(chunk); err != nil {
			return err
		}
		off += int64(len(chunk))
		n -= int64(len(chunk))
	}
	return nil
}

// repeatCRC is the CRC-32 of n bytes made of blk repeated. It combines
// the block's CRC by doubling (as zlib's crc32_combine does), so a 1 TiB
// archive costs microseconds rather than minutes of hashing.
func repeatCRC(blk []byte, n int64) uint32 {
	size := int64(len(blk))
	whole, rest := n/size, n%size
	var crc uint32 // CRC of nothing
	part, partLen := crc32.ChecksumIEEE(blk), size
	for k := whole; k > 0; k >>= 1 {
		if k&1 != 0 {
			crc = crc32Combine(crc, part, partLen)
		}
		part = crc32Combine(part, part, partLen)
		partLen *= 2
	}
	return crc32Combine(crc, crc32.ChecksumIEEE(blk[:rest]), rest)
}

// crc32Combine returns the CRC-32 (IEEE) of A followed by B from crc1 =
// CRC(A), crc2 = CRC(B) and len2 = len(B): zlib's crc32_combine, which
// applies len2 zero bytes to crc1 with GF(2) matrix squaring.
func crc32Combine(crc1, crc2 uint32, len2 int64) uint32 {
	if len2 <= 0 {
		return crc1
	}
	var even, odd [32]uint32
	odd[0] = crc32.IEEE // the operator for one zero bit
	row := uint32(1)
	for n := 1; n < 32; n++ {
		odd[n] = row
		row <<= 1
	}
	gf2Square(&even, &odd) // two zero bits
	gf2Square(&odd, &even) // four zero bits
	for {
		gf2Square(&even, &odd) // first pass: one zero byte
		if len2&1 != 0 {
			crc1 = gf2Times(&even, crc1)
		}
		len2 >>= 1
		if len2 == 0 {
			break
		}
		gf2Square(&odd, &even)
		if len2&1 != 0 {
			crc1 = gf2Times(&odd, crc1)
		}
		len2 >>= 1
		if len2 == 0 {
			break
		}
	}
	return crc1 ^ crc2
}

func gf2Times(mat *[32]uint32, vec uint32) uint32 {
	var sum uint32
	for i := 0; vec != 0; i, vec = i+1, vec>>1 {
		if vec&1 != 0 {
			sum ^= mat[i]
		}
	}
	return sum
}

func gf2Square(square, mat *[32]uint32) {
	for n := range 32 {
		square[n] = gf2Times(mat, mat[n])
	}
}
