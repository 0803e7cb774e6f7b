/// The rows of an existing file as builder input (a fold): rows are copied whole and their
/// heap references rewritten to the new file's heap. Tombstones are copied as they are.
/// Source row `r` is the file's `r`-th occupied entry.
struct TableSource {
    let table: MappedTable
    /// The positions of the occupied entries.
    private let positions: [Int32]

    init(table: MappedTable) {
        self.table = table
        var positions: [Int32] = []
        positions.reserveCapacity(table.rowCount)
        for i in 0 ..< table.slotCount where table.entry(i).uint64(at: RowLayout.hashOffset) != 0 {
            positions.append(Int32(i))
        }
        self.positions = positions
    }

    var count: Int { positions.count }

    @inline(__always)
    func row(_ row: Int) -> UnsafeRawPointer { table.entry(Int(positions[row])) }

    @inline(__always)
    func timestamps(_ row: Int) -> (event: Int64, created: Int64) {
        let p = self.row(row)
        return (p.int64(at: RowLayout.eventOffset), p.int64(at: RowLayout.createdOffset))
    }

    func computeHashes(into out: UnsafeMutableBufferPointer<UInt64>) {
        for i in 0 ..< count { out[i] = KeyHash.bytes(table.keyBytes(row(i))) }
    }

    func keyBytes(_ row: Int, into buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: table.keyBytes(self.row(row)))
    }

    private func isValid(_ row: UnsafeRawPointer, _ c: Int) -> Bool {
        row.byte(at: RowLayout.validityOffset + (c >> 3)) & (UInt8(1) << UInt8(c & 7)) != 0
    }

    func regionLengths(rows: [Int32], layout: RowLayout) -> (key: Int, values: [Int]) {
        var key = 0
        var lengths = [Int](repeating: 0, count: layout.slots.count)
        for r in rows {
            let row = self.row(Int(r))
            if layout.fixedKeyWidth == nil { key += table.keyBytes(row).count }
            for (c, slot) in layout.slots.enumerated() where isValid(row, c) {
                switch slot.kind {
                case .bytes:
                    let length = Int(row.uint32(at: slot.offset))
                    if length > RowLayout.inlineBytesCapacity { lengths[c] += bytes(row, slot).count }
                case .vector(let d, false): lengths[c] += d * 4
                default: break
                }
            }
        }
        return (key, lengths)
    }

    /// An out-of-line string's heap bytes (empty when a damaged reference points outside the heap).
    private func bytes(_ row: UnsafeRawPointer, _ slot: RowLayout.Slot) -> UnsafeRawBufferPointer {
        table.heapBytes(offset: row.uint64(at: slot.offset + RowLayout.bytesHeapOffset), length: Int(row.uint32(at: slot.offset)))
    }

    /// Copies rows `rows` (hash included) to their entries, `destinations[r]` for row `r`;
    /// out-of-line values are copied to the new heap (inline ones come with the entry).
    func writeRows(_ rows: ArraySlice<Int32>, destinations: UnsafeBufferPointer<UInt32>, layout: RowLayout, output: inout OutputCursor) {
        let stride = layout.stride
        for r in rows {
            let source = row(Int(r))
            let dest = output.table + Int(destinations[Int(r)]) * stride
            dest.copyMemory(from: source, byteCount: stride)
            if layout.fixedKeyWidth == nil {
                let key = table.keyBytes(source)
                dest.store(UInt64(output.appendKey(key)), at: layout.keyOffset)
                dest.store(UInt32(key.count), at: layout.keyOffset + 8)
            }
            for (c, slot) in layout.slots.enumerated() {
                switch slot.kind {
                case .bytes:
                    guard isValid(source, c), Int(source.uint32(at: slot.offset)) > RowLayout.inlineBytesCapacity else { continue }
                    let value = bytes(source, slot)
                    if value.count <= RowLayout.inlineBytesCapacity {
                        // A damaged reference: an empty value (verify() reports it).
                        (dest + slot.offset).initializeMemory(as: UInt8.self, repeating: 0, count: RowLayout.bytesSlotWidth)
                        continue
                    }
                    dest.store(UInt64(output.append(value, column: c)), at: slot.offset + RowLayout.bytesHeapOffset)
                case .vector(let d, false):
                    guard isValid(source, c) else { dest.store(UInt64(0), at: slot.offset); continue }
                    var value = table.heapBytes(offset: source.uint64(at: slot.offset), length: d * 4)
                    if value.count != d * 4 {
                        // A damaged reference: keep the row's shape with zeros (verify() reports it).
                        value = UnsafeRawBufferPointer(start: nil, count: 0)
                    }
                    dest.store(UInt64(output.append(value, column: c, length: d * 4)), at: slot.offset)
                default:
                    break
                }
            }
        }
    }
}

/// Where the builder writes rows and heap data in the mapped output file. The heap is one
/// region per variable-width column (and one for variable keys), each 8-byte aligned, so
/// vectors stay 4-byte aligned and each column is filled by its own cursor.
struct OutputCursor {
    /// The table section: entries of `stride` bytes.
    let table: UnsafeMutableRawPointer
    let heap: UnsafeMutableRawPointer
    /// The heap offset where the next variable key goes.
    var keyCursor: Int
    /// Per value column, the heap offset where its next value goes.
    var cursors: [Int]

    /// Copies a key to the key region; returns its heap offset.
    mutating func appendKey(_ bytes: [UInt8]) -> Int {
        let at = keyCursor
        bytes.withUnsafeBytes { if let b = $0.baseAddress { (heap + at).copyMemory(from: b, byteCount: $0.count) } }
        keyCursor += bytes.count
        return at
    }

    mutating func appendKey(_ bytes: UnsafeRawBufferPointer) -> Int {
        let at = keyCursor
        if let b = bytes.baseAddress { (heap + at).copyMemory(from: b, byteCount: bytes.count) }
        keyCursor += bytes.count
        return at
    }

    /// Copies `bytes` to column `column`'s region; returns their heap offset. With `length`
    /// larger than the bytes, the rest stays zero.
    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer, column: Int, length: Int? = nil) -> Int {
        let at = cursors[column]
        if let b = bytes.baseAddress, bytes.count > 0 { (heap + at).copyMemory(from: b, byteCount: bytes.count) }
        cursors[column] = at + (length ?? bytes.count)
        return at
    }
}
