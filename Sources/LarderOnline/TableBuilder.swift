import Dispatch
/// Builds one data file from record batches (a base or an overlay) or from existing files (a
/// fold), in a few sequential passes and without per-row allocation:
///
/// 1. hash every input key (one pass per source);
/// 2. sort (hash, entry) pairs: LSD radix passes on the top bits, then an insertion pass that
///    only fixes the few pairs sharing those bits;
/// 3. walk runs of equal hashes and keep, per distinct key, the newest row by
///    (event_ts, created_ts), the later input winning ties; for an overlay, also drop rows
///    older than the row the current state holds for the key;
/// 4. place the survivors in hash order: each at its home entry or just after the previous
///    one (the sorted, wrap-free form of Robin Hood hashing), then copy rows, in input order,
///    to their entries.
struct TableBuilder {
    enum Source {
        case batch(BatchSource)
        case table(TableSource)

        var count: Int {
            switch self {
            case .batch(let b): b.count
            case .table(let t): t.count
            }
        }

        func timestamps(_ row: Int) -> (event: Int64, created: Int64) {
            switch self {
            case .batch(let b): b.timestamps(row)
            case .table(let t): t.timestamps(row)
            }
        }

        func keyBytes(_ row: Int, into buffer: inout [UInt8]) {
            switch self {
            case .batch(let b): b.keyBytes(row, into: &buffer)
            case .table(let t): t.keyBytes(row, into: &buffer)
            }
        }

        func isTombstone(_ row: Int) -> Bool {
            switch self {
            case .batch(let b): b.isDeletion
            case .table(let t): MappedTable.isTombstone(t.row(row))
            }
        }
    }

    /// What the file holds, for the header.
    struct Description {
        var kind: FileHeader.Kind
        var generation: UInt64
        var tableVersion: Int64
    }

    let schema: OnlineSchema
    let layout: RowLayout
    private(set) var sources: [Source] = []
    /// Whether the later source wins for a key whatever the timestamps (a fold, whose sources
    /// are the state's files oldest first: the newest file holding a key decides, as for
    /// lookups, which matters once an overlay replaced a row with an older one).
    var laterSourceWins = false

    init(schema: OnlineSchema) {
        self.schema = schema
        layout = RowLayout(schema: schema)
    }

    mutating func add(_ source: Source) { sources.append(source) }

    /// The number of input rows.
    var inputCount: Int { sources.reduce(0) { $0 + $1.count } }

