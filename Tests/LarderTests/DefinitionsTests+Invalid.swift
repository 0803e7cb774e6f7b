import Foundation
import Larder
import LarderTestSupport
import Testing

extension DefinitionsTests {
    /// One invalid variant of the example: `old` replaced by `new`; the error must point at the line
    /// holding `needle` and mention each of `mentions`.
    struct BadDefinition: Sendable, CustomTestStringConvertible {
        var label: String
        var old: String
        var new: String
        var needle: String
        var mentions: [String]

        var testDescription: String { label }

        static let cases: [BadDefinition] = [
            // Keys.
            .init(label: "misspelled view key", old: "timestamp_field: event_ts", new: "timestamp_feild: event_ts",
                  needle: "timestamp_feild", mentions: ["unknown key 'timestamp_feild'", "did you mean 'timestamp_field'", "allowed keys: name, entities"]),
            .init(label: "unknown top-level key", old: "feature_services:", new: "feature_servces:",
                  needle: "feature_servces:", mentions: ["unknown key 'feature_servces'", "feature_services"]),
            .init(label: "unknown entity key", old: "join_keys: [user_id]", new: "join_keys: [user_id]\n    value_type: int64",
                  needle: "value_type", mentions: ["entity 'user'", "unknown key 'value_type'"]),
            .init(label: "unknown schema column key", old: "{name: visits_7d, dtype: int64}", new: "{name: visits_7d, type: int64}",
                  needle: "visits_7d", mentions: ["column 'visits_7d'", "unknown key 'type'", "dtype"]),
            .init(label: "duplicate key in a mapping", old: "online: true", new: "online: true\n    ttl: 7d",
                  needle: "ttl: 7d", mentions: ["feature view 'user_stats': duplicate key 'ttl'", "first at line 12"]),
            .init(label: "missing timestamp_field", old: "    timestamp_field: ts\n", new: "",
                  needle: "- name: item_stats", mentions: ["feature view 'item_stats' has no 'timestamp_field'"]),
            .init(label: "entity without join keys", old: "join_keys: [item_id]", new: "join_keys: []",
                  needle: "join_keys: []", mentions: ["entity 'item' has no join_keys"]),
            .init(label: "entities not a list", old: "entities: [user]", new: "entities: user",
                  needle: "entities: user", mentions: ["'entities' must be a list"]),
            .init(label: "online not a bool", old: "online: true", new: "online: sometimes",
                  needle: "online: sometimes", mentions: ["'online' must be true or false"]),

            // Duplicate names.
            .init(label: "duplicate entity", old: "  - name: item\n", new: "  - name: user\n",
                  needle: "  - name: user\n    join_keys: [item_id]", mentions: ["duplicate entity name 'user'", "first defined at line 2"]),
            .init(label: "duplicate view", old: "- name: item_stats", new: "- name: user_stats",
                  needle: "- name: user_stats\n    entities: [item]", mentions: ["duplicate feature view name 'user_stats'", "line 8"]),
            .init(label: "views differing only in case", old: "- name: item_stats", new: "- name: User_Stats",
                  needle: "User_Stats", mentions: ["'User_Stats' differs from 'user_stats'", "only in case"]),
            .init(label: "duplicate service", old: "    description: the ranker's inputs", new: "    description: x\n  - {name: ranker_v1, features: [item_stats]}",
                  needle: "{name: ranker_v1, features", mentions: ["duplicate feature service name 'ranker_v1'"]),
            .init(label: "duplicate suite", old: "kwargs: {column: user_id}}", new: "kwargs: {column: user_id}}\n  - {name: user_stats_checks, expectations: []}",
                  needle: "{name: user_stats_checks, expectations: []}", mentions: ["duplicate expectation suite name 'user_stats_checks'"]),
            .init(label: "duplicate column", old: "{name: spend_30d, dtype: float64}", new: "{name: visits_7d, dtype: float64}",
                  needle: "{name: visits_7d, dtype: float64}", mentions: ["two columns named 'visits_7d'", "first at line"]),

            // Entities and keys.
            .init(label: "unknown entity", old: "entities: [user]", new: "entities: [usr]",
                  needle: "entities: [usr]", mentions: ["feature view 'user_stats' uses unknown entity 'usr' (known: user, item)"]),
            .init(label: "join key missing from schema", old: "      - {name: user_id, dtype: int64}\n", new: "",
                  needle: "entities: [user]", mentions: ["join key 'user_id' of entity 'user' is not in its schema"]),
            .init(label: "second entity's key missing from the schema", old: "entities: [item]", new: "entities: [item, user]",
                  needle: "entities: [item, user]", mentions: ["join key 'user_id' of entity 'user' is not in its schema", "dtype: int64"]),
            .init(label: "join key of a float dtype", old: "{name: item_id, dtype: string}", new: "{name: item_id, dtype: float64}",
                  needle: "{name: item_id, dtype: float64}", mentions: ["join key 'item_id' has dtype float64"]),
            .init(label: "view lists an entity twice", old: "entities: [user]", new: "entities: [user, user]",
                  needle: "entities: [user, user]", mentions: ["lists entity 'user' twice"]),

            // Timestamps.
            .init(label: "timestamp_field not in schema", old: "timestamp_field: event_ts", new: "timestamp_field: event_time",
                  needle: "timestamp_field: event_time", mentions: ["timestamp_field 'event_time' is not in the schema"]),
            .init(label: "timestamp_field not a timestamp", old: "timestamp_field: ts", new: "timestamp_field: rank",
                  needle: "timestamp_field: rank", mentions: ["timestamp_field 'rank' has dtype int32", "must be timestamp"]),
            .init(label: "created column not in schema", old: "created_timestamp_column: created_ts", new: "created_timestamp_column: created",
                  needle: "created_timestamp_column: created", mentions: ["created_timestamp_column 'created' is not in the schema"]),
            .init(label: "created column not a timestamp", old: "created_timestamp_column: created_ts", new: "created_timestamp_column: visits_7d",
                  needle: "created_timestamp_column: visits_7d", mentions: ["'visits_7d' has dtype int64"]),
            .init(label: "created column equals timestamp field", old: "created_timestamp_column: created_ts", new: "created_timestamp_column: event_ts",
                  needle: "created_timestamp_column: event_ts", mentions: ["both 'event_ts'"]),

            // Dtypes.
            .init(label: "unknown dtype", old: "{name: visits_7d, dtype: int64}", new: "{name: visits_7d, dtype: integer}",
                  needle: "dtype: integer", mentions: ["unknown dtype 'integer'", "int32, int64, float32, float64, bool, string, bytes, timestamp, date, array<float32>"]),
            .init(label: "vector without dim", old: "dtype: \"array<float32>\", dim: 16}", new: "dtype: \"array<float32>\"}",
                  needle: "name: embedding", mentions: ["column 'embedding'", "positive dim"]),
            .init(label: "vector with zero dim", old: "dim: 16}", new: "dim: 0}",
                  needle: "dim: 0", mentions: ["positive dim", "not 0"]),
            .init(label: "dim on a scalar dtype", old: "{name: visits_7d, dtype: int64}", new: "{name: visits_7d, dtype: int64, dim: 4}",
                  needle: "dim: 4", mentions: ["dim applies to array<float32> only"]),
            .init(label: "dim not an integer", old: "dim: 16}", new: "dim: sixteen}",
                  needle: "dim: sixteen", mentions: ["dim must be an integer"]),

            // References.
            .init(label: "service names an unknown view", old: "\"item_stats\"]", new: "\"item_statz\"]",
                  needle: "item_statz", mentions: ["feature service 'ranker_v1' references unknown feature view 'item_statz'", "known: user_stats, item_stats"]),
            .init(label: "service names an unknown feature", old: "\"user_stats:spend_30d\"", new: "\"user_stats:spend_90d\"",
                  needle: "spend_90d", mentions: ["unknown feature 'spend_90d' of feature view 'user_stats'", "visits_7d, spend_30d"]),
            .init(label: "service names a key", old: "\"user_stats:spend_30d\"", new: "\"user_stats:user_id\"",
                  needle: "user_stats:user_id", mentions: ["'user_stats:user_id' is a join key"]),
            .init(label: "service names a timestamp", old: "\"user_stats:spend_30d\"", new: "\"user_stats:created_ts\"",
                  needle: "user_stats:created_ts", mentions: ["is a timestamp column"]),
            .init(label: "service reference malformed", old: "\"user_stats:spend_30d\"", new: "\"user_stats:spend:30d\"",
                  needle: "user_stats:spend:30d", mentions: ["bad feature reference"]),
            .init(label: "service without features", old: "features: [\"user_stats:visits_7d\", \"user_stats:spend_30d\", \"item_stats\"]",
                  new: "features: []", needle: "features: []", mentions: ["has no features"]),
            .init(label: "unknown expectation suite", old: "expectation_suite: user_stats_checks", new: "expectation_suite: user_checks",
                  needle: "expectation_suite: user_checks", mentions: ["unknown expectation suite 'user_checks'", "known: user_stats_checks"]),
            .init(label: "bad on_invalid", old: "on_invalid: quarantine", new: "on_invalid: drop",
                  needle: "on_invalid: drop", mentions: ["unknown on_invalid 'drop'", "reject, quarantine, warn"]),
            .init(label: "suite entry without type", old: "- {type: expect_column", new: "- {kind: expect_column",
                  needle: "kind: expect_column", mentions: ["has no 'type'"]),
            .init(label: "suite with both inline and file", old: "  - name: user_stats_checks\n", new: "  - name: user_stats_checks\n    file: x.json\n",
                  needle: "file: x.json", mentions: ["exactly one of 'expectations'"]),

            // Names.
            .init(label: "empty name", old: "- name: item_stats", new: "- name: \"\"", needle: "- name: \"\"", mentions: ["empty name"]),
            .init(label: "path in a name", old: "- name: item_stats", new: "- name: ../x", needle: "- name: ../x",
                  mentions: ["feature view name '../x' is not valid"]),
            .init(label: "space in a name", old: "- name: item_stats", new: "- name: item stats", needle: "- name: item stats",
                  mentions: ["'item stats' is not valid"]),
            .init(label: "name starting with a digit", old: "- name: item\n", new: "- name: 1item\n", needle: "- name: 1item",
                  mentions: ["entity name '1item' is not valid"]),
            .init(label: "bad column name", old: "{name: fav_category,", new: "{name: fav-category,", needle: "fav-category",
                  mentions: ["column name 'fav-category' is not valid"]),
            .init(label: "bad join key name", old: "join_keys: [user_id]", new: "join_keys: [user.id]", needle: "user.id",
                  mentions: ["join key name 'user.id' is not valid"]),
            .init(label: "reserved suffix", old: "- name: item_stats", new: "- name: item_stats__quarantine", needle: "item_stats__quarantine",
                  mentions: ["reserves"]),
            .init(label: "view without a name", old: "  - name: item_stats\n    entities: [item]", new: "  - entities: [item]",
                  needle: "  - entities: [item]", mentions: ["feature view has no 'name'"]),
        ]
    }
}

