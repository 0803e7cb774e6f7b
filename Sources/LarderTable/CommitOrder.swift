/// Where a data file's rows stand in the order they were committed, which decides
/// point-in-time ties ("the row from the later commit wins") even after compaction and
/// deletes have rewritten files.
///
/// A file covers the commits `firstVersion ... lastVersion` (one commit for a file an append
/// wrote; the merged range for a compacted file; a rewritten file keeps its source's). Live
/// files' ranges never partly overlap: compaction always takes every live file whose range
/// meets the range it rewrites. So every row of a file with a smaller `(firstVersion, part)`
/// was committed before every row of a file with a larger one, and within a file a later row
/// was committed later (files are written with a stable sort).
///
/// Stored in the `add` action's `tags` as `larder.firstVersion`, `larder.lastVersion` and
/// `larder.part` (the file's index among the files one write produced). Files without tags
/// (from other writers, or older Larder) cover just the commit that added them, as part 0.
public struct CommitOrder: Sendable, Hashable, Comparable {
    public var firstVersion: Int64
    public var lastVersion: Int64
    public var part: Int

    public init(firstVersion: Int64, lastVersion: Int64, part: Int) {
        self.firstVersion = firstVersion
        self.lastVersion = lastVersion
        self.part = part
    }

    static let firstKey = "larder.firstVersion"
    static let lastKey = "larder.lastVersion"
    static let partKey = "larder.part"

    /// The order of a file from its `add` tags and the version that added it.
    init(tags: [String: String]?, addedVersion: Int64) {
        let first = tags?[Self.firstKey].flatMap { Int64($0) } ?? addedVersion
        let last = tags?[Self.lastKey].flatMap { Int64($0) } ?? first
        self.init(firstVersion: first, lastVersion: max(first, last), part: tags?[Self.partKey].flatMap { Int($0) } ?? 0)
    }

    /// The tags for a file written with this order. Versions are omitted when `ownCommit` (the
    /// file covers just the commit that adds it, whose number is not known until it publishes).
    func tags(ownCommit: Bool) -> [String: String] {
        var tags = [Self.partKey: "\(part)"]
        if !ownCommit {
            tags[Self.firstKey] = "\(firstVersion)"
            tags[Self.lastKey] = "\(lastVersion)"
        }
        return tags
    }

    public static func < (a: CommitOrder, b: CommitOrder) -> Bool {
        (a.firstVersion, a.part) < (b.firstVersion, b.part)
    }

    /// Whether the two version ranges share a version.
    func overlaps(_ other: CommitOrder) -> Bool {
        firstVersion <= other.lastVersion && other.firstVersion <= lastVersion
    }
}
