#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Everything a ``BanditRouter`` has learned, as a Codable value: its settings, each arm's
/// posterior and counts, the number of choices made and the random generator's state.
///
/// ```swift
/// try router.snapshot().write(to: db.path + "/models/ranker/bandit.json")
/// let restored = try BanditRouter(snapshot: BanditSnapshot.read(from: path))
/// ```
public struct BanditSnapshot: Sendable, Hashable, Codable {
    /// The snapshot format this build writes; readers refuse higher ones.
    public static let currentFormat = 1

    /// The snapshot's format version.
    public var format: Int
    /// The router's settings.
    public var configuration: BanditConfiguration
    /// Each arm's posterior and counts, in arm order.
    public var arms: [ArmStatistics]
    /// Choices made so far (epsilon-greedy's schedule counts them).
    public var steps: Int
    /// The xoshiro256** state, four words.
    public var random: [UInt64]

    /// A snapshot of the current format; ``BanditRouter/snapshot()`` makes one.
    public init(configuration: BanditConfiguration, arms: [ArmStatistics], steps: Int, random: [UInt64]) {
        format = Self.currentFormat
        self.configuration = configuration
        self.arms = arms
        self.steps = steps
        self.random = random
    }

    private enum CodingKeys: String, CodingKey { case format, configuration, arms, steps, random }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(Int.self, forKey: .format)
        guard format <= Self.currentFormat else { throw SnapshotFormatTooNew(found: format) }
        configuration = try c.decode(BanditConfiguration.self, forKey: .configuration)
        arms = try c.decode([ArmStatistics].self, forKey: .arms)
        steps = try c.decode(Int.self, forKey: .steps)
        // Hex text: JSON readers outside Swift often hold numbers as doubles (53 bits).
        let words = try c.decode([String].self, forKey: .random)
        random = try words.map { text in
            guard let w = UInt64(text, radix: 16) else {
                throw DecodingError.dataCorruptedError(forKey: .random, in: c, debugDescription: "'\(text)' is not a hex word")
            }
            return w
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(configuration, forKey: .configuration)
        try c.encode(arms, forKey: .arms)
        try c.encode(steps, forKey: .steps)
        try c.encode(random.map { String($0, radix: 16) }, forKey: .random)
    }

    /// The snapshot as pretty, sorted JSON.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Decodes a snapshot from JSON.
    /// - Throws: ``BanditError/Code/unsupportedFormat`` for a newer format, `.corrupt` otherwise.
    public static func decode(_ data: Data, path: String? = nil) throws -> BanditSnapshot {
        do {
            return try JSONDecoder().decode(BanditSnapshot.self, from: data)
        } catch let e as SnapshotFormatTooNew {
            throw BanditError(.unsupportedFormat, "the bandit snapshot has format \(e.found); this Larder reads format \(currentFormat) or older — upgrade Larder", path: path)
        } catch let e as BanditError {
            throw BanditError(.corrupt, "the bandit snapshot has bad settings: \(e.message)", path: path)
        } catch {
            throw BanditError(.corrupt, "the bandit snapshot does not decode", path: path, underlying: error)
        }
    }

    /// Writes the snapshot to `path` atomically: a temporary sibling, fsync, rename, fsync of
    /// the directory. A crash leaves the previous snapshot or the new one.
    public func write(to path: String) throws {
        let data = try jsonData()
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/.tmp-\(getpid())-\(UUID().uuidString)-" + url.lastPathComponent
        func fail(_ what: String) -> BanditError {
            BanditError(.io, "cannot \(what) the bandit snapshot: \(String(cString: strerror(errno)))", path: path)
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw fail("create") }
        var ok = false
        defer { if !ok { unlink(temporary) } }
        let written = data.withUnsafeBytes { raw -> Bool in
            var done = 0
            while done < raw.count {
                let n = systemWrite(fd, raw.baseAddress.map { $0 + done }, raw.count - done)
                if n < 0 { if errno == EINTR { continue }; return false }
                done += n
            }
            return true
        }
        guard written, fsync(fd) == 0 else { close(fd); throw fail("write") }
        guard close(fd) == 0 else { throw fail("close") }
        guard rename(temporary, path) == 0 else { throw fail("rename into place") }
        ok = true
        let dir = open(directory, O_RDONLY | O_CLOEXEC)
        if dir >= 0 { _ = fsync(dir); close(dir) }
    }

    /// Reads the snapshot at `path`.
    /// - Throws: ``BanditError/Code/io`` when it cannot be read; `.unsupportedFormat`, `.corrupt`.
    public static func read(from path: String) throws -> BanditSnapshot {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BanditError(.io, "cannot read the bandit snapshot", path: path)
        }
        return try decode(data, path: path)
    }
}

/// write(2), named apart from ``BanditSnapshot/write(to:)``.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buffer, count) }

struct SnapshotFormatTooNew: Error {
    var found: Int
}
