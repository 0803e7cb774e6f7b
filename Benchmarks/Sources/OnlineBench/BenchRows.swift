import LarderColumnar
import LarderOnline

/// The rows every store gets: entity `i` (key `i`, 0 ..< N) at generation `g` (0 for the full
/// build, 1, 2, … for the incremental overlays), each value a pure function of (i, g), so any
/// lookup's expected result can be recomputed without keeping the rows.
///
/// Per row: `entity_id` int64 key; `clicks_7d`, `orders_30d`, `last_item_id` int64;
/// `spend_30d`, `ctr_7d`, `score` float64; `is_member` bool; `segment` string of 10–14 ASCII
/// bytes (12 on average); `embedding` 16 float32; `event_ts`, `created_ts` timestamp[µs].
/// No nulls. Batches hold consecutive keys in increasing order, as an offline table sorted
/// by entity key hands them to materialization.
enum BenchRows {
    static let dimension = 16
    static let batchRows = 1 << 20

    static let valueFields: [Field] = [
        Field("clicks_7d", .int64), Field("orders_30d", .int64), Field("last_item_id", .int64),
        Field("spend_30d", .float64), Field("ctr_7d", .float64), Field("score", .float64),
        Field("is_member", .bool), Field("segment", .string),
        Field("embedding", .vector(dimension: dimension)),
    ]

    static func onlineSchema() throws -> OnlineSchema {
        try OnlineSchema(keys: [Field("entity_id", .int64)], values: valueFields)
    }

    /// The value columns' positions in ``OnlineSchema/values``.
    enum Column: Int { case clicks = 0, orders, lastItem, spend, ctr, score, member, segment, embedding }

    // MARK: - Values

