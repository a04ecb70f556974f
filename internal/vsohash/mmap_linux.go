package vsohash

import "syscall"

// mapPopulate maps all of a block's pages at once rather than faulting them
// in one by one.
const mapPopulate = syscall.MAP_POPULATE
