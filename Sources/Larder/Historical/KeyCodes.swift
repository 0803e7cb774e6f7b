import Foundation
import LarderColumnar

/// Order-preserving 64-bit codes for the values of one key column, shared by a spine and a
/// view's table rows so the join compares integers, never strings.
///
/// Integer-like columns (int32, int64, timestamp, date) code as their value, bools as 0/1.
/// Strings and binary code by rank among the spine's distinct values: a value the spine holds
/// gets `2 × rank`, any other value the odd code between its neighbours, so table rows keep
/// their order and a value the spine lacks never equals a spine code.
enum KeyCode: Sendable {
    case integer
    case bool
    /// The spine's distinct values, sorted bytewise (the order tables are sorted in).
    case bytes(sorted: [[UInt8]])

    /// The coding family of `type`, nil for types that cannot be join keys.
    static func family(of type: DataType) -> Int? {
        switch type {
        case .int32, .int64, .timestamp, .date: 0
        case .bool: 1
        case .string, .binary: 2
        default: nil
        }
    }

    /// The code for the spine's column `column` (which fixes the dictionary for bytes).
    static func forSpine(_ column: Column) -> KeyCode {
        switch column.storage {
        case .bytes(let offsets, let data):
            var distinct = Set<[UInt8]>()
            for i in 0 ..< column.count where column.isValid(i) { distinct.insert(Array(data[offsets[i] ..< offsets[i + 1]])) }
            return .bytes(sorted: distinct.sorted { lexicographicallyPrecedes($0, $1) })
        case .bool: return .bool
        default: return .integer
        }
    }

    /// The codes of every row of `column`, and which rows are valid (nil: all).
    func codes(of column: Column) -> (codes: [Int64], validity: Bitmap?) {
        switch column.storage {
        case .int64(let v): return (v, column.validity)
        case .int32(let v): return (v.map(Int64.init), column.validity)
        case .bool(let v): return (v.map { $0 ? 1 : 0 }, column.validity)
        case .bytes(let offsets, let data):
            guard case .bytes(let sorted) = self else { return ([Int64](repeating: 0, count: column.count), column.validity) }
            var out = [Int64](repeating: 0, count: column.count)
            data.withUnsafeBufferPointer { bytes in
                var previous: (start: Int, end: Int, code: Int64)? = nil
                for i in 0 ..< column.count {
                    let start = offsets[i], end = offsets[i + 1]
                    // Sorted tables repeat keys in runs: reuse the last code for an equal value.
                    if let p = previous, p.end - p.start == end - start,
                       memcmpEqual(bytes, p.start, start, end - start) {
                        out[i] = p.code
                        continue
                    }
                    let code = Self.code(UnsafeBufferPointer(rebasing: bytes[start ..< end]), in: sorted)
                    out[i] = code
                    previous = (start, end, code)
                }
            }
            return (out, column.validity)
        case .float32, .float64, .vector:
            return ([Int64](repeating: 0, count: column.count), Bitmap(count: column.count, value: false))
        }
    }

    /// The code of a statistics value (for pruning by min/max), nil when it cannot be coded.
    func code(of value: Value) -> Int64? {
        switch (self, value) {
        case (.integer, .int64(let v)), (.integer, .timestamp(let v)): v
        case (.integer, .int32(let v)), (.integer, .date(let v)): Int64(v)
        case (.bool, .bool(let v)): v ? 1 : 0
        case (.bytes(let sorted), .string(let s)):
            Array(s.utf8).withUnsafeBufferPointer { Self.code($0, in: sorted) }
        case (.bytes(let sorted), .binary(let b)):
            b.withUnsafeBufferPointer { Self.code($0, in: sorted) }
        default: nil
        }
    }

    /// `2 × rank` when `value` is in `sorted`, else `2 × insertionPoint − 1`.
    private static func code(_ value: UnsafeBufferPointer<UInt8>, in sorted: [[UInt8]]) -> Int64 {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if lexicographicallyPrecedes(sorted[mid], value) { low = mid + 1 } else { high = mid }
        }
        if low < sorted.count && sorted[low].elementsEqual(value) { return Int64(2 * low) }
        return Int64(2 * low - 1)
    }

    private static func lexicographicallyPrecedes<A: Collection<UInt8>, B: Collection<UInt8>>(_ a: A, _ b: B) -> Bool {
        a.lexicographicallyPrecedes(b)
    }
}

@inline(__always)
private func memcmpEqual(_ bytes: UnsafeBufferPointer<UInt8>, _ a: Int, _ b: Int, _ n: Int) -> Bool {
    guard n > 0, let base = bytes.baseAddress else { return true }
    return memcmp(base + a, base + b, n) == 0
}
