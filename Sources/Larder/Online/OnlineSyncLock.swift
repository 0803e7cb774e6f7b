#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The lock one materialization of a view holds from reading the store's synced version to
/// publishing the next state: an exclusive `flock` on `<db>/online/<view>/SYNC`, so two syncs
/// (threads or processes) run one after the other and the second starts from what the first
/// published. Readers never take it. The online writer's own `LOCK` only covers one publish,
/// which is not enough: a sync that computed its overlay from an older table snapshot must not
/// publish after one that computed from a newer snapshot.
enum OnlineSyncLock {
    static let fileName = "SYNC"

    static func withLock<R>(directory: String, _ body: () throws -> R) throws -> R {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DatabaseError(.io, "cannot create the online store directory \(directory)", underlying: error)
        }
        let path = directory + "/" + fileName
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DatabaseError(.io, "cannot open the sync lock \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            throw DatabaseError(.io, "cannot lock \(path): \(String(cString: strerror(errno)))")
        }
        defer { _ = flock(fd, LOCK_UN) }
        return try body()
    }
}
