#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LarderColumnar

/// A reader of one feature view's online store: the files `CURRENT` names, memory-mapped.
///
/// A store value is an immutable snapshot: lookups never lock, allocate (for single-column
/// keys) or make system calls, and any number of threads may use the same value at once.
/// ``refresh()`` moves a value to the newest published state; a service that shares one store
/// between tasks gives each task its own copy (a copy is one reference) and refreshes it when
/// it wants newer data. Files a snapshot has mapped stay readable after a writer removes them.
///
/// ```swift
/// var store = try OnlineStore.open(directory: "features.larder/online/user_stats")
/// if let row = store.lookup(Int64(42)) {
///     print(row.eventTimestamp, row.int32(0) ?? 0)
/// }
/// try store.refresh()   // picks up a newer publish, if any
/// ```
public struct OnlineStore: Sendable {
    /// How much of each file ``open(directory:verification:preload:)`` checks.
    public enum Verification: Sendable, Equatable {
        /// The header (its checksum, the format version, the recorded size against the file's
        /// size, the section bounds) and the schema section: constant time.
        case header
        /// Also every section's checksum for files up to 64 MiB (overlays, small views);
        /// larger files get the header check only. The default.
        case automatic
        /// Every section's checksum for every file (reads the whole files once).
        case full

        /// Files up to this size are fully verified by ``automatic``.
        static let automaticLimit = 64 << 20
    }

    /// The mapped files of one published state.
    final class State: Sendable {
        let pointer: CurrentPointer
        /// Newest first: overlays from the newest to the oldest, then the base.
        let layers: [MappedTable]

        init(pointer: CurrentPointer, layers: [MappedTable]) {
            self.pointer = pointer
            self.layers = layers
        }

        var base: MappedTable { layers[layers.count - 1] }
    }

    /// The store directory.
    public let directory: String
    private(set) var state: State
    private let verification: Verification
    private let preload: Bool

    /// Opens the state that `<directory>/CURRENT` names.
    ///
    /// - Parameters:
    ///   - directory: The view's store directory.
    ///   - verification: How much of each file to check (see ``Verification``).
    ///   - preload: Whether to read every mapped page into memory now (`MAP_POPULATE`), so
    ///     that no lookup waits for a page fault.
    /// - Throws: ``OnlineStoreError``: `.notFound` without `CURRENT`; `.missingFile` when
    ///   `CURRENT` names an absent file; `.corrupt`, `.unsupportedVersion` or
    ///   `.schemaMismatch` for damaged or inconsistent files; `.io` for system failures.
    public static func open(directory: String, verification: Verification = .automatic,
                            preload: Bool = false) throws -> OnlineStore {
        let state = try loadState(directory: directory, previous: nil, verification: verification, preload: preload)
        return OnlineStore(directory: directory, state: state, verification: verification, preload: preload)
    }

    private init(directory: String, state: State, verification: Verification, preload: Bool) {
        self.directory = directory
        self.state = state
        self.verification = verification
        self.preload = preload
    }

    /// Moves to the newest published state. Cheap when nothing changed (one small read of
    /// `CURRENT`); files shared with the current state stay mapped instead of being re-checked.
    /// - Returns: Whether the state changed.
    /// - Throws: ``OnlineStoreError`` as ``open(directory:verification:preload:)``; on error
    ///   the store keeps its previous state.
    @discardableResult
    public mutating func refresh() throws -> Bool {
        guard let pointer = try CurrentPointer.read(directory: directory) else {
            throw OnlineStoreError(.notFound, "the online store has no CURRENT file; build it with `larder materialize`", path: directory)
        }
        guard pointer != state.pointer else { return false }
        state = try Self.loadState(directory: directory, previous: state, verification: verification, preload: preload)
        return true
    }

    /// Checks every section checksum of every file of the current state (the base file of a
    /// large view is otherwise only header-checked at open).
    /// - Throws: ``OnlineStoreError`` `.corrupt` naming the damaged file.
    public func verify() throws {
        for table in state.layers { try table.verifySections() }
    }

    /// The schema of the stored rows.
    public var schema: OnlineSchema { state.base.schema }
    /// The newest offline table version the state reflects.
    public var tableVersion: Int64 { state.pointer.tableVersion }
    /// The publish generation of the state (grows with every publish).
    public var generation: UInt64 { state.pointer.generation }
    /// The data files of the state: the base, then the overlays oldest first.
    public var files: [String] { state.pointer.files }
    /// The number of overlay files reads consult before the base.
    public var overlayCount: Int { state.pointer.overlays.count }
}

// MARK: - Loading

extension OnlineStore {
    /// Reads `CURRENT` and maps its files, retrying when a writer replaced `CURRENT` and
    /// removed a file between the read and the open.
    static func loadState(directory: String, previous: State?, verification: Verification,
                          preload: Bool) throws -> State {
        var attempts = 0
        while true {
            guard let pointer = try CurrentPointer.read(directory: directory) else {
                throw OnlineStoreError(.notFound, "the online store has no CURRENT file; build it with `larder materialize`", path: directory)
            }
            do {
                return try mapState(pointer, directory: directory, previous: previous,
                                    verification: verification, preload: preload)
            } catch let error as OnlineStoreError where error.code == .missingFile {
                // A writer may have published and removed the file since CURRENT was read.
                attempts += 1
                if attempts < 16, let again = try CurrentPointer.read(directory: directory), again != pointer { continue }
                throw error
            }
        }
    }

    static func mapState(_ pointer: CurrentPointer, directory: String, previous: State?,
                                 verification: Verification, preload: Bool) throws -> State {
        var reusable: [String: MappedTable] = [:]
        if let previous {
            for (name, table) in zip(previous.pointer.files, [previous.base] + previous.layers.dropLast().reversed()) {
                reusable[name] = table
            }
        }
        func map(_ name: String, kind: FileHeader.Kind) throws -> MappedTable {
            let path = directory + "/" + name
            let table: MappedTable
            if let old = reusable[name], old.isSameFile(asPath: path) {
                table = old
            } else {
                table = try MappedTable(path: path, verification: verification, preload: preload)
            }
            guard table.header.kind == kind else {
                throw OnlineStoreError.corrupt("CURRENT names it as \(kind == .base ? "the base" : "an overlay") but it is \(kind == .base ? "an overlay" : "a base file")", path: path)
            }
            guard table.header.schemaHash == pointer.schemaHash else {
                throw OnlineStoreError(.schemaMismatch, "the file's schema hash \(hex(table.header.schemaHash)) differs from CURRENT's \(hex(pointer.schemaHash)): \(OnlineStoreError.rebuildAdvice)", path: path)
            }
            return table
        }
        let base = try map(pointer.base, kind: .base)
        var layers: [MappedTable] = []
        for name in pointer.overlays.reversed() { layers.append(try map(name, kind: .overlay)) }
        layers.append(base)
        return State(pointer: pointer, layers: layers)
    }

}

extension MappedTable {
    /// Whether `path` is still the file this table mapped (same device and inode).
    func isSameFile(asPath path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }
}