    @inline(__always)
    static func mix(_ i: Int64, _ g: Int) -> UInt64 {
        var z = UInt64(bitPattern: i) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(g) &* 0xD1B5_4A32_D192_ED03 &+ 0x2545_F491_4F6C_DD1D
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static let epoch2025: Int64 = 1_735_689_600_000_000

    @inline(__always) static func eventTs(_ i: Int64, _ g: Int) -> Int64 {
        epoch2025 &+ Int64(g) &* 86_400_000_000 &+ (i % 86_400) &* 1_000_000
    }
    @inline(__always) static func createdTs(_ i: Int64, _ g: Int) -> Int64 { eventTs(i, g) &+ 3_600_000_000 }
    @inline(__always) static func clicks(_ h: UInt64) -> Int64 { Int64(h & 0xFFFF) }
    @inline(__always) static func orders(_ h: UInt64) -> Int64 { Int64((h >> 16) & 0x3FF) }
    @inline(__always) static func lastItem(_ h: UInt64) -> Int64 { Int64(h >> 34) }
    @inline(__always) static func spend(_ h: UInt64) -> Double { Double(h & 0xFF_FFFF) / 64 }
    @inline(__always) static func ctr(_ h: UInt64) -> Double { Double((h >> 24) & 0xFFFF) / 65536 }
    @inline(__always) static func score(_ h: UInt64) -> Double { Double(h >> 11) * 0x1p-53 }
    @inline(__always) static func member(_ h: UInt64) -> Bool { (h >> 40) & 3 == 0 }
    @inline(__always) static func segmentLength(_ h: UInt64) -> Int { 10 + Int((h >> 42) % 5) }
    /// Byte `k` of the segment string: "seg-" then lowercase hex digits of the hash.
    @inline(__always) static func segmentByte(_ h: UInt64, _ k: Int) -> UInt8 {
        if k < 4 { return UInt8(truncatingIfNeeded: UInt32(0x2D67_6573) >> UInt32(8 * k)) }   // "seg-"
        let nibble = UInt8((h >> (4 * UInt64(k - 4))) & 0xF)
        return nibble < 10 ? 48 + nibble : 87 + nibble
    }
    @inline(__always) static func embedding(_ h: UInt64, _ k: Int) -> Float {
        Float(Int((h >> UInt64(4 * k)) & 0xFF) - 128) / 64
    }

    /// What a lookup adds to its checksum for a row: `clicks_7d` + the bits of `spend_30d` +
    /// the segment's last byte + the bits of `embedding[0]` + event time, wrapping. It reads
    /// the row's fixed part, its string and its vector, wherever a store keeps them.
    @inline(__always)
    static func touch(clicks: Int64, spend: Double, segmentLast: UInt8, embedding0: Float, eventTs: Int64) -> Int64 {
        clicks &+ Int64(bitPattern: spend.bitPattern) &+ Int64(segmentLast)
            &+ Int64(embedding0.bitPattern) &+ eventTs
    }

    /// The checksum contribution of entity `i` at generation `g`.
    static func expectedTouch(_ i: Int64, _ g: Int) -> Int64 {
        let h = mix(i, g)
        return touch(clicks: clicks(h), spend: spend(h), segmentLast: segmentByte(h, segmentLength(h) - 1),
                     embedding0: embedding(h, 0), eventTs: eventTs(i, g))
    }

    // MARK: - Batches

    /// The rows of `keys` (increasing) at generation `generation` of each, as one batch.
    static func batch(keys: [Int64], generation g: Int) throws -> RecordBatch {
        let n = keys.count
        var clicksColumn = [Int64](repeating: 0, count: n), ordersColumn = clicksColumn, itemColumn = clicksColumn
        var spendColumn = [Double](repeating: 0, count: n), ctrColumn = spendColumn, scoreColumn = spendColumn
        var memberColumn = [Bool](repeating: false, count: n)
        var offsets = [Int](repeating: 0, count: n + 1)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(n * 14)
        var vectors = [Float](repeating: 0, count: n * dimension)
        var events = [Int64](repeating: 0, count: n), created = events
        for (r, i) in keys.enumerated() {
            let h = mix(i, g)
            clicksColumn[r] = clicks(h); ordersColumn[r] = orders(h); itemColumn[r] = lastItem(h)
            spendColumn[r] = spend(h); ctrColumn[r] = ctr(h); scoreColumn[r] = score(h)
            memberColumn[r] = member(h)
            for k in 0 ..< segmentLength(h) { bytes.append(segmentByte(h, k)) }
            offsets[r + 1] = bytes.count
            for k in 0 ..< dimension { vectors[r * dimension + k] = embedding(h, k) }
            events[r] = eventTs(i, g); created[r] = createdTs(i, g)
        }
        return try RecordBatch([
            "entity_id": .int64(keys),
            "clicks_7d": .int64(clicksColumn), "orders_30d": .int64(ordersColumn), "last_item_id": .int64(itemColumn),
            "spend_30d": .float64(spendColumn), "ctr_7d": .float64(ctrColumn), "score": .float64(scoreColumn),
            "is_member": .bool(memberColumn),
            "segment": try LarderColumnar.Column(type: .string, storage: .bytes(offsets: offsets, data: bytes)),
            "embedding": try LarderColumnar.Column(type: .vector(dimension: dimension),
                                                   storage: .vector(dimension: dimension, values: vectors)),
            "event_ts": .timestamp(events), "created_ts": .timestamp(created),
        ])
    }

    /// Entities 0 ..< count at generation 0, in batches of ``batchRows``.
    static func base(count: Int) throws -> [RecordBatch] {
        try stride(from: 0, to: count, by: batchRows).map { start in
            try batch(keys: (Int64(start) ..< Int64(min(start + batchRows, count))).map { $0 }, generation: 0)
        }
    }
}

/// The typed columns of one batch, as the LMDB and SQLite loaders read them row by row.
struct BatchColumns {
    let rowCount: Int
    let keys: [Int64]
    let clicks: [Int64], orders: [Int64], lastItem: [Int64]
    let spend: [Double], ctr: [Double], score: [Double]
    let member: [Bool]
    let segmentOffsets: [Int], segmentBytes: [UInt8]
    let embedding: [Float]
    let events: [Int64], created: [Int64]

    init(_ batch: RecordBatch) throws {
        func column(_ name: String) throws -> LarderColumnar.Column {
            guard let c = batch.column(named: name) else { throw BenchError("the batch lacks column \(name)") }
            return c
        }
        func ints(_ name: String) throws -> [Int64] {
            guard let v = try column(name).int64Values else { throw BenchError("\(name) is not int64") }
            return v
        }
        func doubles(_ name: String) throws -> [Double] {
            guard let v = try column(name).float64Values else { throw BenchError("\(name) is not float64") }
            return v
        }
        rowCount = batch.rowCount
        keys = try ints("entity_id")
        clicks = try ints("clicks_7d"); orders = try ints("orders_30d"); lastItem = try ints("last_item_id")
        spend = try doubles("spend_30d"); ctr = try doubles("ctr_7d"); score = try doubles("score")
        guard let m = try column("is_member").boolValues else { throw BenchError("is_member is not bool") }
        member = m
        guard case .bytes(let o, let d) = try column("segment").storage else { throw BenchError("segment is not a string") }
        segmentOffsets = o; segmentBytes = d
        guard case .vector(_, let v) = try column("embedding").storage else { throw BenchError("embedding is not a vector") }
        embedding = v
        events = try ints("event_ts"); created = try ints("created_ts")
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    guard condition else { throw BenchError(message()) }
}
