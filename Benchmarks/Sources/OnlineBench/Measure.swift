#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Nanoseconds of the monotonic clock (a vDSO call, no system call, with the TSC clock source).
@inline(__always)
func nowNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

func seconds(since start: UInt64) -> Double { Double(nowNanoseconds() &- start) / 1e9 }

/// Percentiles of per-operation times (nearest rank), in nanoseconds.
struct Latency: Codable {
    var count: Int
    var p50: Double, p99: Double, p999: Double, max: Double, mean: Double

    init(_ samples: [UInt32]) {
        let sorted = samples.sorted()
        count = sorted.count
        func rank(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            let r = Int((p / 100 * Double(sorted.count)).rounded(.up))
            return Double(sorted[Swift.min(Swift.max(r, 1), sorted.count) - 1])
        }
        p50 = rank(50); p99 = rank(99); p999 = rank(99.9); max = rank(100)
        mean = sorted.isEmpty ? .nan : Double(sorted.reduce(0) { $0 + Int($1) }) / Double(sorted.count)
    }
}

/// Times each single read of `keys`; returns the times, the checksum and the misses.
@inline(never)
func timeSingleReads<C: Contender>(_ store: C, variant: Int, keys: [Int64]) -> (times: [UInt32], sum: Int64, misses: Int) {
    var times = [UInt32](repeating: 0, count: keys.count)
    var sum: Int64 = 0
    var misses = 0
    keys.withUnsafeBufferPointer { k in
        times.withUnsafeMutableBufferPointer { t in
            for i in 0 ..< k.count {
                let start = nowNanoseconds()
                let touched = store.read(k[i], variant: variant)
                let end = nowNanoseconds()
                t[i] = UInt32(clamping: end &- start)
                if let touched { sum &+= touched } else { misses += 1 }
            }
        }
    }
    return (times, sum, misses)
}

/// Times each batch read of `batches`; returns the times, the checksum and the misses.
@inline(never)
func timeBatchReads<C: Contender>(_ store: C, batches: [[Int64]]) -> (times: [UInt32], sum: Int64, misses: Int) {
    var times = [UInt32](repeating: 0, count: batches.count)
    var sum: Int64 = 0
    var misses = 0
    for (i, batch) in batches.enumerated() {
        let start = nowNanoseconds()
        let (s, found) = store.read(batch: batch)
        let end = nowNanoseconds()
        times[i] = UInt32(clamping: end &- start)
        sum &+= s
        misses += batch.count - found
    }
    return (times, sum, misses)
}

/// The cost of the timing itself: two clock reads back to back.
func clockOverhead(samples: Int = 1_000_000) -> Latency {
    var times = [UInt32](repeating: 0, count: samples)
    for i in 0 ..< samples {
        let start = nowNanoseconds()
        let end = nowNanoseconds()
        times[i] = UInt32(clamping: end &- start)
    }
    return Latency(times)
}

/// A deterministic uniform generator (xorshift64*), so every store reads the same keys.
struct KeyGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed | 1 }
    mutating func next(below n: Int) -> Int64 {
        state ^= state >> 12; state ^= state << 25; state ^= state >> 27
        let x = state &* 0x2545_F491_4F6C_DD1D
        return Int64(x.multipliedFullWidth(by: UInt64(n)).high)
    }
}

/// The bytes the files in `directory` occupy on disk (allocated blocks, as `du`).
func diskBytes(_ directory: String) -> Int64 {
    guard let dir = opendir(directory) else { return 0 }
    defer { closedir(dir) }
    var total: Int64 = 0
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        guard name != ".", name != ".." else { continue }
        var info = stat()
        if stat(directory + "/" + name, &info) == 0 { total += Int64(info.st_blocks) * 512 }
    }
    return total
}

func removeTree(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

func makeDirectory(_ path: String) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
}

func log(_ message: String) {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    var tm = tm()
    var t = ts.tv_sec
    localtime_r(&t, &tm)
    let stamp = String(format2: tm.tm_hour) + ":" + String(format2: tm.tm_min) + ":" + String(format2: tm.tm_sec)
    FileHandle.standardError.write(Data("[online-bench \(stamp)] \(message)\n".utf8))
}

extension String {
    init(format2 value: Int32) { self = value < 10 ? "0\(value)" : "\(value)" }
}
