package demo

import "encoding/binary"

// symbolFile is the file the demo keys with `symbols keys`.
const symbolFile = "symbols/demo.exe"

// tinyPE is the smallest image `symbols keys` accepts: a DOS header
// pointing at "PE\0\0", a COFF header for x64 with no sections and a PE32+
// optional header with 16 empty data directories. Its client key is
// demo.exe/557A1D8Ee000/demo.exe (TimeDateStamp 557A1D8E, SizeOfImage
// e000), the layout of internal/symkey's test generator.
func tinyPE() []byte {
	const optSize = 240
	b := make([]byte, 0x40)
	b[0], b[1] = 'M', 'Z'
	binary.LittleEndian.PutUint32(b[0x3c:], 0x40)
	b = append(b, "PE\x00\x00"...)
	b = binary.LittleEndian.AppendUint16(b, 0x8664) // machine: x64
	b = binary.LittleEndian.AppendUint16(b, 0)      // no sections
	b = binary.LittleEndian.AppendUint32(b, 0x557a1d8e)
	b = binary.LittleEndian.AppendUint32(b, 0) // symbol table
	b = binary.LittleEndian.AppendUint32(b, 0) // symbols
	b = binary.LittleEndian.AppendUint16(b, optSize)
	b = binary.LittleEndian.AppendUint16(b, 0x22) // executable, large-address aware
	opt := make([]byte, optSize)
	binary.LittleEndian.PutUint16(opt, 0x20b) // PE32+
	binary.LittleEndian.PutUint32(opt[56:], 0xe000)
	binary.LittleEndian.PutUint32(opt[108:], 16) // NumberOfRvaAndSizes
	return append(b, opt...)
}
