import Dispatch
import Synchronization

/// Runs work on a fixed number of threads, each taking the next chunk of rows until none is
/// left (so a few expensive rows do not hold up one thread while the other idles).
enum Parallel {
    /// Calls `body` once per chunk of `0 ..< count` (chunks of `chunk` rows) on `threads`
    /// threads; `body` gets the chunk and the worker's number (0 ..< threads), for scratch space.
    static func forEachChunk(count: Int, chunk: Int, threads: Int, _ body: @Sendable (Range<Int>, Int) -> Void) {
        let size = max(1, chunk)
        let workers = max(1, min(threads, (count + size - 1) / size))
        if workers == 1 {
            var start = 0
            while start < count {
                body(start ..< min(count, start + size), 0)
                start += size
            }
            return
        }
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while true {
                let start = next.add(size, ordering: .relaxed).oldValue
                guard start < count else { break }
                body(start ..< min(count, start + size), worker)
            }
        }
    }
}

/// A buffer owned by this object and shared with worker threads, which read it or write
/// disjoint parts of it (the callers guarantee that; hence `@unchecked Sendable`).
final class WorkBuffer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
    let count: Int

    init(_ values: [T]) {
        count = values.count
        base = .allocate(capacity: max(1, values.count))
        values.withUnsafeBufferPointer { source in
            if let s = source.baseAddress { base.initialize(from: s, count: values.count) }
        }
    }

    init(repeating value: T, count: Int) {
        self.count = count
        base = .allocate(capacity: max(1, count))
        base.initialize(repeating: value, count: count)
    }

    /// The contents as an array.
    var array: [T] { Array(UnsafeBufferPointer(start: base, count: count)) }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }
}
