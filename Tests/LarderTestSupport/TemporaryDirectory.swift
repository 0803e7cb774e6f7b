import Foundation

/// A fresh, uniquely named directory under the system temporary directory, removed with
/// everything in it when the last reference goes away (or earlier, by ``remove()``).
///
/// ```swift
/// let dir = try TemporaryDirectory()
/// let path = dir.file("data.parquet")   // <tmp>/larder-…/data.parquet
/// ```
public final class TemporaryDirectory: Sendable {
    /// The directory's absolute path.
    public let path: String

    /// The directory as a file URL.
    public var url: URL { URL(fileURLWithPath: path, isDirectory: true) }

    /// Creates the directory.
    ///
    /// - Parameter prefix: The start of the directory's name, to tell test leftovers apart.
    /// - Throws: The file system's error if the directory cannot be created.
    public init(prefix: String = "larder") throws {
        let base = FileManager.default.temporaryDirectory
        let name = "\(prefix)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        let url = base.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        self.path = url.path
    }

    /// The path of `name` inside the directory (the file itself is not created).
    public func file(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// The URL of `name` inside the directory (the file itself is not created).
    public func fileURL(_ name: String) -> URL {
        url.appendingPathComponent(name)
    }

    /// Removes the directory and its contents now. Safe to call more than once.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    deinit {
        remove()
    }
}
