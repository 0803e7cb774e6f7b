/// Sorts (hash, entry) pairs by hash, equal hashes in entry order.
///
/// Key hashes are uniform, so a stable LSD radix sort on the top 12, 24 or 36 bits leaves
/// only pairs that share those bits out of order (a handful each); a final insertion pass
/// fixes them in about linear time. Small inputs use the standard sort.
enum HashSort {
    struct Item: Sendable {
        var hash: UInt64
        var entry: UInt32
    }

    static let digitBits = 12

    static func sorted(_ hashes: [UInt64]) -> [Item] {
        let n = hashes.count
        var items = [Item](unsafeUninitializedCapacity: n) { buffer, count in
            hashes.withUnsafeBufferPointer { h in
                for i in 0 ..< n { buffer.initializeElement(at: i, to: Item(hash: h[i], entry: UInt32(i))) }
            }
            count = n
        }
        if n <= 4096 {
            items.sort { ($0.hash, $0.entry) < ($1.hash, $1.entry) }
            return items
        }
        let passes = n <= 1 << 18 ? 1 : n <= 1 << 26 ? 2 : 3
        var scratch = [Item](repeating: Item(hash: 0, entry: 0), count: n)
        for pass in 0 ..< passes {
            let shift = UInt64(64 - digitBits * (passes - pass))
            radixPass(from: &items, to: &scratch, shift: shift)
            swap(&items, &scratch)
        }
        items.withUnsafeMutableBufferPointer { a in
            for i in 1 ..< n {
                let x = a[i]
                var j = i - 1
                if a[j].hash <= x.hash { continue }
                while j >= 0 && a[j].hash > x.hash {
                    a[j + 1] = a[j]
                    j -= 1
                }
                a[j + 1] = x
            }
        }
        return items
    }

    /// One stable counting-sort pass on the digit at `shift`.
    private static func radixPass(from source: inout [Item], to destination: inout [Item], shift: UInt64) {
        let buckets = 1 << digitBits
        let mask = UInt64(buckets - 1)
        var counts = [Int](repeating: 0, count: buckets)
        source.withUnsafeBufferPointer { s in
            counts.withUnsafeMutableBufferPointer { c in
                for item in s { c[Int((item.hash &>> shift) & mask)] += 1 }
                var total = 0
                for b in 0 ..< buckets {
                    let count = c[b]
                    c[b] = total
                    total += count
                }
            }
            destination.withUnsafeMutableBufferPointer { d in
                counts.withUnsafeMutableBufferPointer { c in
                    for item in s {
                        let b = Int((item.hash &>> shift) & mask)
                        d[c[b]] = item
                        c[b] += 1
                    }
                }
            }
        }
    }
}
