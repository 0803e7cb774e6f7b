import LarderColumnar

/// Finds every row whose key (the values of one or more columns) occurs more than once —
/// GE's uniqueness counts all occurrences of a repeated value as unexpected, not just the
/// repeats.
///
/// The rows' keys are hashed in parallel per chunk and scattered by the hash's top bits into
/// partitions small enough that each one's hash table stays in cache; partitions are then
/// grouped in parallel. Two keys are the same only when their values compare equal (a hash
/// match alone never decides). Missing values (null, NaN) are a value of their own: two
/// rows missing in the same columns and equal elsewhere are duplicates, as pandas'
/// `duplicated` treats them.
struct DuplicateFinder: Sendable {
    let chunks: [KeyChunk]
    /// Rows to leave out (GE's `ignore_row_if`; for one column, rows whose value is missing).
    let ignore: MultiColumnIgnore
    let threads: Int

    /// Partitions' entries: (low 32 bits of the key hash) << 32 | key row.
    private struct Partitioned: @unchecked Sendable {
        let entries: UnsafeMutableBufferPointer<UInt64>
        let starts: [Int]
    }

    /// Rows hashed per block, so a block's hashes stay in L1 between the column passes.
    static let block = 4096

    /// The duplicated rows, numbered as the chunks' `start`s number them, ascending; nil when
    /// there are more rows than this finder can number (2^32).
    func duplicatedRows() -> [Int]? {
        let counts = chunks.map(\.count)
        let total = counts.reduce(0, +)
        guard total < Int(UInt32.max) else { return nil }
        if total == 0 { return [] }
        var baseList: [Int] = []
        var running = 0
        for c in counts { baseList.append(running); running += c }
        let bases = baseList

        var bitCount = 0
        while bitCount < 9 && (total >> bitCount) > 16_384 { bitCount += 1 }
        let partitionBits = bitCount
        let partitions = 1 << partitionBits
        let ignore = self.ignore

        // 1. Rows per (chunk, partition). Hashes are recomputed in step 2 rather than stored.
        let perChunk: [[Int]] = (try? concurrentMap(Array(chunks.indices), threads: threads) { c in
            var perPartition = [Int](repeating: 0, count: partitions)
            perPartition.withUnsafeMutableBufferPointer { counts in
                Self.eachHashBlock(chunks[c], ignore) { _, h, keep in
                    if let keep {
                        for k in h.indices where keep[k] { counts[Self.partition(h[k], partitionBits)] += 1 }
                    } else {
                        for k in h.indices { counts[Self.partition(h[k], partitionBits)] += 1 }
                    }
                }
            }
            return perPartition
        }) ?? []

        // 2. Scatter entries, each chunk into its own stretch of every partition.
        var starts = [Int](repeating: 0, count: partitions + 1)
        var offsets = [[Int]](repeating: [Int](repeating: 0, count: partitions), count: chunks.count)
        var cursor = 0
        for p in 0 ..< partitions {
            starts[p] = cursor
            for c in chunks.indices {
                offsets[c][p] = cursor
                cursor += perChunk[c][p]
            }
        }
        starts[partitions] = cursor
        let buffer = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: max(cursor, 1))
        defer { buffer.deallocate() }
        let shared = Partitioned(entries: buffer, starts: starts)
        let offsetsCopy = offsets
        _ = try? concurrentMap(Array(chunks.indices), threads: threads) { c in
            var next = offsetsCopy[c]
            let base = UInt64(bases[c])
            next.withUnsafeMutableBufferPointer { next in
                Self.eachHashBlock(chunks[c], ignore) { start, h, keep in
                    for k in h.indices where keep?[k] ?? true {
                        let p = Self.partition(h[k], partitionBits)
                        shared.entries[next[p]] = (h[k] << 32) | (base + UInt64(start + k))
                        next[p] += 1
                    }
                }
            }
            return 0
        }

        // 3. Group each partition; collect rows whose key occurs more than once.
        let groupCount = max(1, min(partitions, threads * 8))
        let groups = (0 ..< groupCount).map { g in (partitions * g / groupCount) ..< (partitions * (g + 1) / groupCount) }
        let found: [[Int]] = (try? concurrentMap(groups, threads: threads) { range in
            var rows: [Int] = []
            var slots: [UInt64] = []
            for p in range {
                let slice = UnsafeMutableBufferPointer(rebasing: shared.entries[shared.starts[p] ..< shared.starts[p + 1]])
                duplicates(in: slice, bases: bases, slots: &slots, into: &rows)
            }
            return rows
        }) ?? []

