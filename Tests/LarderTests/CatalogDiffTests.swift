import Larder
import Testing

@Suite struct CatalogDiffTests {
    /// A small catalog: entity user, view user_stats, service ranker_v1, suite checks.
    static let base = Catalog(
        entities: [Entity(name: "user", joinKeys: ["user_id"]), Entity(name: "item", joinKeys: ["item_id"])],
        featureViews: [
            FeatureView(name: "user_stats", entities: ["user"], timestampField: "event_ts", createdTimestampColumn: "created_ts",
                        ttl: 2_592_000_000_000,
                        schema: [FeatureField(name: "user_id", type: .int64), FeatureField(name: "event_ts", type: .timestamp),
                                 FeatureField(name: "created_ts", type: .timestamp), FeatureField(name: "visits_7d", type: .int64),
                                 FeatureField(name: "spend_30d", type: .float64)],
                        expectationSuite: "checks"),
        ],
        featureServices: [FeatureService(name: "ranker_v1", features: [FeatureReference(view: "user_stats", feature: "visits_7d")])],
        expectationSuites: [ExpectationSuiteDefinition(name: "checks", expectationsJSON: "[]")])

    /// `base` with its view changed by `change`.
    static func withView(_ change: (inout FeatureView) -> Void) -> Catalog {
        var catalog = base
        change(&catalog.featureViews[0])
        return catalog
    }

    @Test func identicalCatalogsHaveNoChanges() {
        let diff = CatalogDiff.between(Self.base, Self.base)
        #expect(diff.isEmpty)
        #expect(diff.breakingChanges.isEmpty)
        #expect(diff.summary == "no changes")
    }

