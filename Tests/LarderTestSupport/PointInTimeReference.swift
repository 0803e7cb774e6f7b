// A deliberately naive point-in-time join, written straight from the contract (DESIGN.md,
// "Point-in-time semantics") and independent of the engine in Sources/Larder/Historical: for
// each spine row and each view it looks at every row of every visible commit. O(spine × rows);
// meant for tables of tens of rows in differential tests, never for real data.

import LarderColumnar

/// The point-in-time answer computed the slow, obvious way.
///
/// For each spine row (keys, ts) and each view: the candidates are the rows of the view's first
/// `visibleCommits` commits with the same keys and `ts - ttl <= event_ts <= ts` (no lower bound
/// without a ttl) and, in available-at mode, `created_ts <= ts`. The winner has the greatest
/// event time, then the greatest created time (a null created time is lower than any other),
/// then the later commit, then the later row within its commit. No candidate, a null spine key
/// or a null spine time gives nulls.
///
/// Output: the spine's fields and columns untouched, then per view its features as
/// `view__feature` (or `feature` with `fullFeatureNames == false`), followed, when
/// `includeFeatureTimestamps`, by `view__<timestamp field>` (the winner's event time).
public enum PointInTimeReference {
    /// One feature view as the reference sees it: its rows commit by commit, as ingested.
    public struct View: Sendable {
        public var name: String
        /// Key columns, in the view's order; the spine has columns of the same names.
        public var keys: [String]
        /// The event-time column.
        public var timestamp: String
        /// The created-time column, if the view has one.
        public var created: String?
        /// Time to live in µs; nil: no lower bound.
        public var ttl: Int64?
        /// The features to output, in output order.
        public var features: [String]
        /// Each feature's type (the view's declared type; the output column has this type even
        /// when no commit is visible).
        public var featureTypes: [String: DataType]
        /// The batches ingested, one per commit, in commit order (row order = input order).
        public var commits: [RecordBatch]
        /// How many commits the request sees (the table version read, when the table was
        /// created empty at version 0 and each commit added one version); nil: all of them.
        public var visibleCommits: Int?

        public init(name: String, keys: [String], timestamp: String, created: String?, ttl: Int64?,
                    features: [String], featureTypes: [String: DataType], commits: [RecordBatch],
                    visibleCommits: Int? = nil) {
            self.name = name
            self.keys = keys
            self.timestamp = timestamp
            self.created = created
            self.ttl = ttl
            self.features = features
            self.featureTypes = featureTypes
            self.commits = commits
            self.visibleCommits = visibleCommits
        }
    }

    /// Options mirroring the engine's `HistoricalOptions`.
    public struct Options: Sendable {
        public var availableAt = false
        public var fullFeatureNames = true
        public var includeFeatureTimestamps = false
        public init(availableAt: Bool = false, fullFeatureNames: Bool = true, includeFeatureTimestamps: Bool = false) {
            self.availableAt = availableAt
            self.fullFeatureNames = fullFeatureNames
            self.includeFeatureTimestamps = includeFeatureTimestamps
        }
    }

    /// The answer: the output batch, and per view how many spine rows found a row.
    public struct Answer: Sendable {
        public var batch: RecordBatch
        public var matched: [String: Int]
        /// Per view and spine row, the winner as (commit, row), nil for no match; for messages.
        public var winners: [String: [(commit: Int, row: Int)?]]
    }

    /// A reference failure: the inputs do not describe a request (a missing column, ...).
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// Joins `spine` with `views`.
    /// - Parameter spineTimestamp: the spine's event-time column.
    public static func join(spine: RecordBatch, spineTimestamp: String, views: [View],
                            options: Options = .init()) throws -> Answer {
        guard let spineTime = spine.column(named: spineTimestamp) else {
            throw Failure("spine has no column '\(spineTimestamp)'")
        }
        var fields = spine.schema.fields
        var columns = spine.columns
        var matched: [String: Int] = [:]
        var winners: [String: [(commit: Int, row: Int)?]] = [:]
        for view in views {
            let spineKeys = try view.keys.map { key -> Column in
                guard let c = spine.column(named: key) else { throw Failure("spine has no key column '\(key)'") }
                return c
            }
            let visible = Array(view.commits.prefix(view.visibleCommits ?? view.commits.count))
            var chosen: [(commit: Int, row: Int)?] = []
            for i in 0 ..< spine.rowCount {
                chosen.append(try winner(spineKeys: spineKeys.map { $0[i] }, time: spineTime[i], view: view,
                                         commits: visible, availableAt: options.availableAt))
            }
            matched[view.name] = chosen.filter { $0 != nil }.count
            winners[view.name] = chosen
            var outputs: [(name: String, type: DataType)] = try view.features.map { feature in
                guard let type = view.featureTypes[feature] else {
                    throw Failure("view '\(view.name)' has no type for feature '\(feature)'")
                }
                return (feature, type)
            }
            if options.includeFeatureTimestamps { outputs.append((view.timestamp, .timestamp)) }
            for (source, type) in outputs {
                var builder = ColumnBuilder(type: type, capacity: spine.rowCount)
                for pick in chosen {
                    guard let pick else { builder.appendNull(); continue }
                    guard let column = visible[pick.commit].column(named: source) else {
                        throw Failure("commit \(pick.commit) of view '\(view.name)' has no column '\(source)'")
                    }
                    try builder.append(column[pick.row])
                }
                let name = options.fullFeatureNames ? "\(view.name)__\(source)" : source
                fields.append(Field(name, type))
                columns.append(builder.finish())
            }
        }
        let batch = try RecordBatch(schema: Schema(fields), columns: columns)
        return Answer(batch: batch, matched: matched, winners: winners)
    }