        var result = found.flatMap { $0 }.map { globalRow($0, bases) }
        result.sort()
        return result
    }

    @inline(__always)
    private static func partition(_ h: UInt64, _ bits: Int) -> Int {
        bits == 0 ? 0 : Int(truncatingIfNeeded: h >> UInt64(64 - bits))
    }

    /// A key row's position among all rows (the chunk's start plus the offset in it).
    private func globalRow(_ keyRow: Int, _ bases: [Int]) -> Int {
        var lo = 0, hi = bases.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if bases[mid] <= keyRow { lo = mid } else { hi = mid - 1 }
        }
        return chunks[lo].start + (keyRow - bases[lo])
    }

    /// Groups one partition's entries by key; appends the key rows of keys seen more than once.
    ///
    /// A slot holds an entry's hash fragment and position, so a lookup touches one slot; keys
    /// are compared only when fragments agree. Keys are mostly unique, so which rows repeat is
    /// worked out (in a second look-up per entry) only for partitions that have a repeat.
    private func duplicates(in entries: UnsafeMutableBufferPointer<UInt64>, bases: [Int], slots storage: inout [UInt64],
                            into rows: inout [Int]) {
        let n = entries.count
        guard n > 1 else { return }
        var capacity = 16
        while capacity < n * 2 { capacity <<= 1 }
        let mask = capacity - 1
        if storage.count < capacity { storage = [UInt64](repeating: 0, count: capacity) }
        var repeated: [Int32: Int32] = [:]   // first entry of a key -> occurrences, for keys seen twice or more
        storage.withUnsafeMutableBufferPointer { slots in
            for k in 0 ..< capacity { slots[k] = 0 }
            /// The slot of `j`'s key: the slot holding the first entry with that key.
            @inline(__always) func find(_ j: Int, insert: Bool) -> Int? {
                let e = entries[j]
                let fragment = e >> 32
                var pos = Int(truncatingIfNeeded: fragment) & mask
                while true {
                    let s = slots[pos]
                    if s == 0 {
                        if insert { slots[pos] = (fragment << 32) | UInt64(j + 1) }
                        return nil
                    }
                    let other = Int(s & 0xFFFF_FFFF) - 1
                    if s >> 32 == fragment && (other == j || keysEqual(Int(entries[other] & 0xFFFF_FFFF), Int(e & 0xFFFF_FFFF), bases)) {
                        return other
                    }
                    pos = (pos + 1) & mask
                }
            }
            for j in 0 ..< n {
                if let first = find(j, insert: true) { repeated[Int32(first), default: 1] += 1 }
            }
            guard !repeated.isEmpty else { return }
            for j in 0 ..< n {
                if let first = find(j, insert: false), repeated[Int32(first)] != nil { rows.append(Int(entries[j] & 0xFFFF_FFFF)) }
            }
        }
    }

    /// (chunk, row in the chunk's column) of a key row.
    @inline(__always)
    private func locate(_ keyRow: Int, _ bases: [Int]) -> (Int, Int) {
        var lo = 0, hi = bases.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if bases[mid] <= keyRow { lo = mid } else { hi = mid - 1 }
        }
        return (lo, chunks[lo].columns.first.map { $0.range.lowerBound } .map { $0 + keyRow - bases[lo] } ?? 0)
    }

    private func keysEqual(_ a: Int, _ b: Int, _ bases: [Int]) -> Bool {
        let (ca, ia) = locate(a, bases), (cb, ib) = locate(b, bases)
        for (x, y) in zip(chunks[ca].columns, chunks[cb].columns) {
            let pa = x.isPresent(ia), pb = y.isPresent(ib)
            if pa != pb { return false }
            if !pa { continue }
            if !Self.valuesEqual(x.column, ia, y.column, ib) { return false }
        }
        return true
    }

    private static func valuesEqual(_ a: Column, _ i: Int, _ b: Column, _ j: Int) -> Bool {
        switch (a.storage, b.storage) {
        case (.int32(let x), .int32(let y)): x[i] == y[j]
        case (.int64(let x), .int64(let y)): x[i] == y[j]
        case (.float32(let x), .float32(let y)): x[i] == y[j]
        case (.float64(let x), .float64(let y)): x[i] == y[j]
        case (.bool(let x), .bool(let y)): x[i] == y[j]
        case (.bytes(let ox, let dx), .bytes(let oy, let dy)): dx[ox[i] ..< ox[i + 1]].elementsEqual(dy[oy[j] ..< oy[j + 1]])
        default: false
        }
    }
}

extension DuplicateFinder {
    private static let missingWord: UInt64 = 0x6D69_7373_696E_6721   // "missing!"

    /// Folds one column's word into a row's running hash (one multiply; the final `fmix`
    /// spreads the bits).
    @inline(__always)
    private static func step(_ h: UInt64, _ w: UInt64) -> UInt64 {
        let x = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
        return x ^ (x >> 29)
    }

    /// A chunk of key columns with its rows' hashes (computed while the scan has the columns
    /// in cache).
    static func hashedChunk(_ columns: [ColumnSlice], _ ignore: MultiColumnIgnore) -> KeyChunk {
        var chunk = KeyChunk(start: 0, columns: columns)
        var hashes = [UInt64]()
        var keep = [Bool]()
        var masked = false
        hashes.reserveCapacity(chunk.count)
        // Every block of a chunk reports a keep mask, or none does.
        hashBlocks(chunk, ignore) { _, h, k in
            hashes.append(contentsOf: h)
            if let k { masked = true; keep.append(contentsOf: k) }
        }
        chunk.hashes = hashes
        chunk.keep = masked ? keep : nil
        return chunk
    }

