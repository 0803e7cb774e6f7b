/// The points between the steps of a durable write (``TableStorage/writeDurably(_:to:)``) or
/// a put-if-absent publish (``TableStorage/publishIfAbsent(_:at:)``), where
/// ``FaultInjectingStorage`` can fail or "crash" the operation.
///
/// A durable write runs: create and write a temporary sibling, fsync it, rename (or link) it
/// into place, fsync the directory. The cases name the moment between two of those steps.
public enum DurableWriteStep: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Before the temporary file is created: nothing is on disk yet.
    case beforeWrite
    /// The temporary file holds all the bytes but has not been fsynced.
    case afterWrite
    /// The temporary file is fsynced; the target is not in place yet.
    case afterSync
    /// The target is in place (renamed or linked); the directory has not been fsynced.
    case afterRename

    public var description: String {
        switch self {
        case .beforeWrite: "before writing the temporary file"
        case .afterWrite: "after writing the temporary file, before fsync"
        case .afterSync: "after fsync, before rename"
        case .afterRename: "after rename, before the directory fsync"
        }
    }
}