    /// One row of a view that a spine row may take.
    public struct Candidate: Sendable, Hashable {
        public var event: Int64
        public var created: Int64?
        public var commit: Int
        public var row: Int
    }

    /// The winning (commit, row) of `view` for one spine row, or nil.
    static func winner(spineKeys: [Value], time: Value, view: View, commits: [RecordBatch],
                       availableAt: Bool) throws -> (commit: Int, row: Int)? {
        let all = try candidates(spineKeys: spineKeys, time: time, view: view, commits: commits, availableAt: availableAt)
        var best: Candidate?
        for c in all where best.map({ isLater(c, than: $0) }) ?? true { best = c }
        return best.map { ($0.commit, $0.row) }
    }

    /// Every row of `commits` that the spine row (keys `spineKeys`, time `time`) may take, in
    /// commit and row order; empty for a null key or time.
    public static func candidates(spineKeys: [Value], time: Value, view: View, commits: [RecordBatch],
                                  availableAt: Bool) throws -> [Candidate] {
        guard case .timestamp(let ts) = time, !spineKeys.contains(where: \.isNull) else { return [] }
        var out: [Candidate] = []
        for (c, batch) in commits.enumerated() {
            guard let events = batch.column(named: view.timestamp) else {
                throw Failure("commit \(c) of view '\(view.name)' has no column '\(view.timestamp)'")
            }
            let keyColumns = try view.keys.map { key -> Column in
                guard let column = batch.column(named: key) else {
                    throw Failure("commit \(c) of view '\(view.name)' has no key column '\(key)'")
                }
                return column
            }
            let createdColumn = try view.created.map { name -> Column in
                guard let column = batch.column(named: name) else {
                    throw Failure("commit \(c) of view '\(view.name)' has no created column '\(name)'")
                }
                return column
            }
            for r in 0 ..< batch.rowCount {
                guard keyColumns.indices.allSatisfy({ keyColumns[$0][r] == spineKeys[$0] }) else { continue }
                guard case .timestamp(let event) = events[r] else { continue }
                guard event <= ts else { continue }
                if let ttl = view.ttl, event < ts - ttl { continue }
                var created: Int64?
                if let createdColumn {
                    if case .timestamp(let t) = createdColumn[r] { created = t }
                    // Available-at: a row whose created time is unknown is not known to be available.
                    if availableAt && (created.map { $0 > ts } ?? true) { continue }
                }
                out.append(Candidate(event: event, created: created, commit: c, row: r))
            }
        }
        return out
    }

    /// The contract's order: event time, then created time (null lowest), then commit, then row.
    public static func isLater(_ a: Candidate, than b: Candidate) -> Bool {
        if a.event != b.event { return a.event > b.event }
        if a.created != b.created {
            guard let ac = a.created else { return false }
            guard let bc = b.created else { return true }
            return ac > bc
        }
        if a.commit != b.commit { return a.commit > b.commit }
        return a.row > b.row
    }
}

extension PointInTimeReference {
    /// Whether two values are the same for result comparison: floats bit for bit (so NaN equals
    /// NaN and -0.0 differs from 0.0), vectors element by element, everything else with `==`.
    public static func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.float32(let x), .float32(let y)): return x.bitPattern == y.bitPattern
        case (.float64(let x), .float64(let y)): return x.bitPattern == y.bitPattern
        case (.vector(let x), .vector(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern }
        default: return a == b
        }
    }

    /// Human-readable differences between an engine's batch and the reference's (at most
    /// `limit`), empty when they agree: column names and order, types, then values row by row.
    public static func differences(got: RecordBatch, expected: RecordBatch, limit: Int = 10) -> [String] {
        var out: [String] = []
        if got.schema.names != expected.schema.names {
            out.append("columns: got \(got.schema.names), expected \(expected.schema.names)")
        }
        if got.rowCount != expected.rowCount {
            out.append("rows: got \(got.rowCount), expected \(expected.rowCount)")
        }
        for field in expected.schema.fields {
            guard let g = got.schema.field(named: field.name), let gc = got.column(named: field.name),
                  let ec = expected.column(named: field.name) else {
                if out.count < limit { out.append("missing column \(field.name)") }
                continue
            }
            if g.type != field.type { out.append("\(field.name): got type \(g.type), expected \(field.type)") }
            for row in 0 ..< min(gc.count, ec.count) where !same(gc[row], ec[row]) {
                guard out.count < limit else { return out }
                out.append("row \(row) \(field.name): got \(gc[row]), expected \(ec[row])")
            }
        }
        return Array(out.prefix(limit))
    }
}
