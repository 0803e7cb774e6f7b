import Foundation
import Larder
import LarderTestSupport
import Testing

@Suite struct DefinitionsTests {
    @Test func exampleParsesToTheExpectedCatalog() throws {
        let catalog = try Definitions.parse(yaml: Self.exampleDefinitions, file: "defs.yaml")
        let expected = Catalog(
            entities: [Entity(name: "user", joinKeys: ["user_id"]),
                       Entity(name: "item", joinKeys: ["item_id"], description: "a catalog item")],
            featureViews: [
                FeatureView(
                    name: "user_stats", entities: ["user"], timestampField: "event_ts", createdTimestampColumn: "created_ts",
                    ttl: 2_592_000_000_000, online: true,
                    schema: [FeatureField(name: "user_id", type: .int64), FeatureField(name: "event_ts", type: .timestamp),
                             FeatureField(name: "created_ts", type: .timestamp), FeatureField(name: "visits_7d", type: .int64),
                             FeatureField(name: "spend_30d", type: .float64), FeatureField(name: "fav_category", type: .string),
                             FeatureField(name: "is_member", type: .bool),
                             FeatureField(name: "embedding", type: .floatVector(dimension: 16))],
                    expectationSuite: "user_stats_checks", onInvalid: .quarantine),
                FeatureView(
                    name: "item_stats", entities: ["item"], timestampField: "ts", online: false,
                    schema: [FeatureField(name: "item_id", type: .string), FeatureField(name: "ts", type: .timestamp),
                             FeatureField(name: "price", type: .float32), FeatureField(name: "launched", type: .date),
                             FeatureField(name: "thumbnail", type: .bytes), FeatureField(name: "rank", type: .int32)],
                    description: "item facts", tags: ["owner": "search", "tier": "1"]),
            ],
            featureServices: [
                FeatureService(name: "ranker_v1",
                               features: [FeatureReference(view: "user_stats", feature: "visits_7d"),
                                          FeatureReference(view: "user_stats", feature: "spend_30d"),
                                          FeatureReference(view: "item_stats", feature: nil)],
                               description: "the ranker's inputs", logServedFeatures: true),
            ],
            expectationSuites: [
                ExpectationSuiteDefinition(
                    name: "user_stats_checks",
                    expectationsJSON: #"[{"kwargs":{"column":"user_id"},"type":"expect_column_values_to_not_be_null"}]"#),
            ])
        #expect(catalog.entities == expected.entities)
        #expect(catalog.featureViews == expected.featureViews)
        #expect(catalog.featureServices == expected.featureServices)
        #expect(catalog.expectationSuites == expected.expectationSuites)
        #expect(catalog == expected)

        let view = try #require(catalog.featureView(named: "user_stats"))
        #expect(view.ttl == 2_592_000_000_000)
        #expect(view.featureNames(keys: ["user_id"]) == ["visits_7d", "spend_30d", "fav_category", "is_member", "embedding"])
        let schema = try view.tableSchema(keys: ["user_id"])
        #expect(schema.field(named: "user_id")?.isNullable == false)
        #expect(schema.field(named: "event_ts")?.isNullable == false)
        #expect(schema.field(named: "created_ts")?.isNullable == true)
        #expect(schema.field(named: "embedding")?.type == .vector(dimension: 16))
    }

    @Test func defaultsWhenOptionalKeysAreAbsent() throws {
        let catalog = try Definitions.parse(yaml: """
            entities: [{name: user, join_keys: [user_id]}]
            feature_views:
              - name: v
                entities: [user]
                timestamp_field: ts
                schema: [{name: user_id, dtype: int64}, {name: ts, dtype: timestamp}, {name: x, dtype: double}]
            feature_services:
              - {name: s, features: [v]}
            """, file: nil, baseDirectory: nil)
        let view = try #require(catalog.featureView(named: "v"))
        #expect(view.ttl == nil)
        #expect(view.online)
        #expect(view.createdTimestampColumn == nil)
        #expect(view.expectationSuite == nil)
        #expect(view.onInvalid == nil)
        #expect(view.description == nil)
        #expect(view.tags.isEmpty)
        #expect(view.schema.last?.type == .float64)
        let service = try #require(catalog.featureService(named: "s"))
        #expect(!service.logServedFeatures)
        #expect(service.features == [FeatureReference(view: "v", feature: nil)])
        #expect(catalog.expectationSuites.isEmpty)
    }

    @Test func compositeKeysFromSeveralEntities() throws {
        let catalog = try Definitions.parse(yaml: """
            entities:
              - {name: user, join_keys: [user_id]}
              - {name: item, join_keys: [item_id]}
              - {name: session, join_keys: [app, session_id]}
            feature_views:
              - name: user_item
                entities: [user, item, session]
                timestamp_field: ts
                schema:
                  - {name: user_id, dtype: int64}
                  - {name: item_id, dtype: string}
                  - {name: app, dtype: string}
                  - {name: session_id, dtype: int32}
                  - {name: ts, dtype: timestamp}
                  - {name: clicks, dtype: int64}
            """, file: "defs.yaml", baseDirectory: nil)
        let view = try #require(catalog.featureView(named: "user_item"))
        #expect(view.entities == ["user", "item", "session"])
        let keys = view.entities.flatMap { catalog.entity(named: $0)?.joinKeys ?? [] }
        #expect(keys == ["user_id", "item_id", "app", "session_id"])
        #expect(view.featureNames(keys: keys) == ["clicks"])
    }

    @Test func emptyDocumentIsAnEmptyCatalog() throws {
        #expect(try Definitions.parse(yaml: "", file: nil, baseDirectory: nil) == Catalog())
        #expect(try Definitions.parse(yaml: "# nothing yet\n", file: nil, baseDirectory: nil) == Catalog())
        #expect(try Definitions.parse(yaml: "entities:\nfeature_views: []\n", file: nil, baseDirectory: nil) == Catalog())
    }

    @Test func errorDescriptionNamesFileAndLine() throws {
        let yaml = Self.example(replacing: "entities: [user]", with: "entities: [usr]")
        let error = #expect(throws: DatabaseError.self) { try Definitions.parse(yaml: yaml, file: "defs.yaml") }
        #expect(error?.description == "defs.yaml:9: feature view 'user_stats' uses unknown entity 'usr' (known: user, item)")
    }

    @Test func yamlMergeKeysApply() throws {
        let catalog = try Definitions.parse(yaml: """
            entities: [{name: user, join_keys: [user_id]}]
            feature_views:
              - &base
                name: a
                entities: [user]
                timestamp_field: ts
                ttl: 1h
                schema: [{name: user_id, dtype: int64}, {name: ts, dtype: timestamp}]
              - <<: *base
                name: b
                online: false
            """, file: nil, baseDirectory: nil)
        let b = try #require(catalog.featureView(named: "b"))
        #expect(b.ttl == 3_600_000_000)
        #expect(!b.online)
        #expect(b.schema.map(\.name) == ["user_id", "ts"])
    }

    @Test func durationTable() {
        let table: [(String, Int64?)] = [
            ("30d", 2_592_000_000_000), ("12h", 43_200_000_000), ("90m", 5_400_000_000), ("45s", 45_000_000),
            ("2w", 1_209_600_000_000), ("1500ms", 1_500_000), ("250us", 250), ("3600", 3_600_000_000), (" 7d ", 604_800_000_000),
            ("0d", nil), ("0", nil), ("-5s", nil), ("-1", nil), ("soon", nil), ("30x", nil), ("d", nil), ("", nil),
            ("1.5h", nil), ("30 d", nil), ("30D", nil), ("99999999999999999999s", nil), ("9223372036854775807w", nil),
        ]
        for (text, expected) in table {
            #expect(DurationText.microseconds(text) == expected, "\(text)")
        }
        #expect(DurationText.format(microseconds: 2_592_000_000_000) == "30d")
        #expect(DurationText.format(microseconds: 1_209_600_000_000) == "2w")
        #expect(DurationText.format(microseconds: 1_500_000) == "1500ms")
        #expect(DurationText.format(microseconds: 5_400_000_000) == "90m")
    }

    @Test func ttlAsIntegerSecondsAndAbsent() throws {
        let seconds = try Definitions.parse(yaml: Self.example(replacing: "ttl: 30d", with: "ttl: 3600"), file: nil, baseDirectory: nil)
        #expect(seconds.featureView(named: "user_stats")?.ttl == 3_600_000_000)
        let none = try Definitions.parse(yaml: Self.example(replacing: "ttl: 30d", with: "ttl: ~"), file: nil, baseDirectory: nil)
        #expect(none.featureView(named: "user_stats")?.ttl == nil)
    }

    @Test(arguments: ["0d", "-5s", "0", "-3600", "soon", "30x", "1.5h", "[1, 2]", "99999999999999w"])
    func badTTLIsRejectedAtItsLine(ttl: String) {
        Self.expectInvalid(Self.example(replacing: "ttl: 30d", with: "ttl: \(ttl)"), atLineOf: "ttl: \(ttl)",
                      mentions: ["feature view 'user_stats'", "ttl"])
    }

    @Test func yamlSyntaxErrorCarriesYamsLine() {
        let yaml = Self.example(replacing: "    join_keys: [item_id]", with: "    join_keys: [item_id\n    description: x")
        let error = #expect(throws: DatabaseError.self) { try Definitions.parse(yaml: yaml, file: "defs.yaml") }
        #expect(error?.code == .invalidDefinitions)
        #expect(error?.message.hasPrefix("YAML syntax error") == true)
        // The flow sequence opened on line 5 is never closed; the scanner notices on line 6 or 7.
        #expect((5 ... 8).contains(error?.line ?? 0), "\(String(describing: error))")

        let tabs = "entities:\n  - name: user\n\t join_keys: [user_id]\n"
        let tabError = #expect(throws: DatabaseError.self) { try Definitions.parse(yaml: tabs, file: "defs.yaml") }
        #expect(tabError?.line == 3, "\(String(describing: tabError))")
    }

    @Test func deeplyNestedTextIsRejectedWithoutCrashing() throws {
        // Yams' composer recurses once per level and overflows the stack near 10 000 levels.
        let flow = "entities: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        Self.expectInvalid(flow, atLineOf: "entities", mentions: ["brackets nest more than 64 levels"])
        let compact = "entities:\n  " + String(repeating: "- ", count: 100_000) + "x\n"
        Self.expectInvalid(compact, atLineOf: "- - -", mentions: ["nests deeper than column 256"])
        let indented = "entities:\n" + String(repeating: " ", count: 5_000) + "- x\n"
        Self.expectInvalid(indented, atLineOf: "- x", mentions: ["nests deeper"])
        // Ordinary nesting is fine.
        let nested = try Definitions.parse(yaml: "expectation_suites: [{name: s, expectations: [{type: t, kwargs: {a: [[[1]]]}}]}]",
                                           file: nil, baseDirectory: nil)
        #expect(nested.expectationSuites.first?.expectationsJSON == #"[{"kwargs":{"a":[[[1]]]},"type":"t"}]"#)
    }

    @Test func topLevelMustBeAMapping() {
        Self.expectInvalid("- entities\n", atLineOf: "- entities", mentions: ["mapping"])
    }
}

// MARK: - Helpers shared with DefinitionsTests+Invalid.swift

extension DefinitionsTests {
    /// The definitions file of the issue, plus an `item` entity and view so every reference resolves
    /// and every dtype appears.
    static let exampleDefinitions = """
        entities:
          - name: user
            join_keys: [user_id]
          - name: item
            join_keys: [item_id]
            description: a catalog item
        feature_views:
          - name: user_stats
            entities: [user]
            timestamp_field: event_ts
            created_timestamp_column: created_ts
            ttl: 30d
            online: true
            schema:
              - {name: user_id, dtype: int64}
              - {name: event_ts, dtype: timestamp}
              - {name: created_ts, dtype: timestamp}
              - {name: visits_7d, dtype: int64}
              - {name: spend_30d, dtype: float64}
              - {name: fav_category, dtype: string}
              - {name: is_member, dtype: bool}
              - {name: embedding, dtype: "array<float32>", dim: 16}
            expectation_suite: user_stats_checks     # optional
            on_invalid: quarantine                   # optional: reject | quarantine | warn
          - name: item_stats
            entities: [item]
            timestamp_field: ts
            online: false
            description: item facts
            tags: {owner: search, tier: "1"}
            schema:
              - {name: item_id, dtype: string}
              - {name: ts, dtype: timestamp}
              - {name: price, dtype: float32}
              - {name: launched, dtype: date}
              - {name: thumbnail, dtype: bytes}
              - {name: rank, dtype: int32}
        feature_services:
          - name: ranker_v1
            features: ["user_stats:visits_7d", "user_stats:spend_30d", "item_stats"]
            log_served_features: true
            description: the ranker's inputs
        expectation_suites:                          # optional; kept as JSON text for the quality layer
          - name: user_stats_checks
            expectations:
              - {type: expect_column_values_to_not_be_null, kwargs: {column: user_id}}
        """

