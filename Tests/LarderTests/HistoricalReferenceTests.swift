import LarderColumnar
import LarderTestSupport
import Testing

/// The reference point-in-time join itself, on cases worked out by hand: the differential
/// tests are only as good as it is.
@Suite struct HistoricalReferenceTests {
    static let t0: Int64 = 1_000_000_000

    /// A view `v` keyed by `k` with event time `et`, created time `ct` and feature `x`.
    static func commit(_ rows: [(k: Int64, et: Int64, ct: Int64?, x: Int64?)]) throws -> RecordBatch {
        var created = ColumnBuilder(type: .timestamp), x = ColumnBuilder(type: .int64)
        for row in rows {
            if let c = row.ct { created.append(int64: c) } else { created.appendNull() }
            if let v = row.x { x.append(int64: v) } else { x.appendNull() }
        }
        return try RecordBatch(["k": .int64(rows.map(\.k)), "et": .timestamp(rows.map(\.et)), "ct": created.finish(), "x": x.finish()])
    }

    static func view(_ commits: [RecordBatch], ttl: Int64? = nil, created: String? = "ct", visible: Int? = nil) -> PointInTimeReference.View {
        .init(name: "v", keys: ["k"], timestamp: "et", created: created, ttl: ttl, features: ["x"],
              featureTypes: ["x": .int64], commits: commits, visibleCommits: visible)
    }

    static func spine(_ rows: [(k: Int64?, ts: Int64?)]) throws -> RecordBatch {
        var k = ColumnBuilder(type: .int64), ts = ColumnBuilder(type: .timestamp)
        for row in rows {
            if let v = row.k { k.append(int64: v) } else { k.appendNull() }
            if let v = row.ts { ts.append(int64: v) } else { ts.appendNull() }
        }
        return try RecordBatch(["k": k.finish(), "ts": ts.finish()])
    }

    static func xs(_ answer: PointInTimeReference.Answer, _ name: String = "v__x") throws -> [Int64?] {
        try #require(answer.batch.column(named: name)).values.map { if case .int64(let v) = $0 { v } else { nil } }
    }

    @Test func latestAtOrBeforeTheSpineTime() throws {
        let rows = try Self.commit([(1, 10, 0, 100), (1, 20, 0, 200), (2, 30, 0, 300)])
        let spine = try Self.spine([(1, 15), (1, 20), (1, 9), (2, 29), (3, 50), (1, 1000), (2, 30)])
        let answer = try PointInTimeReference.join(spine: spine, spineTimestamp: "ts", views: [Self.view([rows])])
        #expect(try Self.xs(answer) == [100, 200, nil, nil, nil, 200, 300])
        #expect(answer.matched["v"] == 4)
        #expect(answer.batch.schema.names == ["k", "ts", "v__x"])
        #expect(answer.batch.schema.field(named: "v__x")?.type == .int64)
    }

    @Test func ttlBoundsAreInclusive() throws {
        let rows = try Self.commit([(1, 10, 0, 100), (1, 20, 0, 200)])
        // ttl 5: at 25 the row at 20 is exactly 5 old (in), at 26 it is 6 old (out, and the row
        // at 10 is older still); at 15 the row at 10 is exactly 5 old, at 16 one too old, at 14 in.
        let spine = try Self.spine([(1, 25), (1, 26), (1, 15), (1, 16), (1, 14)])
        let answer = try PointInTimeReference.join(spine: spine, spineTimestamp: "ts", views: [Self.view([rows], ttl: 5)])
        #expect(try Self.xs(answer) == [200, nil, 100, nil, 100])
    }

    @Test func tiesGoToCreatedTimeThenCommitThenRow() throws {
        // Same event time 10: created 5 beats created 3 whatever the order; equal created
        // times go to the later commit, and within a commit to the later row.
        let first = try Self.commit([(1, 10, 5, 1), (1, 10, 3, 2), (2, 10, 7, 3), (2, 10, 7, 4), (3, 10, 1, 5)])
        let second = try Self.commit([(1, 10, 4, 6), (2, 10, 7, 7), (2, 10, 6, 8), (3, 10, nil, 9)])
        let spine = try Self.spine([(1, 10), (2, 10), (3, 10)])
        let both = try PointInTimeReference.join(spine: spine, spineTimestamp: "ts", views: [Self.view([first, second])])
        #expect(try Self.xs(both) == [1, 7, 5])      // 3: a null created time is the lowest
        let onlyFirst = try PointInTimeReference.join(spine: spine, spineTimestamp: "ts", views: [Self.view([first, second], visible: 1)])
        #expect(try Self.xs(onlyFirst) == [1, 4, 5])
        let none = try PointInTimeReference.join(spine: spine, spineTimestamp: "ts", views: [Self.view([first, second], visible: 0)])
        #expect(try Self.xs(none) == [nil, nil, nil])
        // Without a created column only commit and row order break the ties.
        let noCreated = try PointInTimeReference.join(spine: spine, spineTimestamp: "ts",
                                                      views: [Self.view([first, second], created: nil)])
        #expect(try Self.xs(noCreated) == [6, 8, 9])
    }

