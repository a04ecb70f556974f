package symbols

// DefaultBatchSize is how many entries go in one POST unless told
// otherwise.
const DefaultBatchSize = 100

// NewBatches splits entries into bodies of at most size entries each (size
// <= 0 means DefaultBatchSize), in order, each with the same create
// behavior ("" leaves it out). No entries give no batches.
func NewBatches(behavior string, entries []DebugEntry, size int) []DebugEntryCreateBatch {
	if size <= 0 {
		size = DefaultBatchSize
	}
	var out []DebugEntryCreateBatch
	for len(entries) > 0 {
		n := min(size, len(entries))
		out = append(out, DebugEntryCreateBatch{CreateBehavior: behavior, DebugEntries: entries[:n:n]})
		entries = entries[n:]
	}
	return out
}
