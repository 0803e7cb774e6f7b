import LarderColumnar
import LarderTable

/// One feature view of a point-in-time request, resolved: its keys, the features asked for
/// and the table version read.
struct ViewRequest: Sendable {
    let view: FeatureView
    let keys: [String]
    /// Plain feature names, in output order.
    let features: [String]
    let snapshot: Snapshot
    let selectedBy: String
    /// Output column name of each feature.
    let outputNames: [String]
    /// Output name of the matched row's event time, when asked for.
    let timeOutputName: String?
}

/// A checked point-in-time request: every name resolved, the spine's columns checked, the
/// output schema fixed. Built before any table data is read.
struct HistoricalPlan: Sendable {
    let views: [ViewRequest]
    let spineTime: String
    let outputSchema: Schema
}

extension FeatureDatabase {
    /// Resolves `features` against the catalog and checks them against a spine of `spineSchema`.
    func planHistorical(spineSchema: Schema, features: FeatureSelection, options: HistoricalOptions) throws -> HistoricalPlan {
        let catalog = try catalog()
        let refs = try Self.references(in: features, catalog: catalog)

        // Group by view, in first-mention order, without repeats.
        var order: [String] = []
        var wanted: [String: [String]] = [:]
        for ref in refs {
            guard let view = catalog.featureView(named: ref.view) else {
                let known = catalog.featureViews.map(\.name).joined(separator: ", ")
                throw DatabaseError(.unknownName, "no feature view '\(ref.view)' (requested by '\(ref)'; known: \(known))")
            }
            let all = view.featureNames(keys: try keys(of: view, in: catalog))
            if wanted[view.name] == nil { order.append(view.name); wanted[view.name] = [] }
            let names: [String]
            if let feature = ref.feature {
                guard all.contains(feature) else {
                    throw DatabaseError(.unknownName, "feature view '\(view.name)' has no feature '\(feature)' (features: \(all.joined(separator: ", ")))")
                }
                names = [feature]
            } else {
                names = all
            }
            for n in names where !(wanted[view.name] ?? []).contains(n) { wanted[view.name, default: []].append(n) }
        }
        for name in options.asOf.keys where wanted[name] == nil {
            throw DatabaseError(.invalidInput, "as-of names view '\(name)', which the request does not read")
        }

        let spineTime = try Self.spineTimeColumn(spineSchema, options: options)
        var taken = Set(spineSchema.names)
        var fields = spineSchema.fields
        var views: [ViewRequest] = []
        for name in order {
            guard let view = catalog.featureView(named: name) else { continue }
            let keys = try keys(of: view, in: catalog)
            let snapshot = try snapshot(of: view.name, at: options.asOf[name] ?? .latest)
            for key in keys {
                guard let spineField = spineSchema.field(named: key) else {
                    throw DatabaseError(.invalidInput, "the spine has no column '\(key)', a key of feature view '\(view.name)' (spine columns: \(spineSchema.names.joined(separator: ", ")))")
                }
                guard let tableField = snapshot.schema.field(named: key) else {
                    throw DatabaseError(.io, "the table of '\(view.name)' has no key column '\(key)'")
                }
                guard let a = KeyCode.family(of: spineField.type), a == KeyCode.family(of: tableField.type) else {
                    throw DatabaseError(.invalidInput, "spine column '\(key)' is \(spineField.type); feature view '\(view.name)' keys it as \(tableField.type)")
                }
            }
            var outputNames: [String] = []
            for feature in wanted[name] ?? [] {
                guard let field = snapshot.schema.field(named: feature) else {
                    throw DatabaseError(.unknownName, "feature '\(feature)' of view '\(view.name)' is not in its table at version \(snapshot.version)")
                }
                let out = options.fullFeatureNames ? "\(view.name)__\(feature)" : feature
                guard taken.insert(out).inserted else {
                    throw DatabaseError(.invalidInput, "output column '\(out)' would appear twice (a spine column or another view's feature has that name); use full feature names")
                }
                outputNames.append(out)
                fields.append(Field(out, field.type, nullable: true))
            }
            var timeName: String?
            if options.includeFeatureTimestamps {
                let out = "\(view.name)__\(view.timestampField)"
                guard taken.insert(out).inserted else {
                    throw DatabaseError(.invalidInput, "output column '\(out)' would appear twice")
                }
                timeName = out
                fields.append(Field(out, .timestamp, nullable: true))
            }
            views.append(ViewRequest(view: view, keys: keys, features: wanted[name] ?? [], snapshot: snapshot,
                                     selectedBy: options.asOf[name]?.description ?? "latest",
                                     outputNames: outputNames, timeOutputName: timeName))
        }
        return HistoricalPlan(views: views, spineTime: spineTime, outputSchema: try Schema(fields))
    }

    /// The spine's event-time column: the one named in `options`, else `event_timestamp`, else
    /// `event_ts`, else the only timestamp column.
    static func spineTimeColumn(_ schema: Schema, options: HistoricalOptions) throws -> String {
        let name: String
        if let named = options.spineTimestampColumn {
            name = named
        } else if let found = ["event_timestamp", "event_ts"].first(where: { schema.index(of: $0) != nil }) {
            name = found
        } else {
            let stamps = schema.fields.filter { $0.type == .timestamp }
            guard stamps.count == 1 else {
                throw DatabaseError(.invalidInput, stamps.isEmpty
                    ? "the spine has no timestamp column (columns: \(schema.names.joined(separator: ", ")))"
                    : "the spine has several timestamp columns (\(stamps.map(\.name).joined(separator: ", "))); name the event time with spineTimestampColumn (--spine-timestamp)")
            }
            name = stamps[0].name
        }
        guard let field = schema.field(named: name) else {
            throw DatabaseError(.invalidInput, "the spine has no column '\(name)' (columns: \(schema.names.joined(separator: ", ")))")
        }
        guard field.type == .timestamp else {
            throw DatabaseError(.invalidInput, "spine column '\(name)' is \(field.type); the spine's event time must be a timestamp")
        }
        return name
    }

    /// The feature references `selection` names (a service's, resolved in `catalog`).
    /// - Throws: `.unknownName` for an unknown service; `.invalidInput` when nothing is named.
    static func references(in selection: FeatureSelection, catalog: Catalog) throws -> [FeatureReference] {
        let refs: [FeatureReference]
        switch selection {
        case .references(let r): refs = r
        case .service(let name):
            guard let service = catalog.featureService(named: name) else {
                let known = catalog.featureServices.map(\.name).joined(separator: ", ")
                throw DatabaseError(.unknownName, "no feature service '\(name)'" + (known.isEmpty ? "" : " (known: \(known))"))
            }
            refs = service.features
        }
        guard !refs.isEmpty else { throw DatabaseError(.invalidInput, "no features requested") }
        return refs
    }
}