extension DefinitionsTests {
    @Test(arguments: BadDefinition.cases)
    func badDefinitionIsRejectedAtItsLine(_ bad: BadDefinition) {
        Self.expectInvalid(Self.example(replacing: bad.old, with: bad.new), atLineOf: bad.needle, mentions: bad.mentions)
    }

    @Test func joinKeyDtypeMustAgreeAcrossViews() {
        let yaml = """
            entities: [{name: user, join_keys: [user_id]}]
            feature_views:
              - name: a
                entities: [user]
                timestamp_field: ts
                schema:
                  - {name: user_id, dtype: int64}
                  - {name: ts, dtype: timestamp}
              - name: b
                entities: [user]
                timestamp_field: ts
                schema:
                  - {name: user_id, dtype: string}
                  - {name: ts, dtype: timestamp}
            """
        Self.expectInvalid(yaml, atLineOf: "{name: user_id, dtype: string}",
                      mentions: ["feature view 'b': join key 'user_id' has dtype string here but int64 in feature view 'a' (line 7)"])
    }

    @Test func entitiesOfOneViewMustNotShareAKey() {
        let yaml = """
            entities: [{name: buyer, join_keys: [id]}, {name: seller, join_keys: [id]}]
            feature_views:
              - name: trades
                entities: [buyer, seller]
                timestamp_field: ts
                schema: [{name: id, dtype: int64}, {name: ts, dtype: timestamp}]
            """
        Self.expectInvalid(yaml, atLineOf: "entities: [buyer, seller]", mentions: ["'buyer' and 'seller' both have join key 'id'"])
    }

