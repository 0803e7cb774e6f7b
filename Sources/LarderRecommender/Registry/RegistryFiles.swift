#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// rename(2), named apart from ``RegistryFiles/rename(_:to:model:)``.
private func posixRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }

/// The steps of a registry write where a fault can be injected (tests only).
enum RegistryStep: Sendable, Hashable {
    /// Registration: the temporary version directory exists, artifacts written and synced.
    case afterArtifacts
    /// Registration: the manifest is written and synced in the temporary directory.
    case afterManifest
    /// Registration: the temporary directory was renamed to its version number.
    case afterRename
    /// A stages update: the temporary stages file is written and synced, not yet renamed.
    case stagesBeforeRename
}

/// A simulated crash at a ``RegistryStep``: the registry leaves every file as it was at that
/// step (a crashed process cleans nothing up), so tests see what a real crash leaves.
struct RegistrySimulatedCrash: Error {
    var step: RegistryStep
}

/// The POSIX calls behind the registry's durable writes: exclusive creates, fsync of files
/// and directories, atomic renames, and `flock` for the per-model writer lock.
enum RegistryFiles {
    static func errorText() -> String { String(cString: strerror(errno)) }

    /// Runs `body` holding an exclusive `flock` on `path` (created if missing). Threads of one
    /// process and other processes wait for each other; the kernel drops the lock of a process
    /// that dies.
    static func withLock<R>(_ path: String, model: String, _ body: () throws -> R) throws -> R {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ModelRegistryError(.io, "cannot open the registry lock: \(errorText())", model: model, path: path)
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            throw ModelRegistryError(.io, "cannot lock the registry: \(errorText())", model: model, path: path)
        }
        defer { _ = flock(fd, LOCK_UN) }
        return try body()
    }

    /// Creates `path` (which must not exist), writes `data` and fsyncs it.
    static func writeNewFile(_ data: Data, to path: String, model: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ModelRegistryError(.io, "cannot create a file: \(errorText())", model: model, path: path)
        }
        var closed = false
        defer { if !closed { close(fd) } }
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var done = 0
            while done < raw.count {
                let n = write(fd, raw.baseAddress.map { $0 + done }, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ModelRegistryError(.io, "cannot write: \(errorText())", model: model, path: path)
                }
                done += n
            }
        }
        guard fsync(fd) == 0 else {
            throw ModelRegistryError(.io, "cannot fsync: \(errorText())", model: model, path: path)
        }
        closed = true
        guard close(fd) == 0 else {
            throw ModelRegistryError(.io, "cannot close: \(errorText())", model: model, path: path)
        }
    }

    /// Fsyncs a directory, so the names created or renamed in it are durable.
    static func syncDirectory(_ path: String, model: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ModelRegistryError(.io, "cannot open the directory to fsync it: \(errorText())", model: model, path: path)
        }
        defer { close(fd) }
        guard fsync(fd) == 0 else {
            throw ModelRegistryError(.io, "cannot fsync the directory: \(errorText())", model: model, path: path)
        }
    }

    /// Renames `from` to `to` (a file over a file, or a directory to an absent name).
    static func rename(_ from: String, to: String, model: String) throws {
        guard posixRename(from, to) == 0 else {
            throw ModelRegistryError(.io, "cannot rename \(from): \(errorText())", model: model, path: to)
        }
    }

    /// Replaces the file at `path` with `data` atomically: a temporary sibling, fsync, rename,
    /// fsync of the directory. Readers see the old bytes or the new, never a mix.
    static func replaceFile(_ data: Data, at path: String, model: String,
                            checkpoint: (RegistryStep) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/.tmp-\(getpid())-\(UUID().uuidString)-" + url.lastPathComponent
        do {
            try writeNewFile(data, to: temporary, model: model)
            try checkpoint(.stagesBeforeRename)
            try rename(temporary, to: path, model: model)
        } catch {
            if !(error is RegistrySimulatedCrash) { unlink(temporary) }
            throw error
        }
        try syncDirectory(directory, model: model)
    }

    /// Creates a directory and its missing parents.
    static func makeDirectory(_ path: String, model: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ModelRegistryError(.io, "cannot create the directory", model: model, path: path, underlying: error)
        }
    }

    /// The names in a directory; none when it does not exist.
    static func names(in path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else {
            throw ModelRegistryError(.io, "not a directory", path: path)
        }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw ModelRegistryError(.io, "cannot list the directory", path: path, underlying: error)
        }
    }
}