    /// Like ``hashBlocks(_:_:_:)``, from the chunk's recorded hashes when it has them.
    static func eachHashBlock(_ chunk: KeyChunk, _ ignore: MultiColumnIgnore,
                              _ body: (Int, UnsafeBufferPointer<UInt64>, UnsafeBufferPointer<Bool>?) -> Void) {
        guard let hashes = chunk.hashes, hashes.count == chunk.count else { return hashBlocks(chunk, ignore, body) }
        hashes.withUnsafeBufferPointer { h in
            if let keep = chunk.keep {
                keep.withUnsafeBufferPointer { body(0, h, $0) }
            } else {
                body(0, h, nil)
            }
        }
    }

    /// Calls `body` for each block of the chunk's rows with the block's first row (within the
    /// chunk), its rows' key hashes, and which of them `ignore` keeps (nil: all).
    static func hashBlocks(_ chunk: KeyChunk, _ ignore: MultiColumnIgnore,
                           _ body: (Int, UnsafeBufferPointer<UInt64>, UnsafeBufferPointer<Bool>?) -> Void) {
        let n = chunk.count
        let masked = chunk.columns.contains { $0.column.validity != nil || $0.column.type == .float32 || $0.column.type == .float64 }
        var hashes = [UInt64](repeating: 0, count: min(n, block))
        var present = [Int](repeating: 0, count: masked ? min(n, block) : 0)
        var keep = [Bool](repeating: true, count: masked ? min(n, block) : 0)
        let columns = chunk.columns.count
        var start = 0
        while start < n {
            let count = min(block, n - start)
            hashes.withUnsafeMutableBufferPointer { h in
                present.withUnsafeMutableBufferPointer { present in
                    for k in 0 ..< count { h[k] = 0x243F_6A88_85A3_08D3 }
                    if masked { for k in 0 ..< count { present[k] = columns } }
                    for slice in chunk.columns {
                        fold(slice, from: slice.range.lowerBound + start, count: count, into: h, present: masked ? present : nil)
                    }
                    for k in 0 ..< count { h[k] = Mix.fmix(h[k]) }
                }
            }
            if masked {
                for k in 0 ..< count {
                    keep[k] = switch ignore {
                    case .allValuesAreMissing: present[k] > 0
                    case .anyValueIsMissing: present[k] == columns
                    case .never: true
                    }
                }
            }
            hashes.withUnsafeBufferPointer { h in
                let hb = UnsafeBufferPointer(rebasing: h[0 ..< count])
                if masked {
                    keep.withUnsafeBufferPointer { kb in body(start, hb, UnsafeBufferPointer(rebasing: kb[0 ..< count])) }
                } else {
                    body(start, hb, nil)
                }
            }
            start += count
        }
    }

    /// Folds one column's values of rows `from ..< from + count` into their hashes; missing
    /// values fold a fixed word and are subtracted from `present`.
    private static func fold(_ slice: ColumnSlice, from: Int, count: Int, into h: UnsafeMutableBufferPointer<UInt64>,
                             present: UnsafeMutableBufferPointer<Int>?) {
        let column = slice.column
        let masked = column.validity != nil || column.type == .float32 || column.type == .float64
        @inline(__always) func add(_ k: Int, _ word: UInt64) {
            if masked && !slice.isPresent(from + k) {
                h[k] = step(h[k], missingWord)
                present?[k] -= 1
            } else {
                h[k] = step(h[k], word)
            }
        }
        switch column.storage {
        case .int64(let v) where !masked:
            v.withUnsafeBufferPointer { v in for k in 0 ..< count { h[k] = step(h[k], UInt64(bitPattern: v[from + k])) } }
        case .int32(let v) where !masked:
            v.withUnsafeBufferPointer { v in for k in 0 ..< count { h[k] = step(h[k], UInt64(bitPattern: Int64(v[from + k]))) } }
        case .int32(let v): v.withUnsafeBufferPointer { v in for k in 0 ..< count { add(k, UInt64(bitPattern: Int64(v[from + k]))) } }
        case .int64(let v): v.withUnsafeBufferPointer { v in for k in 0 ..< count { add(k, UInt64(bitPattern: v[from + k])) } }
        case .float32(let v): v.withUnsafeBufferPointer { v in for k in 0 ..< count { add(k, FloatKey.bits(Double(v[from + k]))) } }
        case .float64(let v): v.withUnsafeBufferPointer { v in for k in 0 ..< count { add(k, FloatKey.bits(v[from + k])) } }
        case .bool(let v): v.withUnsafeBufferPointer { v in for k in 0 ..< count { add(k, v[from + k] ? 1 : 0) } }
        case .bytes(let offsets, let data):
            offsets.withUnsafeBufferPointer { off in
                data.withUnsafeBytes { bytes in
                    for k in 0 ..< count {
                        let i = from + k
                        add(k, ByteWords.hash(bytes, off[i], off[i + 1] - off[i]))
                    }
                }
            }
        case .vector: break   // refused at compile time
        }
    }
}
