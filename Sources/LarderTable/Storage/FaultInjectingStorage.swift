import Synchronization

/// A ``TableStorage`` for tests: real files through a ``PosixStorage``, plus injected I/O
/// failures and simulated crashes between the steps of a durable write.
///
/// A *failure* throws ``TableError`` `.io` the way a failing system call would: the write
/// removes its temporary file and the storage stays usable. A *crash* throws `.simulatedCrash`
/// and leaves the files exactly as they were at that step (a temporary file may remain, as
/// after a real crash); from then on every throwing call throws `.simulatedCrash`, because the
/// process is "dead". To look at what survived, use ``base`` (or a new ``PosixStorage``): that
/// is the restarted process.
///
/// The steps are those of ``PosixStorage``'s own durable write, which calls back into this
/// storage between them (see ``DurableWriteStep``), so the crashed state is the real one.
///
/// ```swift
/// let storage = FaultInjectingStorage()
/// storage.inject(.crashPublish(call: 2, at: .afterSync))
/// _ = try storage.publishIfAbsent(v0, at: log0)   // succeeds
/// _ = try storage.publishIfAbsent(v1, at: log1)   // throws .simulatedCrash; log1 absent
/// ```
public final class FaultInjectingStorage: TableStorage {
    /// A fault to inject. Calls are counted per operation from 1, across all threads.
    public enum Fault: Sendable, Hashable {
        /// The `call`th ``publishIfAbsent(_:at:)`` fails with `.io` at `step` (by default
        /// before the rename, so nothing is published; at `.afterRename` the file *is*
        /// published but the caller sees an error, as when the directory fsync fails).
        case failPublish(call: Int, at: DurableWriteStep = .afterSync)
        /// The `call`th ``writeDurably(_:to:)`` fails with `.io` at `step`.
        case failWrite(call: Int, at: DurableWriteStep = .afterSync)
        /// The process crashes at `step` of the `call`th ``publishIfAbsent(_:at:)``.
        case crashPublish(call: Int, at: DurableWriteStep)
        /// The process crashes at `step` of the `call`th ``writeDurably(_:to:)``.
        case crashWrite(call: Int, at: DurableWriteStep)
    }

    /// The operations of ``TableStorage``, for ``callCount(_:)``.
    public enum Operation: Sendable, Hashable, CaseIterable {
        case createDirectory, exists, list, read, writeDurably, publishIfAbsent, remove,
             attributes, syncDirectory
    }

    private struct State {
        var faults: [Fault] = []
        var calls: [Operation: Int] = [:]
        /// What crashed, once something did.
        var crash: String?
    }

    /// The storage that does the real work; after a crash, it is the "restarted process".
    public let base: PosixStorage
    private let state = Mutex(State())

    /// Wraps `base` (by default a new ``PosixStorage``).
    public init(wrapping base: PosixStorage = PosixStorage()) {
        self.base = base
    }

    /// Adds `fault`; faults fire at most once each (their call number passes once).
    public func inject(_ fault: Fault) {
        state.withLock { $0.faults.append(fault) }
    }

    /// How many times `operation` has been called, including calls that failed.
    public func callCount(_ operation: Operation) -> Int {
        state.withLock { $0.calls[operation, default: 0] }
    }

    /// How many times ``publishIfAbsent(_:at:)`` has been called.
    public var publishCalls: Int { callCount(.publishIfAbsent) }

    /// How many times ``writeDurably(_:to:)`` has been called.
    public var writeCalls: Int { callCount(.writeDurably) }

    /// Whether a simulated crash has happened.
    public var hasCrashed: Bool { state.withLock { $0.crash != nil } }

    // MARK: TableStorage

    public func createDirectory(_ path: String) throws {
        _ = try begin(.createDirectory, path)
        try base.createDirectory(path)
    }

    /// Whether something exists at `path`. This call cannot throw, so after a crash it still
    /// answers truthfully (the next throwing call reports the crash).
    public func exists(_ path: String) -> Bool {
        _ = try? begin(.exists, path)
        return base.exists(path)
    }

    public func list(_ directory: String) throws -> [String] {
        _ = try begin(.list, directory)
        return try base.list(directory)
    }

    public func read(_ path: String) throws -> [UInt8] {
        _ = try begin(.read, path)
        return try base.read(path)
    }

    public func writeDurably(_ bytes: [UInt8], to path: String) throws {
        let call = try begin(.writeDurably, path)
        _ = try base.place(bytes, at: path, replacing: true) { step in
            try self.checkpoint(.writeDurably, call: call, step: step, path: path)
        }
    }

    public func publishIfAbsent(_ bytes: [UInt8], at path: String) throws -> Bool {
        let call = try begin(.publishIfAbsent, path)
        return try base.place(bytes, at: path, replacing: false) { step in
            try self.checkpoint(.publishIfAbsent, call: call, step: step, path: path)
        }
    }

    public func remove(_ path: String) throws {
        _ = try begin(.remove, path)
        try base.remove(path)
    }

    public func attributes(_ path: String) throws -> FileAttributes {
        _ = try begin(.attributes, path)
        return try base.attributes(path)
    }

    public func syncDirectory(_ path: String) throws {
        _ = try begin(.syncDirectory, path)
        try base.syncDirectory(path)
    }

    // MARK: Faults

    /// Counts a call to `operation`; throws `.simulatedCrash` when the process is dead.
    /// - Returns: the call's number (from 1).
    private func begin(_ operation: Operation, _ path: String) throws -> Int {
        let (call, crash) = state.withLock { state in
            state.calls[operation, default: 0] += 1
            return (state.calls[operation, default: 0], state.crash)
        }
        if let crash { throw Self.deadError(crash, path: path) }
        return call
    }

    /// Runs between the steps of a durable write: fails or crashes it if a fault says so, and
    /// stops it if another thread crashed the process meanwhile.
    private func checkpoint(_ operation: Operation, call: Int, step: DurableWriteStep, path: String) throws {
        enum Outcome { case proceed, fail, crash(String), dead(String) }
        let outcome: Outcome = state.withLock { state in
            if let crash = state.crash { return .dead(crash) }
            for fault in state.faults {
                switch (fault, operation) {
                case (.failPublish(call, step), .publishIfAbsent), (.failWrite(call, step), .writeDurably):
                    return .fail
                case (.crashPublish(call, step), .publishIfAbsent), (.crashWrite(call, step), .writeDurably):
                    let what = "\(operation) call \(call), \(step)"
                    state.crash = what
                    return .crash(what)
                default:
                    continue
                }
            }
            return .proceed
        }
        switch outcome {
        case .proceed:
            return
        case .fail:
            throw TableError(.io, "injected I/O error in \(operation) call \(call), \(step)", path: path)
        case .crash(let what):
            throw TableError(.simulatedCrash, "simulated crash in \(what)", path: path)
        case .dead(let crash):
            throw Self.deadError(crash, path: path)
        }
    }

    private static func deadError(_ crash: String, path: String) -> TableError {
        TableError(.simulatedCrash, "the storage crashed earlier (simulated, in \(crash)); no call can succeed",
                   path: path)
    }
}
