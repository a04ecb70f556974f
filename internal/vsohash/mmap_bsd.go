//go:build darwin || freebsd || netbsd || openbsd

package vsohash

const mapPopulate = 0