    @Test func availableAtSkipsRowsCreatedAfterTheSpineTime() throws {
        let rows = try Self.commit([(1, 5, 6, 50), (1, 10, 30, 100), (1, 8, nil, 80)])
        let spine = try Self.spine([(1, 20), (1, 30), (1, 7), (1, 5)])
        var options = PointInTimeReference.Options()
        #expect(try Self.xs(PointInTimeReference.join(spine: spine, spineTimestamp: "ts", views: [Self.view([rows])], options: options))
                == [100, 100, 50, 50])
        options.availableAt = true
        // The row at 10 is only known from 30; the row at 8 has no created time, so it is never
        // known to be available; the row at 5 is known from 6.
        #expect(try Self.xs(PointInTimeReference.join(spine: spine, spineTimestamp: "ts", views: [Self.view([rows])], options: options))
                == [50, 100, 50, nil])
        // A view without a created column is unaffected.
        #expect(try Self.xs(PointInTimeReference.join(spine: spine, spineTimestamp: "ts", views: [Self.view([rows], created: nil)], options: options))
                == [100, 100, 50, 50])
    }

    @Test func nullSpineKeysAndTimesMatchNothingAndDuplicatesStay() throws {
        let rows = try Self.commit([(1, 10, 0, 100), (2, 10, 0, 200)])
        let spine = try Self.spine([(1, 20), (nil, 20), (2, nil), (1, 20), (2, 20)])
        let answer = try PointInTimeReference.join(spine: spine, spineTimestamp: "ts", views: [Self.view([rows])])
        #expect(try Self.xs(answer) == [100, nil, nil, 100, 200])
        #expect(answer.batch.columns[0] == spine.columns[0] && answer.batch.columns[1] == spine.columns[1])
        #expect(answer.matched["v"] == 3)
    }

    @Test func compositeKeysNamesAndFeatureTimestamps() throws {
        let rows = try RecordBatch(["a": .int64([1, 1, 2]), "b": .string(["x", "y", "x"]), "et": .timestamp([10, 11, 12]),
                                    "f": .string(["1x", "1y", "2x"]), "g": .float32([0.5, 1.5, 2.5])])
        let view = PointInTimeReference.View(name: "w", keys: ["a", "b"], timestamp: "et", created: nil, ttl: nil,
                                             features: ["g", "f"], featureTypes: ["f": .string, "g": .float32], commits: [rows])
        let spine = try RecordBatch(["a": .int64([1, 1, 2, 2]), "b": .string(["y", "x", "y", "x"]), "t": .timestamp([20, 20, 20, 11])])
        var options = PointInTimeReference.Options(includeFeatureTimestamps: true)
        let answer = try PointInTimeReference.join(spine: spine, spineTimestamp: "t", views: [view], options: options)
        #expect(answer.batch.schema.names == ["a", "b", "t", "w__g", "w__f", "w__et"])
        #expect(answer.batch.column(named: "w__f")?.values == [.string("1y"), .string("1x"), .null, .null])
        #expect(answer.batch.column(named: "w__g")?.values == [.float32(1.5), .float32(0.5), .null, .null])
        #expect(answer.batch.column(named: "w__et")?.values == [.timestamp(11), .timestamp(10), .null, .null])
        options = PointInTimeReference.Options(fullFeatureNames: false)
        #expect(try PointInTimeReference.join(spine: spine, spineTimestamp: "t", views: [view], options: options).batch.schema.names
                == ["a", "b", "t", "g", "f"])
    }

    @Test func differencesFindWhatDiffers() throws {
        let a = try RecordBatch(["x": .float64([0.0, .nan, 1])])
        let b = try RecordBatch(["x": .float64([-0.0, .nan, 1])])
        #expect(PointInTimeReference.differences(got: a, expected: a).isEmpty)
        #expect(PointInTimeReference.differences(got: a, expected: b) == ["row 0 x: got 0.0, expected -0.0"])
        let c = try RecordBatch(["y": .float64([0.0, .nan, 1])])
        #expect(!PointInTimeReference.differences(got: a, expected: c).isEmpty)
    }
}
