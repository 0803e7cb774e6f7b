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
        while bitCount < 12 && (total >> bitCount) > 4096 { bitCount += 1 }
        let partitionBits = bitCount
        let partitions = 1 << partitionBits

        // 1. Hash each chunk's rows; count rows per (chunk, partition).
        let hashed: [([UInt64], [Bool]?, [Int])] = (try? concurrentMap(Array(chunks.indices), threads: threads) { c in
            let (h, keep) = Self.hashes(chunks[c], ignore)
            var perPartition = [Int](repeating: 0, count: partitions)
            for k in h.indices where keep?[k] ?? true { perPartition[Self.partition(h[k], partitionBits)] += 1 }
            return (h, keep, perPartition)
        }) ?? []

        // 2. Scatter entries, each chunk into its own stretch of every partition.
        var starts = [Int](repeating: 0, count: partitions + 1)
        var offsets = [[Int]](repeating: [], count: chunks.count)
        var cursor = 0
        for p in 0 ..< partitions {
            starts[p] = cursor
            for c in chunks.indices {
                if offsets[c].isEmpty { offsets[c] = [Int](repeating: 0, count: partitions) }
                offsets[c][p] = cursor
                cursor += hashed[c].2[p]
            }
        }
        starts[partitions] = cursor
        let buffer = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: max(cursor, 1))
        defer { buffer.deallocate() }
        let shared = Partitioned(entries: buffer, starts: starts)
        let offsetsCopy = offsets
        _ = try? concurrentMap(Array(chunks.indices), threads: threads) { c in
            var next = offsetsCopy[c]
            let (h, keep, _) = hashed[c]
            let base = UInt64(bases[c])
            for k in h.indices where keep?[k] ?? true {
                let p = Self.partition(h[k], partitionBits)
                shared.entries[next[p]] = (h[k] << 32) | (base + UInt64(k))
                next[p] += 1
            }
            return 0
        }

        // 3. Group each partition; collect rows whose key occurs more than once.
        let groupCount = max(1, min(partitions, threads * 8))
        let groups = (0 ..< groupCount).map { g in (partitions * g / groupCount) ..< (partitions * (g + 1) / groupCount) }
        let found: [[Int]] = (try? concurrentMap(groups, threads: threads) { range in
            var rows: [Int] = []
            var scratch = GroupScratch()
            for p in range {
                let slice = UnsafeMutableBufferPointer(rebasing: shared.entries[shared.starts[p] ..< shared.starts[p + 1]])
                duplicates(in: slice, bases: bases, scratch: &scratch, into: &rows)
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

    private struct GroupScratch {
        var slots: [Int32] = []
        var groupOf: [Int32] = []
        var size: [Int32] = []
    }

    /// Groups one partition's entries by key; appends the key rows of groups larger than one.
    private func duplicates(in entries: UnsafeMutableBufferPointer<UInt64>, bases: [Int], scratch: inout GroupScratch,
                            into rows: inout [Int]) {
        let n = entries.count
        guard n > 1 else { return }
        var capacity = 16
        while capacity < n * 2 { capacity <<= 1 }
        let mask = capacity - 1
        if scratch.slots.count < capacity { scratch.slots = [Int32](repeating: -1, count: capacity) }
        else { for k in 0 ..< capacity { scratch.slots[k] = -1 } }
        if scratch.groupOf.count < n { scratch.groupOf = [Int32](repeating: 0, count: n); scratch.size = [Int32](repeating: 0, count: n) }
        var any = false
        scratch.slots.withUnsafeMutableBufferPointer { slots in
            scratch.groupOf.withUnsafeMutableBufferPointer { groupOf in
                scratch.size.withUnsafeMutableBufferPointer { size in
                    for j in 0 ..< n {
                        let e = entries[j]
                        let fragment = e >> 32
                        var pos = Int(truncatingIfNeeded: fragment) & mask
                        while true {
                            let s = Int(slots[pos])
                            if s < 0 {
                                slots[pos] = Int32(j)
                                groupOf[j] = Int32(j)
                                size[j] = 1
                                break
                            }
                            let other = entries[s]
                            if other >> 32 == fragment && keysEqual(Int(other & 0xFFFF_FFFF), Int(e & 0xFFFF_FFFF), bases) {
                                groupOf[j] = Int32(s)
                                size[s] += 1
                                any = true
                                break
                            }
                            pos = (pos + 1) & mask
                        }
                    }
                    if any {
                        for j in 0 ..< n where size[Int(groupOf[j])] > 1 { rows.append(Int(entries[j] & 0xFFFF_FFFF)) }
                    }
                }
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

    /// Per row of the chunk, the hash of its key, and which rows `ignore` keeps (nil: all).
    static func hashes(_ chunk: KeyChunk, _ ignore: MultiColumnIgnore) -> ([UInt64], [Bool]?) {
        let n = chunk.count
        var h = [UInt64](repeating: 0x243F_6A88_85A3_08D3, count: n)
        var presentCount: [Int]? = nil
        h.withUnsafeMutableBufferPointer { out in
            for slice in chunk.columns {
                let base = slice.range.lowerBound
                let column = slice.column
                let masked = slice.column.validity != nil || slice.column.type == .float32 || slice.column.type == .float64
                if masked && presentCount == nil { presentCount = [Int](repeating: chunk.columns.count, count: n) }
                func fold(_ k: Int, _ word: UInt64) {
                    if masked && !slice.isPresent(base + k) {
                        out[k] = Mix.combine(out[k], missingWord)
                        presentCount?[k] -= 1
                    } else {
                        out[k] = Mix.combine(out[k], word)
                    }
                }
                switch column.storage {
                case .int32(let v): for k in 0 ..< n { fold(k, UInt64(bitPattern: Int64(v[base + k]))) }
                case .int64(let v): v.withUnsafeBufferPointer { v in for k in 0 ..< n { fold(k, UInt64(bitPattern: v[base + k])) } }
                case .float32(let v): for k in 0 ..< n { fold(k, FloatKey.bits(Double(v[base + k]))) }
                case .float64(let v): for k in 0 ..< n { fold(k, FloatKey.bits(v[base + k])) }
                case .bool(let v): for k in 0 ..< n { fold(k, v[base + k] ? 1 : 0) }
                case .bytes(let offsets, let data):
                    data.withUnsafeBytes { bytes in
                        for k in 0 ..< n {
                            let i = base + k
                            fold(k, ByteWords.hash(bytes, offsets[i], offsets[i + 1] - offsets[i]))
                        }
                    }
                case .vector: break   // refused at compile time
                }
            }
            for k in 0 ..< n { out[k] = Mix.fmix(out[k]) }
        }
        guard let presentCount else { return (h, nil) }
        let columns = chunk.columns.count
        let keep: [Bool] = switch ignore {
        case .allValuesAreMissing: presentCount.map { $0 > 0 }
        case .anyValueIsMissing: presentCount.map { $0 == columns }
        case .never: [Bool](repeating: true, count: n)
        }
        return (h, keep)
    }
}