    /// The 1-based line where `needle` (which may span lines) first occurs in `text`.
    static func lineOf(_ needle: String, in text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Int? {
        guard let range = text.range(of: needle) else {
            Issue.record("test bug: '\(needle)' is not in the YAML", sourceLocation: sourceLocation)
            return nil
        }
        return 1 + text[..<range.lowerBound].filter { $0 == "\n" }.count
    }

    /// The example with `old` replaced by `new` (which must occur).
    static func example(replacing old: String, with new: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(Self.exampleDefinitions.contains(old), "test bug: '\(old)' is not in the example", sourceLocation: sourceLocation)
        return Self.exampleDefinitions.replacingOccurrences(of: old, with: new)
    }

    /// Parses `yaml`, expecting `.invalidDefinitions` at the line holding `needle`, with a message
    /// containing every one of `mentions`.
    static func expectInvalid(_ yaml: String, atLineOf needle: String, mentions: [String],
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: DatabaseError.self, sourceLocation: sourceLocation) {
            try Definitions.parse(yaml: yaml, file: "defs.yaml")
        }
        guard let error else { return }
        #expect(error.code == .invalidDefinitions, "\(error)", sourceLocation: sourceLocation)
        #expect(error.file == "defs.yaml", sourceLocation: sourceLocation)
        #expect(error.line == Self.lineOf(needle, in: yaml, sourceLocation: sourceLocation), "\(error)", sourceLocation: sourceLocation)
        for mention in mentions {
            #expect(error.message.contains(mention), "'\(mention)' not in: \(error.message)", sourceLocation: sourceLocation)
        }
    }
}