    /// Writes the file under a temporary name in `directory` and syncs it.
    ///
    /// - Parameter existing: For an overlay, the current state: rows older than the state's
    ///   row for the same key are left out.
    /// - Returns: The synced temporary file and its header; the caller renames it into place.
    func write(_ description: Description, existing: OnlineStore.State?, directory: String,
               name: String) throws -> (file: OutputFile, header: FileHeader) {
        let n = inputCount
        guard n < Int(UInt32.max) else {
            throw OnlineStoreError(.invalidArgument, "\(n) rows are more than one online file holds (\(UInt32.max - 1))", path: directory)
        }
        var starts: [Int] = []
        var hashes = [UInt64](repeating: 0, count: n)
        hashes.withUnsafeMutableBufferPointer { out in
            var start = 0
            for source in sources {
                starts.append(start)
                let slice = UnsafeMutableBufferPointer(rebasing: out[start ..< start + source.count])
                switch source {
                case .batch(let b): b.computeHashes(into: slice)
                case .table(let t): t.computeHashes(into: slice)
                }
                start += source.count
            }
        }
        let items = HashSort.sorted(hashes)
        var alive = [Bool](repeating: true, count: n)
        keepNewest(items, starts: starts, alive: &alive)
        if let existing { dropOlderThan(existing, hashes: hashes, starts: starts, alive: &alive) }

        // Surviving rows per source.
        var aliveRows: [[Int32]] = []
        var survivors = 0
        var tombstones = 0
        for (s, source) in sources.enumerated() {
            var rows: [Int32] = []
            rows.reserveCapacity(source.count)
            for r in 0 ..< source.count where alive[starts[s] + r] {
                rows.append(Int32(r))
                if source.isTombstone(r) { tombstones += 1 }
            }
            survivors += rows.count
            aliveRows.append(rows)
        }

        // Entry positions: the sorted survivors, each at max(home, previous + 1).
        let capacity = UInt64(survivors + survivors / 3 + 1)
        var positions = [UInt32](repeating: 0, count: n)
        var last = -1
        for item in items where alive[Int(item.entry)] {
            last = max(MappedTable.home(item.hash, capacity: capacity), last + 1)
            positions[Int(item.entry)] = UInt32(last)
        }
        let slotCount = max(Int(capacity), last + 1) + 1
        guard slotCount < Int(UInt32.max) else {
            throw OnlineStoreError(.invalidArgument, "\(survivors) rows are more than one online file holds", path: directory)
        }

        // Heap regions: the variable key, then each variable value column.
        var keyRegion = 0
        var valueRegions = [Int](repeating: 0, count: layout.slots.count)
        for (s, source) in sources.enumerated() {
            let lengths: (key: Int, values: [Int])
            switch source {
            case .batch(let b): lengths = b.regionLengths(rows: aliveRows[s], allRows: aliveRows[s].count == b.count, layout: layout)
            case .table(let t): lengths = t.regionLengths(rows: aliveRows[s], layout: layout)
            }
            keyRegion += lengths.key
            for c in valueRegions.indices { valueRegions[c] += lengths.values[c] }
        }
        var cursors = [Int](repeating: 0, count: layout.slots.count)
        var heapLength = align(keyRegion, 8)
        for c in valueRegions.indices where valueRegions[c] > 0 {
            cursors[c] = heapLength
            heapLength = align(heapLength + valueRegions[c], 8)
        }

        let schemaBytes = schema.encoded()
        var header = FileHeader(
            kind: description.kind, rowStride: UInt32(layout.stride), schemaHash: XXHash64.hash(schemaBytes),
            tableVersion: description.tableVersion, generation: description.generation,
            rowCount: UInt64(survivors), tombstoneCount: UInt64(tombstones), capacity: capacity,
            slotCount: UInt64(slotCount), fileSize: 0)
        header.schema = .init(offset: UInt64(FileHeader.size), length: UInt64(schemaBytes.count))
        header.table = .init(offset: UInt64(align(FileHeader.size + schemaBytes.count, FileHeader.sectionAlignment)),
                             length: UInt64(slotCount * layout.stride))
        header.heap = .init(offset: UInt64(align(Int(header.table.offset + header.table.length), FileHeader.sectionAlignment)),
                            length: UInt64(heapLength))
        header.fileSize = header.heap.offset + header.heap.length

        let file = try OutputFile(directory: directory, name: name, size: Int(header.fileSize))
        do {
            let base = file.base
            schemaBytes.withUnsafeBytes { b in
                if let p = b.baseAddress { (base + Int(header.schema.offset)).copyMemory(from: p, byteCount: b.count) }
            }
            let table = base + Int(header.table.offset)
            // A batch row's hash is written with the row; a table row's entry already holds it.
            var cursor = OutputCursor(table: table, heap: base + Int(header.heap.offset), keyCursor: 0, cursors: cursors)
            // Without heap values every row writes only its own entry, so the rows can be
            // written by several threads at once; heap values are appended in row order.
            let usesHeap = keyRegion > 0 || valueRegions.contains { $0 > 0 }
            try positions.withUnsafeBufferPointer { all in
                try hashes.withUnsafeBufferPointer { allHashes in
                for (s, source) in sources.enumerated() {
                    let destinations = UnsafeBufferPointer(rebasing: all[starts[s] ..< starts[s] + source.count])
                    let sourceHashes = UnsafeBufferPointer(rebasing: allHashes[starts[s] ..< starts[s] + source.count])
                    if !usesHeap {
                        Self.writeRowsInParallel(source, rows: aliveRows[s], destinations: destinations, hashes: sourceHashes,
                                                 layout: layout, output: cursor)
                        continue
                    }
                    switch source {
                    case .batch(let b):
                        b.writeRows(aliveRows[s][...], destinations: destinations, hashes: sourceHashes, layout: layout, output: &cursor)
                    case .table(let t): t.writeRows(aliveRows[s][...], destinations: destinations, layout: layout, output: &cursor)
                    }
                }
                // The heap was sized from the same rows; a mismatch is a bug in this file.
                let planned = valueRegions.indices.map { valueRegions[$0] > 0 ? cursors[$0] + valueRegions[$0] : 0 }
                let written = cursor.cursors.indices.map { valueRegions[$0] > 0 ? cursor.cursors[$0] : 0 }
                guard cursor.keyCursor == keyRegion, written == planned else {
                    throw OnlineStoreError(.io, "internal error: the heap written differs from the heap planned", path: directory)
                }
                }
            }
            // The disk writes the rows while the checksums read them.
            file.startWriteback(Int(header.table.offset) ..< Int(header.fileSize))
            header.schema.checksum = header.schemaHash
            header.table.checksum = XXHash64.hash(UnsafeRawPointer(table), count: Int(header.table.length))
            header.heap.checksum = XXHash64.hash(UnsafeRawPointer(cursor.heap), count: Int(header.heap.length))
            header.write(to: base)
            try file.finish()
        } catch {
            file.discard()
            throw error
        }
        return (file, header)
    }