    @Test func everythingIsAddedToAnEmptyCatalog() {
        let diff = CatalogDiff.between(Catalog(), Self.base)
        #expect(diff.added.map(\.kind) == [.entity, .entity, .featureView, .featureService, .expectationSuite])
        #expect(diff.changed.isEmpty && diff.removed.isEmpty)
        #expect(diff.breakingChanges.isEmpty)
        #expect(diff.summary == """
            + entity user
            + entity item
            + feature view user_stats
            + feature service ranker_v1
            + expectation suite checks
            """)
    }

    @Test func columnAppendedAtTheEndIsAdditive() {
        let new = Self.withView { $0.schema.append(FeatureField(name: "clicks_1d", type: .int32)) }
        let diff = CatalogDiff.between(Self.base, new)
        #expect(diff.changed.count == 1)
        #expect(diff.breakingChanges.isEmpty)
        #expect(diff.summary == "~ feature view user_stats: added column clicks_1d (int32)")
    }

    @Test func columnInsertedInTheMiddleIsBreaking() {
        let new = Self.withView { $0.schema.insert(FeatureField(name: "clicks_1d", type: .int32), at: 3) }
        let diff = CatalogDiff.between(Self.base, new)
        let change = diff.breakingChanges.first
        #expect(diff.breakingChanges.count == 1)
        #expect(change?.detail?.contains("add new columns at the end") == true)
        #expect(change?.description.hasPrefix("~ feature view user_stats: added column clicks_1d (int32) before existing columns") == true)
    }

    @Test func columnRemovedIsBreaking() {
        let new = Self.withView { $0.schema.removeLast() }
        let diff = CatalogDiff.between(Self.base, new)
        #expect(diff.summary == "~ feature view user_stats: removed column spend_30d (breaking)")
        #expect(diff.breakingChanges.count == 1)
    }

    @Test func columnTypeChangedIsBreaking() {
        let new = Self.withView { $0.schema[4].type = .float32 }
        let diff = CatalogDiff.between(Self.base, new)
        #expect(diff.summary == "~ feature view user_stats: column spend_30d changed type from float64 to float32 (breaking)")
    }

    @Test func columnsReorderedIsBreaking() {
        let new = Self.withView { $0.schema.swapAt(3, 4) }
        let diff = CatalogDiff.between(Self.base, new)
        #expect(diff.breakingChanges.count == 1)
        #expect(diff.breakingChanges.first?.detail?.contains("columns reordered") == true)
    }

    @Test func timestampFieldsChangedAreBreaking() {
        let timestamp = CatalogDiff.between(Self.base, Self.withView { $0.timestampField = "created_ts"; $0.createdTimestampColumn = nil })
        #expect(timestamp.breakingChanges.map(\.detail) == [
            "timestamp_field changed from event_ts to created_ts",
            "created_timestamp_column changed from created_ts to none",
            "column created_ts is no longer nullable (it became a key or the timestamp field)",
        ])
        let created = CatalogDiff.between(Self.base, Self.withView { $0.createdTimestampColumn = nil })
        #expect(created.breakingChanges.count == 1)
    }

    @Test func entitiesOfAViewChangedIsBreaking() {
        let new = Self.withView {
            $0.entities = ["user", "item"]
            $0.schema.insert(FeatureField(name: "item_id", type: .string), at: 1)
        }
        let details = CatalogDiff.between(Self.base, new).breakingChanges.compactMap(\.detail)
        #expect(details.contains("entities changed from [user] to [user, item]"))
        #expect(details.contains("key columns changed from [user_id] to [user_id, item_id]"))
        #expect(details.contains { $0.hasPrefix("added column item_id (string) before existing columns") })
    }

    @Test func columnMadeAKeyBecomesNonNullable() {
        var new = Self.withView {
            $0.entities = ["user", "item"]
            $0.schema[3].name = "item_id"
            $0.schema[3].type = .string
        }
        new.featureServices = []
        var old = Self.base
        old.featureViews[0].schema[3] = FeatureField(name: "item_id", type: .string)
        old.featureServices = []
        let diff = CatalogDiff.between(old, new)
        #expect(diff.breakingChanges.compactMap(\.detail).contains("column item_id is no longer nullable (it became a key or the timestamp field)"))
    }

    @Test func entityJoinKeysChangedWhileAViewUsesItIsBreaking() {
        var used = Self.base
        used.entities[0].joinKeys = ["uid"]
        used.featureViews[0].schema[0].name = "uid"
        let diff = CatalogDiff.between(Self.base, used)
        #expect(diff.breakingChanges.contains {
            $0.kind == .entity && $0.name == "user" && $0.detail == "join keys changed from [user_id] to [uid] (used by feature view user_stats)"
        })
        #expect(diff.breakingChanges.contains { $0.kind == .featureView && $0.detail == "key columns changed from [user_id] to [uid]" })

        var unused = Self.base
        unused.entities[1].joinKeys = ["item_key"]
        let free = CatalogDiff.between(Self.base, unused)
        #expect(free.breakingChanges.isEmpty)
        #expect(free.summary == "~ entity item: join keys changed from [item_id] to [item_key]")
    }

    @Test func viewPropertiesChangeAdditively() {
        let new = Self.withView {
            $0.ttl = 604_800_000_000
            $0.online = false
            $0.description = "per-user aggregates"
            $0.tags = ["team": "growth"]
            $0.expectationSuite = nil
            $0.onInvalid = .warn
        }
        let diff = CatalogDiff.between(Self.base, new)
        #expect(diff.breakingChanges.isEmpty)
        #expect(diff.summary == """
            ~ feature view user_stats: ttl changed from 30d to 1w
            ~ feature view user_stats: online changed from true to false
            ~ feature view user_stats: expectation suite changed from checks to none
            ~ feature view user_stats: on_invalid changed from default to warn
            ~ feature view user_stats: description changed
            ~ feature view user_stats: tags changed
            """)
        let noTTL = CatalogDiff.between(Self.base, Self.withView { $0.ttl = nil })
        #expect(noTTL.summary == "~ feature view user_stats: ttl changed from 30d to none")
    }

    @Test func removingAViewIsBreakingButAServiceOrSuiteIsNot() {
        var new = Self.base
        new.featureViews = []
        new.featureServices = []
        new.expectationSuites = []
        let diff = CatalogDiff.between(Self.base, new)
        #expect(diff.removed.map(\.kind) == [.featureView, .featureService, .expectationSuite])
        #expect(diff.breakingChanges.map(\.name) == ["user_stats"])
        #expect(diff.summary == """
            - feature view user_stats: its data would become unreachable (breaking)
            - feature service ranker_v1
            - expectation suite checks
            """)
    }

    @Test func serviceAndSuiteChangesAreAdditive() {
        var new = Self.base
        new.featureServices[0].features.append(FeatureReference(view: "user_stats", feature: "spend_30d"))
        new.featureServices[0].logServedFeatures = true
        new.expectationSuites[0].expectationsJSON = #"[{"type":"expect_column_values_to_not_be_null","kwargs":{"column":"user_id"}}]"#
        new.featureServices.append(FeatureService(name: "ranker_v2", features: [FeatureReference(view: "user_stats", feature: nil)]))
        let diff = CatalogDiff.between(Self.base, new)
        #expect(diff.breakingChanges.isEmpty)
        #expect(diff.summary == """
            + feature service ranker_v2
            ~ feature service ranker_v1: added feature user_stats:spend_30d
            ~ feature service ranker_v1: log_served_features changed from false to true
            ~ expectation suite checks: expectations changed
            """)
    }

    @Test func diffOfParsedDefinitions() throws {
        let old = try Definitions.parse(yaml: Self.definitions(extraColumn: ""), file: nil, baseDirectory: nil)
        let new = try Definitions.parse(yaml: Self.definitions(extraColumn: "\n      - {name: clicks, dtype: int64}"),
                                        file: nil, baseDirectory: nil)
        let diff = CatalogDiff.between(old, new)
        #expect(diff.summary == "~ feature view v: added column clicks (int64)")
        #expect(CatalogDiff.between(new, old).summary == "~ feature view v: removed column clicks (breaking)")
    }

    static func definitions(extraColumn: String) -> String {
        """
        entities: [{name: user, join_keys: [user_id]}]
        feature_views:
          - name: v
            entities: [user]
            timestamp_field: ts
            schema:
              - {name: user_id, dtype: int64}
              - {name: ts, dtype: timestamp}\(extraColumn)
        """
    }
}
