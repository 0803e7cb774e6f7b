// The most-significant-key-first driver of `RecordBatch.sortIndices(by:)` (see Sort.swift for
// the order of each type).

/// Sorts a permutation by several keys, first key first: a run of rows is sorted by one key,
/// then each stretch of rows that tie on that key is sorted by the next one.
///
/// Work buffers are allocated once for the whole sort and addressed by the same positions as
/// the permutation, so sorting the tie stretch at positions `a..<b` only touches `a..<b` of
/// each buffer: the enclosing call can keep reading its own sorted keys past `b`.
struct MultiKeySorter {
    let keys: [(column: Column, key: SortKey)]
    /// Scratch for the stable null partition.
    let permScratch: UnsafeMutableBufferPointer<Int>
    /// Rows with their order keys, and the radix sort's second buffer.
    let items: UnsafeMutableBufferPointer<RadixItem>
    let itemScratch: UnsafeMutableBufferPointer<RadixItem>
    /// The radix sort's digit counts (one histogram per pass).
    let counts: UnsafeMutableBufferPointer<Int>

    init(keys: [(column: Column, key: SortKey)], capacity: Int) {
        self.keys = keys
        permScratch = .allocate(capacity: capacity)
        items = .allocate(capacity: capacity)
        itemScratch = .allocate(capacity: capacity)
        counts = .allocate(capacity: radixCountsCapacity)
    }

    func deallocate() {
        permScratch.deallocate()
        items.deallocate()
        itemScratch.deallocate()
        counts.deallocate()
    }

    /// Stably sorts the rows at positions `range` of `perm` by `keys[level...]`.
    func sort(_ perm: UnsafeMutableBufferPointer<Int>, _ range: Range<Int>, level: Int) {
        guard range.count > 1, level < keys.count else { return }
        let (column, key) = keys[level]
        let local = partitionNulls(UnsafeMutableBufferPointer(rebasing: perm[range]), column, nullsFirst: key.nullsFirst,
                                   scratch: UnsafeMutableBufferPointer(rebasing: permScratch[range]))
        let valid = range.lowerBound + local.lowerBound ..< range.lowerBound + local.upperBound
        // The null rows tie on this key: the next key orders them.
        sort(perm, range.lowerBound ..< valid.lowerBound, level: level + 1)
        sort(perm, valid.upperBound ..< range.upperBound, level: level + 1)
        guard valid.count > 1 else { return }
        var segment = UnsafeMutableBufferPointer(rebasing: perm[valid])
        let segmentItems = UnsafeMutableBufferPointer(rebasing: items[valid])
        if fillOrderKeys(column, ascending: key.ascending, perm: UnsafeBufferPointer(segment), segmentItems) {
            let sorted = radixSort(segmentItems, scratch: UnsafeMutableBufferPointer(rebasing: itemScratch[valid]), counts: counts)
            for k in segment.indices { segment[k] = sorted[k].row }
            guard level + 1 < keys.count else { return }
            // `sorted` lives in `items` or `itemScratch` at the positions of `valid`; sorting a
            // tie stretch rewrites only that stretch's positions, after it has been read.
            var start = 0
            while start < sorted.count {
                let value = sorted[start].key
                var end = start + 1
                while end < sorted.count && sorted[end].key == value { end += 1 }
                if end - start > 1 { sort(perm, valid.lowerBound + start ..< valid.lowerBound + end, level: level + 1) }
                start = end
            }
        } else {
            let sign = key.ascending ? 1 : -1
            segment.sort { column.compareValues($0, $1) * sign < 0 }
            guard level + 1 < keys.count else { return }
            var start = 0
            while start < segment.count {
                var end = start + 1
                while end < segment.count && column.compareValues(segment[start], segment[end]) == 0 { end += 1 }
                if end - start > 1 { sort(perm, valid.lowerBound + start ..< valid.lowerBound + end, level: level + 1) }
                start = end
            }
        }
    }
}