    /// Writes `rows` of `source` to their entries, split into one contiguous part per core.
    /// Only for rows that append nothing to the heap: the parts share `output` unchanged.
    private static func writeRowsInParallel(_ source: Source, rows: [Int32], destinations: UnsafeBufferPointer<UInt32>,
                                            hashes: UnsafeBufferPointer<UInt64>, layout: RowLayout, output: OutputCursor) {
        let parts = rows.count < 1 << 16 ? 1 : max(1, min(Posix.coreCount, 8))
        let work = UncheckedSendable((source, rows, destinations, hashes, layout, output))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let (source, rows, destinations, hashes, layout, shared) = work.value
            let lower = rows.count * part / parts, upper = rows.count * (part + 1) / parts
            var cursor = shared
            let slice = rows[lower ..< upper]
            switch source {
            case .batch(let b): b.writeRows(slice, destinations: destinations, hashes: hashes, layout: layout, output: &cursor)
            case .table(let t): t.writeRows(slice, destinations: destinations, layout: layout, output: &cursor)
            }
        }
    }

    /// Marks all but the newest row of each key dead. Entries with equal hashes are adjacent
    /// in `items` and in input order, so a later entry wins a tie.
    private func keepNewest(_ items: [HashSort.Item], starts: [Int], alive: inout [Bool]) {
        var i = 0
        var key: [UInt8] = []
        var winners: [Int] = []
        var winnerKeys: [[UInt8]] = []
        while i < items.count {
            var j = i + 1
            while j < items.count && items[j].hash == items[i].hash { j += 1 }
            if j - i > 1 {
                winners.removeAll(keepingCapacity: true)
                winnerKeys.removeAll(keepingCapacity: true)
                for k in i ..< j {
                    let entry = Int(items[k].entry)
                    keyBytes(entry, starts: starts, into: &key)
                    if let w = winnerKeys.firstIndex(of: key) {
                        if laterSourceWins || timestamps(entry, starts: starts) >= timestamps(winners[w], starts: starts) {
                            alive[winners[w]] = false
                            winners[w] = entry
                        } else {
                            alive[entry] = false
                        }
                    } else {
                        winners.append(entry)
                        winnerKeys.append(key)
                    }
                }
            }
            i = j
        }
    }

    /// Marks dead every surviving row that is older than `state`'s row for its key, except
    /// rows of replacing sources.
    private func dropOlderThan(_ state: OnlineStore.State, hashes: [UInt64], starts: [Int], alive: inout [Bool]) {
        var key: [UInt8] = []
        for e in alive.indices where alive[e] {
            if case .batch(let b) = locate(e, starts: starts).source, b.replaces { continue }
            keyBytes(e, starts: starts, into: &key)
            let existing = key.withUnsafeBytes { bytes -> (Int64, Int64)? in
                for table in state.layers {
                    if let row = table.findRow(hash: hashes[e], key: bytes) {
                        return (row.int64(at: RowLayout.eventOffset), row.int64(at: RowLayout.createdOffset))
                    }
                }
                return nil
            }
            if let existing, existing > timestamps(e, starts: starts) { alive[e] = false }
        }
    }

    private func locate(_ entry: Int, starts: [Int]) -> (source: Source, row: Int) {
        // The last source starting at or before `entry` (empty sources start where the next does).
        var low = 0, high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= entry { low = middle } else { high = middle - 1 }
        }
        return (sources[low], entry - starts[low])
    }

    private func keyBytes(_ entry: Int, starts: [Int], into buffer: inout [UInt8]) {
        let (source, row) = locate(entry, starts: starts)
        source.keyBytes(row, into: &buffer)
    }

    private func timestamps(_ entry: Int, starts: [Int]) -> (Int64, Int64) {
        let (source, row) = locate(entry, starts: starts)
        return source.timestamps(row)
    }
}

@inline(__always)
func align(_ value: Int, _ alignment: Int) -> Int { (value + alignment - 1) & ~(alignment - 1) }
