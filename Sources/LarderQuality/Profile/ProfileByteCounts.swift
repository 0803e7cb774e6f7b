/// Counts the distinct values of one batch of a string (or binary) column without allocating
/// per row: rows are grouped by a 64-bit hash of their bytes, each group remembering the first
/// row it saw; a later row joins a group only if its bytes equal that row's, so a hash
/// collision cannot merge different values (the colliding row is counted on a slow path).
/// Only one `ProfileBytes` is made per distinct value.
enum ProfileByteCounts {
    /// The distinct values of the valid rows and their counts (in no particular order).
    ///
    /// - Parameters:
    ///   - offsets: The column's offsets (`count + 1` of them).
    ///   - data: The column's bytes.
    ///   - isValid: Whether row `i` holds a value.
    ///   - each: Called with every valid row's bytes, for per-row statistics such as lengths.
    static func count(offsets: [Int], data: [UInt8], isValid: (Int) -> Bool,
                      each: (UnsafeBufferPointer<UInt8>) -> Void = { _ in })
        -> [(key: ProfileBytes, count: Int)] {
        var groups = GroupTable()
        var collided: [ProfileBytes: Int] = [:]
        data.withUnsafeBufferPointer { bytes in
            func row(_ i: Int) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: bytes[offsets[i] ..< offsets[i + 1]])
            }
            for i in 0 ..< max(offsets.count - 1, 0) where isValid(i) {
                let value = row(i)
                each(value)
                let hash = ProfileHash.bytes(UnsafeRawBufferPointer(value))
                let slot = groups.slot(for: hash, row: i)
                if groups.slots[slot].row != i {
                    if value.elementsEqual(row(groups.slots[slot].row)) {
                        groups.slots[slot].count += 1
                    } else {
                        collided[ProfileBytes(bytes: Array(value)), default: 0] += 1
                    }
                }
            }
        }
        var out: [(key: ProfileBytes, count: Int)] = []
        out.reserveCapacity(groups.used + collided.count)
        for group in groups.slots where group.row >= 0 {
            out.append((ProfileBytes(bytes: Array(data[offsets[group.row] ..< offsets[group.row + 1]])), group.count))
        }
        // A colliding value differs from its group's row, and equal bytes hash equally, so it
        // is in no group: the two lists never share a key.
        for (key, count) in collided { out.append((key, count)) }
        return out
    }

    /// An open-addressing table (linear probing, at most half full) from a value's hash to its
    /// group: cheaper than a `Dictionary`, whose keys are hashed again.
    private struct GroupTable {
        struct Slot {
            var hash: UInt64
            var count: Int
            /// The group's first row; -1 for an empty slot.
            var row: Int
        }

        var slots = [Slot](repeating: Slot(hash: 0, count: 0, row: -1), count: 64)
        private(set) var used = 0

        /// The slot of the group for `hash`, created with `row` as its first row (count 1)
        /// when there is none.
        mutating func slot(for hash: UInt64, row: Int) -> Int {
            if 2 * (used + 1) > slots.count { grow() }
            let mask = slots.count - 1
            var index = Int(truncatingIfNeeded: hash) & mask
            while slots[index].row >= 0 {
                if slots[index].hash == hash { return index }
                index = (index + 1) & mask
            }
            slots[index] = Slot(hash: hash, count: 1, row: row)
            used += 1
            return index
        }

        private mutating func grow() {
            let old = slots
            slots = [Slot](repeating: Slot(hash: 0, count: 0, row: -1), count: old.count * 2)
            let mask = slots.count - 1
            for slot in old where slot.row >= 0 {
                var index = Int(truncatingIfNeeded: slot.hash) & mask
                while slots[index].row >= 0 { index = (index + 1) & mask }
                slots[index] = slot
            }
        }
    }
}
