import Dispatch

/// Sorts (hash, entry) pairs by hash, equal hashes in entry order.
///
/// Key hashes are uniform, so sorting on the top bits leaves only pairs that share those bits
/// out of order (a handful each), which a final insertion pass fixes in about linear time.
/// Large inputs are sorted in two stable counting passes, most significant digit first:
/// one over the whole input into 4,096 buckets (counted and scattered by one task per core,
/// each over a contiguous part of the input), then one per bucket on the next digit plus the
/// insertion pass, buckets shared out among the cores. Small inputs use the standard sort.
enum HashSort {
    struct Item: Sendable {
        var hash: UInt64
        var entry: UInt32
    }

    static let digitBits = 12

    static func sorted(_ hashes: [UInt64]) -> [Item] {
        let n = hashes.count
        if n <= 4096 {
            var items = hashes.enumerated().map { Item(hash: $0.element, entry: UInt32($0.offset)) }
            items.sort { ($0.hash, $0.entry) < ($1.hash, $1.entry) }
            return items
        }
        let buckets = 1 << digitBits
        let parts = n < 1 << 18 ? 1 : max(1, min(Posix.coreCount, 8))
        let topShift = UInt64(64 - digitBits)
        // Pass 1: per part, how many of its hashes fall in each top-digit bucket.
        var counts = [Int](repeating: 0, count: parts * buckets)
        hashes.withUnsafeBufferPointer { h in
            counts.withUnsafeMutableBufferPointer { c in
                let shared = UncheckedSendable((h, c))
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let (h, c) = shared.value
                    let base = part * buckets
                    for i in n * part / parts ..< n * (part + 1) / parts { c[base + Int(h[i] &>> topShift)] += 1 }
                }
            }
        }
        // Where each part's share of each bucket starts: buckets in order, parts in order
        // within a bucket, so the scatter is stable.
        var bucketStarts = [Int](repeating: 0, count: buckets + 1)
        var total = 0
        for b in 0 ..< buckets {
            bucketStarts[b] = total
            for part in 0 ..< parts {
                let count = counts[part * buckets + b]
                counts[part * buckets + b] = total
                total += count
            }
        }
        bucketStarts[buckets] = total
        let items = [Item](unsafeUninitializedCapacity: n) { out, count in
            hashes.withUnsafeBufferPointer { h in
                counts.withUnsafeMutableBufferPointer { c in
                    let shared = UncheckedSendable((h, c, out))
                    DispatchQueue.concurrentPerform(iterations: parts) { part in
                        let (h, c, out) = shared.value
                        let base = part * buckets
                        for i in n * part / parts ..< n * (part + 1) / parts {
                            let b = base + Int(h[i] &>> topShift)
                            out.initializeElement(at: c[b], to: Item(hash: h[i], entry: UInt32(truncatingIfNeeded: i)))
                            c[b] += 1
                        }
                    }
                }
            }
            count = n
        }
        // Pass 2, per bucket: a stable counting pass on the next digit, then insertion.
        var result = items
        result.withUnsafeMutableBufferPointer { a in
            let shared = UncheckedSendable((a, bucketStarts))
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let (a, starts) = shared.value
                var scratch: [Item] = []
                var digitCounts = [Int](repeating: 0, count: buckets)
                for b in buckets * part / parts ..< buckets * (part + 1) / parts {
                    let bucket = UnsafeMutableBufferPointer(rebasing: a[starts[b] ..< starts[b + 1]])
                    sortBucket(bucket, scratch: &scratch, counts: &digitCounts)
                }
            }
        }
        return result
    }

    /// Sorts one top-digit bucket by the rest of the hash, stably.
    private static func sortBucket(_ bucket: UnsafeMutableBufferPointer<Item>, scratch: inout [Item],
                                   counts: inout [Int]) {
        let n = bucket.count
        guard n > 1 else { return }
        if n > 32 {
            let shift = UInt64(64 - 2 * digitBits), mask = UInt64((1 << digitBits) - 1)
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: bucket)
            counts.withUnsafeMutableBufferPointer { c in
                for b in c.indices { c[b] = 0 }
                for item in scratch { c[Int((item.hash &>> shift) & mask)] += 1 }
                var total = 0
                for b in c.indices {
                    let count = c[b]
                    c[b] = total
                    total += count
                }
                for item in scratch {
                    let d = Int((item.hash &>> shift) & mask)
                    bucket[c[d]] = item
                    c[d] += 1
                }
            }
        }
        for i in 1 ..< n {
            let x = bucket[i]
            var j = i - 1
            if bucket[j].hash <= x.hash { continue }
            while j >= 0 && bucket[j].hash > x.hash {
                bucket[j + 1] = bucket[j]
                j -= 1
            }
            bucket[j + 1] = x
        }
    }
}