    @Test func suiteFilesInBothGreatExpectationsShapes() throws {
        let dir = try TemporaryDirectory(prefix: "larder-defs")
        try FileManager.default.createDirectory(atPath: dir.file("suites"), withIntermediateDirectories: true)
        // GE 0.x
        try #"""
        {"expectation_suite_name": "old", "data_asset_type": null, "meta": {"great_expectations_version": "0.18.8"},
         "expectations": [{"expectation_type": "expect_column_values_to_be_between",
                           "kwargs": {"column": "spend_30d", "min_value": 0, "max_value": 1.5e3, "strict": true}, "meta": {}}]}
        """#.write(toFile: dir.file("suites/old.json"), atomically: true, encoding: .utf8)
        // GE 1.x
        try #"""
        {"name": "new", "id": "5e0c", "expectations": [{"type": "expect_column_values_to_not_be_null",
         "kwargs": {"column": "user_id", "mostly": 0.95}, "id": "a1", "meta": null}], "meta": {}, "notes": null}
        """#.write(toFile: dir.file("suites/new.json"), atomically: true, encoding: .utf8)
        let yaml = """
            expectation_suites:
              - name: from_old
                file: suites/old.json
              - name: from_new
                expectation_suite_file: suites/new.json
              - name: inline
                expectations:
                  - type: expect_column_values_to_be_in_set
                    kwargs: {column: tier, value_set: [1, "2", 3.5, true, null]}
            """
        try yaml.write(toFile: dir.file("defs.yaml"), atomically: true, encoding: .utf8)
        let catalog = try Definitions.load(path: dir.file("defs.yaml"))
        #expect(catalog.expectationSuites.map(\.name) == ["from_old", "from_new", "inline"])

        let old = try jsonObject(catalog.expectationSuites[0].expectationsJSON)
        let oldKwargs = try #require(old.first?["kwargs"] as? [String: Any])
        #expect(old.first?["expectation_type"] as? String == "expect_column_values_to_be_between")
        #expect((oldKwargs["max_value"] as? NSNumber)?.doubleValue == 1500)
        #expect(oldKwargs["strict"] as? Bool == true)

        let new = try jsonObject(catalog.expectationSuites[1].expectationsJSON)
        #expect(new.first?["type"] as? String == "expect_column_values_to_not_be_null")
        #expect(new.first?["id"] as? String == "a1")
        #expect(catalog.expectationSuites[1].expectationsJSON.contains(#""meta":null"#))

        #expect(catalog.expectationSuites[2].expectationsJSON
            == #"[{"kwargs":{"column":"tier","value_set":[1,"2",3.5,true,null]},"type":"expect_column_values_to_be_in_set"}]"#)
    }

    @Test func missingOrInvalidSuiteFile() throws {
        let dir = try TemporaryDirectory(prefix: "larder-defs")
        let yaml = "expectation_suites:\n  - name: s\n    file: nowhere.json\n"
        try yaml.write(toFile: dir.file("defs.yaml"), atomically: true, encoding: .utf8)
        let missing = #expect(throws: DatabaseError.self) { try Definitions.load(path: dir.file("defs.yaml")) }
        #expect(missing?.code == .io)
        #expect(missing?.line == 3)
        #expect(missing?.message.contains("nowhere.json") == true)

        try "{not json".write(toFile: dir.file("nowhere.json"), atomically: true, encoding: .utf8)
        let invalid = #expect(throws: DatabaseError.self) { try Definitions.load(path: dir.file("defs.yaml")) }
        #expect(invalid?.code == .invalidDefinitions)
        #expect(invalid?.line == 3)

        try #"{"name": "s", "meta": {}}"#.write(toFile: dir.file("nowhere.json"), atomically: true, encoding: .utf8)
        let noExpectations = #expect(throws: DatabaseError.self) { try Definitions.load(path: dir.file("defs.yaml")) }
        #expect(noExpectations?.message.contains("no \"expectations\" array") == true)
    }

    @Test func loadReportsThePathAndReadErrors() throws {
        let dir = try TemporaryDirectory(prefix: "larder-defs")
        let path = dir.file("defs.yaml")
        try Self.example(replacing: "on_invalid: quarantine", with: "on_invalid: drop").write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: DatabaseError.self) { try Definitions.load(path: path) }
        #expect(error?.description.hasPrefix("\(path):24: feature view 'user_stats': unknown on_invalid 'drop'") == true,
                "\(String(describing: error))")

        let missing = #expect(throws: DatabaseError.self) { try Definitions.load(path: dir.file("absent.yaml")) }
        #expect(missing?.code == .io)
    }

    private func jsonObject(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }
}
