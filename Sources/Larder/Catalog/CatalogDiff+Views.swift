/// Changes to one feature view: what is breaking for its stored table, and what is not.
extension CatalogDiff {
    static func viewChanges(_ a: FeatureView, _ b: FeatureView, oldKeys: [String], newKeys: [String]) -> [(detail: String, breaking: Bool)] {
        var changes: [(String, Bool)] = []
        if a.entities != b.entities {
            changes.append(("entities changed from \(list(a.entities)) to \(list(b.entities))", true))
        }
        if oldKeys != newKeys {
            changes.append(("key columns changed from \(list(oldKeys)) to \(list(newKeys))", true))
        }
        if a.timestampField != b.timestampField {
            changes.append(("timestamp_field changed from \(a.timestampField) to \(b.timestampField)", true))
        }
        if a.createdTimestampColumn != b.createdTimestampColumn {
            changes.append(("created_timestamp_column changed from \(a.createdTimestampColumn ?? "none") to \(b.createdTimestampColumn ?? "none")", true))
        }
        changes += columnChanges(a, b, oldKeys: oldKeys, newKeys: newKeys)

        if a.ttl != b.ttl {
            changes.append(("ttl changed from \(ttlText(a.ttl)) to \(ttlText(b.ttl))", false))
        }
        if a.online != b.online { changes.append(("online changed from \(a.online) to \(b.online)", false)) }
        if a.expectationSuite != b.expectationSuite {
            changes.append(("expectation suite changed from \(a.expectationSuite ?? "none") to \(b.expectationSuite ?? "none")", false))
        }
        if a.onInvalid != b.onInvalid {
            changes.append(("on_invalid changed from \(a.onInvalid?.rawValue ?? "default") to \(b.onInvalid?.rawValue ?? "default")", false))
        }
        if a.description != b.description { changes.append(("description changed", false)) }
        if a.tags != b.tags { changes.append(("tags changed", false)) }
        return changes
    }

    /// Removed, retyped, newly non-nullable, reordered and added columns.
    private static func columnChanges(_ a: FeatureView, _ b: FeatureView, oldKeys: [String], newKeys: [String]) -> [(String, Bool)] {
        var changes: [(String, Bool)] = []
        let oldByName = Dictionary(a.schema.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
        let newByName = Dictionary(b.schema.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })

        for field in a.schema {
            guard let newType = newByName[field.name] else {
                changes.append(("removed column \(field.name)", true))
                continue
            }
            if newType != field.type {
                changes.append(("column \(field.name) changed type from \(field.type) to \(newType)", true))
            }
        }
        // Key and timestamp columns are not nullable in the table (FeatureView.tableSchema).
        let oldRequired = Set(oldKeys + [a.timestampField])
        let newRequired = Set(newKeys + [b.timestampField])
        for field in b.schema where oldByName[field.name] != nil && !oldRequired.contains(field.name) && newRequired.contains(field.name) {
            changes.append(("column \(field.name) is no longer nullable (it became a key or the timestamp field)", true))
        }
        let oldKept = a.schema.map(\.name).filter { newByName[$0] != nil }
        let newKept = b.schema.map(\.name).filter { oldByName[$0] != nil }
        if oldKept != newKept {
            changes.append(("columns reordered from \(list(oldKept)) to \(list(newKept)); keep existing columns in their order", true))
        }
        let lastKept = b.schema.lastIndex { oldByName[$0.name] != nil } ?? -1
        for (index, field) in b.schema.enumerated() where oldByName[field.name] == nil {
            if index > lastKept {
                changes.append(("added column \(field.name) (\(field.type))", false))
            } else {
                changes.append(("added column \(field.name) (\(field.type)) before existing columns; add new columns at the end", true))
            }
        }
        return changes
    }

    private static func ttlText(_ ttl: Int64?) -> String {
        ttl.map { DurationText.format(microseconds: $0) } ?? "none"
    }
}
