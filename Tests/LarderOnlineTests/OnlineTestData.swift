import LarderColumnar
@testable import LarderOnline
import LarderTestSupport
import Testing

/// Small builders for online-store tests.
enum OnlineTestData {
    /// A view keyed by one int64 `user_id` with an int64 feature `score`.
    static func scoreSchema() throws -> OnlineSchema {
        try OnlineSchema(keys: [Field("user_id", .int64)], values: [Field("score", .int64)])
    }

    /// A batch for ``scoreSchema()``: one row per (key, score, event, created).
    static func scores(_ rows: [(key: Int64, score: Int64, event: Int64, created: Int64)]) throws -> RecordBatch {
        try RecordBatch([
            "user_id": .int64(rows.map(\.key)),
            "score": .int64(rows.map(\.score)),
            "event_ts": .timestamp(rows.map(\.event)),
            "created_ts": .timestamp(rows.map(\.created)),
        ])
    }

    /// A deletion batch for ``scoreSchema()``.
    static func deletions(_ rows: [(key: Int64, event: Int64, created: Int64)]) throws -> RecordBatch {
        try RecordBatch([
            "user_id": .int64(rows.map(\.key)),
            "event_ts": .timestamp(rows.map(\.event)),
            "created_ts": .timestamp(rows.map(\.created)),
        ])
    }

    /// The score stored for `key`, or nil.
    static func score(_ store: OnlineStore, _ key: Int64) -> Int64? {
        store.lookup(key)?.int64(0)
    }

    /// A column of `type` from values (nulls allowed), built through ``ColumnBuilder``.
    static func column(_ type: DataType, _ values: [Value]) throws -> Column {
        var builder = ColumnBuilder(type: type, capacity: values.count)
        for value in values { try builder.append(value) }
        return builder.finish()
    }
}

extension OnlineTestData {
    /// Expects `body` to throw an ``OnlineStoreError`` with `code`; returns the error.
    @discardableResult
    static func expectCode<R>(_ code: OnlineStoreError.Code, sourceLocation: SourceLocation = #_sourceLocation,
                              _ body: () throws -> R) -> OnlineStoreError? {
        let error = #expect(throws: OnlineStoreError.self, sourceLocation: sourceLocation) { _ = try body() }
        #expect(error?.code == code, "\(error.map { "\($0)" } ?? "no error")", sourceLocation: sourceLocation)
        return error
    }
}
