import Dispatch
import Synchronization

/// `transform` of every element, in order, run on up to every core at once (serially when
/// `threads` is 1 or there is at most one element); rethrows the first error in element order.
///
/// For the engine's coarse parallel work (a column or a view per task); each task should be
/// large enough to pay for a thread hand-off.
public func concurrentMap<T: Sendable, R: Sendable>(_ items: [T], threads: Int? = nil,
                                                    _ transform: @Sendable (T) throws -> R) throws -> [R] {
    if items.count <= 1 || threads == 1 { return try items.map(transform) }
    let results = Mutex<[Result<R, any Error>?]>(Array(repeating: nil, count: items.count))
    DispatchQueue.concurrentPerform(iterations: items.count) { i in
        let r = Result { try transform(items[i]) }
        results.withLock { $0[i] = r }
    }
    return try results.withLock { $0 }.map { slot in
        // concurrentPerform returns only after every iteration ran, so every slot is set.
        guard let slot else { throw ColumnarError(.lengthMismatch, "a parallel task did not finish") }
        return try slot.get()
    }
}
