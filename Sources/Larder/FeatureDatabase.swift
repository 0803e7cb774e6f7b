import Foundation
import LarderColumnar
import LarderParquet
import LarderTable
import Synchronization

/// A feature database: a directory holding a versioned catalog (entities, feature views,
/// feature services, expectation suites) and one versioned table per feature view.
///
/// ```
/// <db>/larder.json          the database marker (format version)
/// <db>/catalog/             the catalog's history: a table with one row per apply
/// <db>/tables/<view>/       each feature view's data: a Delta table
/// ```
///
/// ```swift
/// let db = try FeatureDatabase.create(at: "features.larder")
/// try db.apply(try Definitions.load(path: "definitions.yaml"))
/// try db.ingest(files: ["user_stats.parquet"], into: "user_stats")
/// ```
public final class FeatureDatabase: Sendable {
    /// The database directory.
    public let path: String
    let catalogTable: Table
    private let catalogCache = Mutex<(version: Int64, catalog: Catalog)?>(nil)

    static let formatVersion = 1
    static let markerName = "larder.json"

    private init(path: String, catalogTable: Table) {
        self.path = path
        self.catalogTable = catalogTable
    }

    /// The schema of the catalog table.
    static let catalogSchema: Schema = {
        do {
            return try Schema([Field("applied_at", .timestamp, nullable: false), Field("catalog", .string, nullable: false),
                               Field("summary", .string)])
        } catch { preconditionFailure("static schema: \(error)") }
    }()

    /// Creates an empty database at `path`.
    /// - Throws: `.alreadyExists` when a database is there.
    public static func create(at path: String) throws -> FeatureDatabase {
        let marker = path + "/" + markerName
        if FileManager.default.fileExists(atPath: marker) {
            throw DatabaseError(.alreadyExists, "a Larder database already exists at \(path)")
        }
        do {
            try FileManager.default.createDirectory(atPath: path + "/tables", withIntermediateDirectories: true)
            let table = try Table.create(at: path + "/catalog", schema: catalogSchema, name: "catalog")
            let info = "{\"format\": \(formatVersion), \"engine\": \"larder/\(LarderVersion.string)\"}\n"
            try Data(info.utf8).write(to: URL(fileURLWithPath: marker), options: .atomic)
            return FeatureDatabase(path: path, catalogTable: table)
        } catch let e as DatabaseError {
            throw e
        } catch {
            throw DatabaseError(.io, "cannot create a database at \(path)", underlying: error)
        }
    }

    /// Opens the database at `path`.
    /// - Throws: `.notFound` when there is none (run `larder init`).
    public static func open(at path: String) throws -> FeatureDatabase {
        let marker = path + "/" + markerName
        guard let data = FileManager.default.contents(atPath: marker) else {
            throw DatabaseError(.notFound, "no Larder database at \(path) (create one with `larder init`)")
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let format = json["format"] as? Int else {
            throw DatabaseError(.io, "\(marker) is damaged")
        }
        guard format <= formatVersion else {
            throw DatabaseError(.io, "the database at \(path) has format \(format); this Larder reads format \(formatVersion) — upgrade Larder")
        }
        return FeatureDatabase(path: path, catalogTable: try Table.open(at: path + "/catalog"))
    }

    /// Opens the database at `path`, creating it if there is none.
    public static func openOrCreate(at path: String) throws -> FeatureDatabase {
        FileManager.default.fileExists(atPath: path + "/" + markerName) ? try open(at: path) : try create(at: path)
    }

    // MARK: Catalog

    /// The current catalog.
    public func catalog() throws -> Catalog {
        let snapshot = try catalogTable.snapshot()
        if let cached = catalogCache.withLock({ $0 }), cached.version == snapshot.version { return cached.catalog }
        let catalog = try Self.latestCatalog(in: snapshot)
        catalogCache.withLock { $0 = (snapshot.version, catalog) }
        return catalog
    }

    /// The catalog as it was at time `micros` (since the epoch).
    public func catalog(asOf micros: Int64) throws -> Catalog {
        do {
            return try Self.latestCatalog(in: try catalogTable.snapshot(asOf: micros))
        } catch let e as TableError where e.code == .invalidArgument {
            throw DatabaseError(.unknownName, "the database did not exist at \(Timestamp.iso8601(micros: micros))")
        }
    }

    /// Every applied catalog, oldest first: when, and what changed.
    public func catalogHistory() throws -> [(appliedAt: Int64, summary: String)] {
        let batch = try catalogTable.snapshot().read(columns: ["applied_at", "summary"])
        guard let times = batch.columns[0].int64Values else { return [] }
        return times.indices.map { i in
            if case .string(let s) = batch.columns[1][i] { return (times[i], s) }
            return (times[i], "")
        }.sorted { $0.appliedAt < $1.appliedAt }
    }

    private static func latestCatalog(in snapshot: Snapshot) throws -> Catalog {
        let batch = try snapshot.read()
        guard batch.rowCount > 0, let times = batch.columns[0].int64Values,
              let last = times.indices.max(by: { times[$0] < times[$1] }) else { return Catalog() }
        guard case .string(let json) = batch.columns[1][last] else { throw DatabaseError(.io, "the catalog row is damaged") }
        do {
            return try JSONDecoder().decode(Catalog.self, from: Data(json.utf8))
        } catch {
            throw DatabaseError(.io, "the stored catalog does not decode: \(error)")
        }
    }

    /// The key columns of `view` (its entities' join keys, in order).
    public func keys(of view: FeatureView, in catalog: Catalog) throws -> [String] {
        var keys: [String] = []
        for name in view.entities {
            guard let entity = catalog.entity(named: name) else {
                throw DatabaseError(.unknownName, "feature view '\(view.name)' uses unknown entity '\(name)'")
            }
            keys += entity.joinKeys.filter { !keys.contains($0) }
        }
        return keys
    }

    /// The view called `name`.
    public func featureView(_ name: String) throws -> FeatureView {
        let catalog = try catalog()
        guard let view = catalog.featureView(named: name) else {
            let known = catalog.featureViews.map(\.name).joined(separator: ", ")
            throw DatabaseError(.unknownName, "no feature view '\(name)'" + (known.isEmpty ? "; apply definitions first" : " (known: \(known))"))
        }
        return view
    }

    /// The versioned table holding `view`'s rows.
    /// `<view>__quarantine` (rows the view's suite quarantined) opens too, once it exists.
    public func table(for view: String) throws -> Table {
        let quarantine = "__quarantine"
        if view.hasSuffix(quarantine), FileManager.default.fileExists(atPath: tablePath(view) + "/_delta_log") {
            _ = try featureView(String(view.dropLast(quarantine.count)))
            return try Table.open(at: tablePath(view))
        }
        _ = try featureView(view)
        return try Table.open(at: tablePath(view))
    }

    func tablePath(_ view: String) -> String { path + "/tables/" + view }
}
