import Testing
@testable import LarderParquet

// Tests for Sources/LarderParquet/Encoding: bit packing, the RLE/bit-packing hybrid, PLAIN,
// dictionary building, DELTA_* and BYTE_STREAM_SPLIT decoding. Run with `--filter EncodingTests`.

/// Namespace: every suite below is nested here so `--filter EncodingTests` selects them all.
@Suite struct EncodingTests {}

// MARK: - Helpers

/// A small deterministic generator (SplitMix64) so failures reproduce.
struct EncodingTestRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum EncodingFixtures {
    static let lengths = [0, 1, 7, 8, 9, 1000, 100_000]

    /// Values below 2^bitWidth in one of three shapes: runs, alternating, random.
    static func values(count: Int, bitWidth: Int, pattern: Int, rng: inout EncodingTestRNG) -> [UInt32] {
        let mask: UInt64 = bitWidth == 0 ? 0 : (1 << UInt64(bitWidth)) - 1
        var out: [UInt32] = []
        out.reserveCapacity(count)
        switch pattern {
        case 0:  // runs of random length 1...40, some long
            while out.count < count {
                let v = UInt32(rng.next() & mask)
                let run = Int(rng.next() % 5 == 0 ? 1 + rng.next() % 300 : 1 + rng.next() % 12)
                for _ in 0 ..< min(run, count - out.count) { out.append(v) }
            }
        case 1:  // alternating two values
            let a = UInt32(rng.next() & mask), b = UInt32(mask & ~UInt64(a))
            for i in 0 ..< count { out.append(i % 2 == 0 ? a : b) }
        default:
            for _ in 0 ..< count { out.append(UInt32(rng.next() & mask)) }
        }
        return out
    }

    /// Bit-by-bit reference packing, LSB first.
    static func referencePack(_ values: [UInt32], bitWidth: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: (values.count * bitWidth + 7) / 8)
        var bit = 0
        for v in values {
            for b in 0 ..< bitWidth {
                if (v >> UInt32(b)) & 1 == 1 { out[bit >> 3] |= 1 << UInt8(bit & 7) }
                bit += 1
            }
        }
        return out
    }

    /// Reference DELTA_BINARY_PACKED encoder (for decoder tests). `domainBits` is 32 or 64.
    static func deltaEncode(_ values: [Int64], domainBits: Int, blockSize: Int = 128, miniblocks: Int = 4) -> [UInt8] {
        var out: [UInt8] = []
        EncodingVarInt.appendULEB128(UInt64(blockSize), to: &out)
        EncodingVarInt.appendULEB128(UInt64(miniblocks), to: &out)
        EncodingVarInt.appendULEB128(UInt64(values.count), to: &out)
        EncodingVarInt.appendZigZag(values.first ?? 0, to: &out)
        guard values.count > 1 else { return out }
        let perMini = blockSize / miniblocks
        var deltas: [Int64] = []
        for i in 1 ..< values.count {
            if domainBits == 32 {
                deltas.append(Int64(Int32(truncatingIfNeeded: values[i]) &- Int32(truncatingIfNeeded: values[i - 1])))
            } else {
                deltas.append(values[i] &- values[i - 1])
            }
        }
        var start = 0
        while start < deltas.count {
            let block = Array(deltas[start ..< min(start + blockSize, deltas.count)])
            let minDelta = block.min() ?? 0
            EncodingVarInt.appendZigZag(minDelta, to: &out)
            var bodies: [[UInt8]] = []
            var widths: [UInt8] = []
            for m in 0 ..< miniblocks {
                let lo = m * perMini
                guard lo < block.count else { widths.append(0); continue }
                var rel = block[lo ..< min(lo + perMini, block.count)].map { UInt64(bitPattern: $0 &- minDelta) }
                if domainBits == 32 { rel = rel.map { $0 & 0xFFFF_FFFF } }
                let width = 64 - (rel.max() ?? 0).leadingZeroBitCount
                widths.append(UInt8(width))
                rel += repeatElement(0, count: perMini - rel.count)
                var body = [UInt8](repeating: 0, count: perMini * width / 8)
                var bit = 0
                for v in rel {
                    for b in 0 ..< width {
                        if (v >> UInt64(b)) & 1 == 1 { body[bit >> 3] |= 1 << UInt8(bit & 7) }
                        bit += 1
                    }
                }
                bodies.append(body)
            }
            out += widths
            for body in bodies { out += body }
            start += blockSize
        }
        return out
    }

    /// PLAIN BYTE_ARRAY bytes of `strings`.
    static func plainByteArrays(_ values: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for v in values {
            withUnsafeBytes(of: UInt32(v.count).littleEndian) { out += $0 }
            out += v
        }
        return out
    }

    /// Offsets + data for `values`.
    static func layout(_ values: [[UInt8]]) -> (offsets: [Int], data: [UInt8]) {
        var offsets = [0], data: [UInt8] = []
        for v in values { data += v; offsets.append(data.count) }
        return (offsets, data)
    }

    static func split(offsets: [Int], data: [UInt8]) -> [[UInt8]] {
        (0 ..< offsets.count - 1).map { Array(data[offsets[$0] ..< offsets[$0 + 1]]) }
    }
}

// MARK: - Bit packing

extension EncodingTests {
    @Suite struct BitPackingTests {
        @Test func spec_example_values_0_through_7_at_width_3() throws {
            var out: [UInt8] = []
            [UInt32](0 ... 7).withUnsafeBufferPointer { BitPacking.pack($0, bitWidth: 3, into: &out) }
            #expect(out == [0b1000_1000, 0b1100_0110, 0b1111_1010])
            var decoded = [UInt32](repeating: 99, count: 8)
            try out.withUnsafeBytes { src in
                try decoded.withUnsafeMutableBufferPointer { try BitPacking.unpack(src, bitWidth: 3, count: 8, into: $0.baseAddress!) }
            }
            #expect(decoded == Array(0 ... 7))
        }

        @Test func round_trip_every_width_matches_reference() throws {
            var rng = EncodingTestRNG(seed: 1)
            for width in 0 ... 32 {
                for count in [0, 1, 7, 8, 9, 31, 33, 1000, 4099] {
                    let values = EncodingFixtures.values(count: count, bitWidth: width, pattern: 2, rng: &rng)
                    var packed: [UInt8] = []
                    values.withUnsafeBufferPointer { BitPacking.pack($0, bitWidth: width, into: &packed) }
                    #expect(packed == EncodingFixtures.referencePack(values, bitWidth: width), "width \(width) count \(count)")
                    var back = [UInt32](repeating: 0xDEAD, count: count)
                    try packed.withUnsafeBytes { src in
                        try back.withUnsafeMutableBufferPointer { dst in
                            if let d = dst.baseAddress { try BitPacking.unpack(src, bitWidth: width, count: count, into: d) }
                        }
                    }
                    #expect(back == values, "width \(width) count \(count)")
                }
            }
        }

        @Test func unpack64_round_trip_wide_widths() throws {
            var rng = EncodingTestRNG(seed: 2)
            for width in [0, 1, 31, 33, 47, 57, 63, 64] {
                let count = 77
                let mask: UInt64 = width == 64 ? .max : (1 << UInt64(width)) - 1
                let values = (0 ..< count).map { _ in rng.next() & mask }
                var packed = [UInt8](repeating: 0, count: (count * width + 7) / 8)
                var bit = 0
                for v in values {
                    for b in 0 ..< width {
                        if (v >> UInt64(b)) & 1 == 1 { packed[bit >> 3] |= 1 << UInt8(bit & 7) }
                        bit += 1
                    }
                }
                var back = [UInt64](repeating: 0, count: count)
                try packed.withUnsafeBytes { src in
                    try back.withUnsafeMutableBufferPointer { try BitPacking.unpack64(src, bitWidth: width, count: count, into: $0.baseAddress!) }
                }
                #expect(back == values, "width \(width)")
            }
        }

        @Test func unpack_rejects_short_input_and_bad_width() {
            var out = [UInt32](repeating: 0, count: 8)
            out.withUnsafeMutableBufferPointer { dst in
                [UInt8](repeating: 0xFF, count: 2).withUnsafeBytes { src in
                    #expect(throws: ParquetError.self) { try BitPacking.unpack(src, bitWidth: 3, count: 8, into: dst.baseAddress!) }
                    #expect(throws: ParquetError.self) { try BitPacking.unpack(src, bitWidth: 33, count: 1, into: dst.baseAddress!) }
                }
            }
        }
    }
}

// MARK: - RLE / bit-packing hybrid

extension EncodingTests {
    @Suite struct RLEHybridTests {
        @Test func spec_bit_packed_run_decodes_0_through_7() throws {
            // Header: 1 group of 8, bit-packed: (1 << 1) | 1 = 3.
            let bytes: [UInt8] = [0x03, 0b1000_1000, 0b1100_0110, 0b1111_1010]
            #expect(try RLEHybridDecoder.decode(bytes, bitWidth: 3, count: 8) == Array(0 ... 7))
            // The same run with only 5 values wanted: the rest is padding.
            #expect(try RLEHybridDecoder.decode(bytes, bitWidth: 3, count: 5) == Array(0 ... 4))
        }

        @Test func rle_run_known_bytes() throws {
            // 100 repeats of 5 at width 3: header varint(200) = C8 01, value in one byte.
            let encoded = RLEHybridEncoder.encode([UInt32](repeating: 5, count: 100), bitWidth: 3)
            #expect(encoded == [0xC8, 0x01, 0x05])
            #expect(try RLEHybridDecoder.decode(encoded, bitWidth: 3, count: 100) == [UInt32](repeating: 5, count: 100))
            // Width 9..16 stores the repeated value in two little-endian bytes.
            #expect(RLEHybridEncoder.encode([UInt32](repeating: 0x1234, count: 8), bitWidth: 13) == [0x10, 0x34, 0x12])
        }

        @Test func short_literals_then_run_lend_values_to_complete_a_group() throws {
            // 3 literals then 20 repeats: the literals borrow 5 repeats to fill a group of 8.
            let values: [UInt32] = [1, 2, 3] + [UInt32](repeating: 7, count: 20)
            let encoded = RLEHybridEncoder.encode(values, bitWidth: 3)
            #expect(encoded.first == 0x03)  // one bit-packed group first
            #expect(Array(encoded.suffix(2)) == [UInt8(15 << 1), 7])  // then 15 repeats of 7
            #expect(try RLEHybridDecoder.decode(encoded, bitWidth: 3, count: values.count) == values)
        }

        @Test func round_trip_every_width_length_and_pattern() throws {
            var rng = EncodingTestRNG(seed: 3)
            for width in 0 ... 32 {
                for count in EncodingFixtures.lengths {
                    for pattern in 0 ..< 3 {
                        let values = EncodingFixtures.values(count: count, bitWidth: width, pattern: pattern, rng: &rng)
                        let encoded = RLEHybridEncoder.encode(values, bitWidth: width)
                        var back = [UInt32](repeating: 0, count: count)
                        let consumed = try encoded.withUnsafeBytes { src in
                            try back.withUnsafeMutableBufferPointer {
                                try RLEHybridDecoder.decode(src, bitWidth: width, count: count, into: $0)
                            }
                        }
                        #expect(back == values, "width \(width) count \(count) pattern \(pattern)")
                        #expect(consumed == encoded.count, "width \(width) count \(count) pattern \(pattern)")
                    }
                }
            }
        }

        @Test func constant_input_is_one_run() {
            #expect(RLEHybridEncoder.encode([UInt32](repeating: 1, count: 1_000_000), bitWidth: 1) == [0x80, 0x89, 0x7A, 0x01])
            #expect(RLEHybridEncoder.encode([UInt32](repeating: 0, count: 8), bitWidth: 0) == [0x10])
        }

        @Test func length_prefixed_round_trip_and_bad_length() throws {
            let values: [UInt32] = [1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]
            var out: [UInt8] = [0xEE]
            try values.withUnsafeBufferPointer { try RLEHybridEncoder.encodeLengthPrefixed($0, bitWidth: 1, into: &out) }
            let body = Array(out.dropFirst())
            #expect(Int(body[0]) == body.count - 4 && body[1] == 0 && body[2] == 0 && body[3] == 0)
            var back = [UInt32](repeating: 9, count: values.count)
            let consumed = try (body + [0xAB]).withUnsafeBytes { src in
                try back.withUnsafeMutableBufferPointer { try RLEHybridDecoder.decodeLengthPrefixed(src, bitWidth: 1, count: values.count, into: $0) }
            }
            #expect(back == values)
            #expect(consumed == body.count)
            var lying = body
            lying[0] = UInt8(body.count)  // one more byte than follows
            #expect(throws: ParquetError.self) { try lying.withUnsafeBytes { _ = try RLEHybridDecoder.splitLengthPrefix($0) } }
            #expect(throws: ParquetError.self) { try [UInt8]([1, 0]).withUnsafeBytes { _ = try RLEHybridDecoder.splitLengthPrefix($0) } }
        }

        @Test func bit_width_for_max_value() {
            #expect(RLEHybridEncoder.bitWidth(forMaxValue: 0) == 0)
            #expect(RLEHybridEncoder.bitWidth(forMaxValue: 1) == 1)
            #expect(RLEHybridEncoder.bitWidth(forMaxValue: 2) == 2)
            #expect(RLEHybridEncoder.bitWidth(forMaxValue: 3) == 2)
            #expect(RLEHybridEncoder.bitWidth(forMaxValue: 255) == 8)
            #expect(RLEHybridEncoder.bitWidth(forMaxValue: 256) == 9)
            #expect(RLEHybridEncoder.bitWidth(forMaxValue: UInt64(UInt32.max)) == 32)
        }

        @Test func decoder_rejects_malformed_runs() {
            func fails(_ bytes: [UInt8], width: Int, count: Int) -> Bool {
                (try? RLEHybridDecoder.decode(bytes, bitWidth: width, count: count)) == nil
            }
            #expect(fails([0x10, 0x01], width: 33, count: 8))           // width > 32
            #expect(fails([0x10, 0x01], width: 1, count: 9))            // ends after 8 of 9
            #expect(fails([0x12, 0x01], width: 1, count: 8))            // RLE run of 9 > 8 left
            #expect(!fails([0x05, 0xFF, 0xFF], width: 1, count: 8))     // 2 groups for 8 left: padding, as DuckDB writes
            #expect(fails([0x10, 0x02], width: 1, count: 8))            // value 2 does not fit 1 bit
            #expect(fails([0x03, 0xFF], width: 3, count: 8))            // bit-packed body truncated
            #expect(fails([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], width: 1, count: 8))  // header > 32 bits
            #expect(fails([], width: 1, count: 1))
            #expect(!fails([0x03, 0xFF], width: 1, count: 8))           // exactly one group
            #expect(!fails([0x10, 0x01, 0xFF], width: 1, count: 8))     // trailing bytes ignored
            #expect(!fails([], width: 5, count: 0))
        }

        @Test func decoder_accepts_zero_length_runs() throws {
            #expect(try RLEHybridDecoder.decode([0x00, 0x01, 0x01, 0x10, 0x01], bitWidth: 1, count: 8) == [UInt32](repeating: 1, count: 8))
        }
    }
}

// MARK: - Definition levels to validity

extension EncodingTests {
    @Suite struct DefinitionLevelTests {
        static func reference(_ levels: [UInt32], maxLevel: Int) -> (bytes: [UInt8], nonNull: Int) {
            var bytes = [UInt8](repeating: 0, count: (levels.count + 7) / 8)
            var nonNull = 0
            for (i, l) in levels.enumerated() where l == UInt32(maxLevel) {
                bytes[i >> 3] |= 1 << UInt8(i & 7)
                nonNull += 1
            }
            return (bytes, nonNull)
        }

        @Test func width_one_levels_match_reference() throws {
            var rng = EncodingTestRNG(seed: 4)
            for count in EncodingFixtures.lengths + [3, 15, 17, 63, 65, 500] {
                for pattern in 0 ..< 3 {
                    let levels = EncodingFixtures.values(count: count, bitWidth: 1, pattern: pattern, rng: &rng)
                    let encoded = RLEHybridEncoder.encode(levels, bitWidth: 1)
                    let (bytes, nonNull) = try encoded.withUnsafeBytes {
                        try RLEHybridDecoder.decodeDefinitionLevels($0, count: count, maxLevel: 1)
                    }
                    let expected = Self.reference(levels, maxLevel: 1)
                    #expect(bytes == expected.bytes, "count \(count) pattern \(pattern)")
                    #expect(nonNull == expected.nonNull, "count \(count) pattern \(pattern)")
                }
            }
        }

        @Test func bit_packed_run_after_unaligned_rle_run() throws {
            // 3 ones (RLE), then 16 levels bit-packed (2 groups), 2 zeros (RLE): 21 levels.
            let packed: [UInt8] = [0b1010_1100, 0b1111_0000]
            let bytes: [UInt8] = [0x06, 0x01, 0x05] + packed + [0x04, 0x00]
            let levels: [UInt32] = [1, 1, 1] + (0 ..< 16).map { UInt32(packed[$0 / 8] >> UInt8($0 % 8) & 1) } + [0, 0]
            let (validity, nonNull) = try bytes.withUnsafeBytes { try RLEHybridDecoder.decodeDefinitionLevels($0, count: 21, maxLevel: 1) }
            let expected = Self.reference(levels, maxLevel: 1)
            #expect(validity == expected.bytes)
            #expect(nonNull == expected.nonNull)
        }

        @Test func padding_bits_past_count_are_cleared() throws {
            // One bit-packed group of all ones, only 3 levels wanted.
            let (validity, nonNull) = try [UInt8]([0x03, 0xFF]).withUnsafeBytes {
                try RLEHybridDecoder.decodeDefinitionLevels($0, count: 3, maxLevel: 1)
            }
            #expect(validity == [0b111])
            #expect(nonNull == 3)
        }

        @Test func higher_max_level_and_required_columns() throws {
            let levels: [UInt32] = [0, 1, 2, 2, 1, 2, 0, 2, 2, 2]
            let encoded = RLEHybridEncoder.encode(levels, bitWidth: 2)
            let (validity, nonNull) = try encoded.withUnsafeBytes { try RLEHybridDecoder.decodeDefinitionLevels($0, count: 10, maxLevel: 2) }
            #expect(validity == Self.reference(levels, maxLevel: 2).bytes)
            #expect(nonNull == 6)
            let required = try [UInt8]().withUnsafeBytes { try RLEHybridDecoder.decodeDefinitionLevels($0, count: 10, maxLevel: 0) }
            #expect(required.validityBytes == [0xFF, 0b11])
            #expect(required.nonNullCount == 10)
            let tooHigh = RLEHybridEncoder.encode([3, 3], bitWidth: 2)
            #expect(throws: ParquetError.self) { try tooHigh.withUnsafeBytes { _ = try RLEHybridDecoder.decodeDefinitionLevels($0, count: 2, maxLevel: 2) } }
            #expect(throws: ParquetError.self) { try [UInt8]([0x10, 0x02]).withUnsafeBytes { _ = try RLEHybridDecoder.decodeDefinitionLevels($0, count: 8, maxLevel: 1) } }
        }
    }
}

// MARK: - PLAIN

extension EncodingTests {
    @Suite struct PlainTests {
        static func roundTrip<T: PlainFixedWidth>(_ values: [T]) throws -> (bytes: [UInt8], back: [T]) {
            var bytes: [UInt8] = []
            values.withUnsafeBufferPointer { PlainEncoding.encode($0, into: &bytes) }
            // Decode from an odd offset to exercise unaligned loads.
            let shifted = [0x55] + bytes
            var back: [T] = []
            let consumed = try shifted.withUnsafeBytes {
                try PlainEncoding.decode(UnsafeRawBufferPointer(rebasing: $0[1...]), count: values.count, appendingTo: &back)
            }
            #expect(consumed == bytes.count)
            return (bytes, back)
        }

        @Test func int32_and_int64_known_bytes() throws {
            let (b32, back32) = try Self.roundTrip([Int32(1), -2, .max, .min])
            #expect(Array(b32.prefix(8)) == [1, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF])
            #expect(back32 == [1, -2, .max, .min])
            let (b64, back64) = try Self.roundTrip([Int64(0x0102_0304_0506_0708), .min])
            #expect(Array(b64.prefix(8)) == [8, 7, 6, 5, 4, 3, 2, 1])
            #expect(back64 == [0x0102_0304_0506_0708, .min])
        }

        @Test func floats_are_bit_exact_for_nan_infinity_and_negative_zero() throws {
            let floats: [Float] = [1.5, -0.0, 0.0, .infinity, -.infinity, .nan, Float(bitPattern: 0x7FA0_0001),
                                   Float(bitPattern: 0xFFC1_2345), .leastNonzeroMagnitude, .greatestFiniteMagnitude]
            let (fb, fback) = try Self.roundTrip(floats)
            #expect(Array(fb.prefix(4)) == [0x00, 0x00, 0xC0, 0x3F])
            #expect(fback.map(\.bitPattern) == floats.map(\.bitPattern))
            let doubles: [Double] = [-0.0, .nan, -.nan, Double(bitPattern: 0x7FF0_0000_0000_0001), .infinity, -.infinity, .leastNonzeroMagnitude]
            let (db, dback) = try Self.roundTrip(doubles)
            #expect(Array(db.prefix(8)) == [0, 0, 0, 0, 0, 0, 0, 0x80])
            #expect(dback.map(\.bitPattern) == doubles.map(\.bitPattern))
        }

        @Test func fixed_width_skips_nulls_and_decodes_into_buffer() throws {
            let values: [Int32] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]
            let validity: [UInt8] = [0b1010_0101, 0b111]  // from bit 2: 1,0,0,1,0,1,1,1,1,0
            var bytes: [UInt8] = []
            values.withUnsafeBufferPointer { v in
                validity.withUnsafeBytes { PlainEncoding.encode(v, validity: ValidityBitsView($0, bitOffset: 2), into: &bytes) }
            }
            var back = [Int32](repeating: 0, count: 6)
            let consumed = try bytes.withUnsafeBytes { src in
                try back.withUnsafeMutableBufferPointer { try PlainEncoding.decode(src, count: 6, into: $0) }
            }
            #expect(consumed == 24)
            #expect(back == [10, 13, 15, 16, 17, 18])
            var short: [Int64] = [7]
            #expect(throws: ParquetError.self) { try bytes.withUnsafeBytes { _ = try PlainEncoding.decode($0, count: 4, appendingTo: &short) } }
            #expect(short == [7])
        }

        @Test func booleans_bit_packed_lsb_first() throws {
            var bytes: [UInt8] = []
            [true, false, true, true, false, false, false, false, true].withUnsafeBufferPointer {
                PlainEncoding.encode($0, into: &bytes)
            }
            #expect(bytes == [0b0000_1101, 0b1])
            var back: [Bool] = [false]
            #expect(try bytes.withUnsafeBytes { try PlainEncoding.decodeBooleans($0, count: 9, appendingTo: &back) } == 2)
            #expect(back == [false, true, false, true, true, false, false, false, false, true])
            #expect(throws: ParquetError.self) { try bytes.withUnsafeBytes { _ = try PlainEncoding.decodeBooleans($0, count: 17, appendingTo: &back) } }
            var rng = EncodingTestRNG(seed: 5)
            let many = (0 ..< 1001).map { _ in rng.next() & 1 == 1 }
            var packed: [UInt8] = []
            many.withUnsafeBufferPointer { PlainEncoding.encode($0, into: &packed) }
            var manyBack: [Bool] = []
            _ = try packed.withUnsafeBytes { try PlainEncoding.decodeBooleans($0, count: 1001, appendingTo: &manyBack) }
            #expect(manyBack == many)
        }

        @Test func byte_arrays_empty_unicode_and_long() throws {
            let long = (0 ..< 100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let values: [[UInt8]] = [[], Array("héllo, 世界 🥕".utf8), [], long, Array("x".utf8)]
            let (offsets, data) = EncodingFixtures.layout(values)
            var bytes: [UInt8] = []
            try offsets.withUnsafeBufferPointer { o in try data.withUnsafeBytes { try PlainEncoding.encodeByteArrays(offsets: o, data: $0, into: &bytes) } }
            #expect(bytes == EncodingFixtures.plainByteArrays(values))
            #expect(Array(bytes.prefix(4)) == [0, 0, 0, 0])
            // Decode twice into the same buffers: a column built across two pages.
            var outOffsets: [Int] = [], outData: [UInt8] = []
            for _ in 0 ..< 2 {
                let consumed = try bytes.withUnsafeBytes { try PlainEncoding.decodeByteArrays($0, count: values.count, offsets: &outOffsets, data: &outData) }
                #expect(consumed == bytes.count)
            }
            #expect(outOffsets.count == 2 * values.count + 1)
            #expect(EncodingFixtures.split(offsets: outOffsets, data: outData) == values + values)
            #expect(String(decoding: EncodingFixtures.split(offsets: outOffsets, data: outData)[1], as: UTF8.self) == "héllo, 世界 🥕")
        }

        @Test func byte_array_length_overrun_throws_and_leaves_buffers_unchanged() throws {
            var bytes = EncodingFixtures.plainByteArrays([[1, 2, 3], [4, 5]])
            bytes[7] = 3  // second length 3, only 2 bytes follow
            var offsets = [0, 1], data: [UInt8] = [9]
            #expect(throws: ParquetError.self) { try bytes.withUnsafeBytes { _ = try PlainEncoding.decodeByteArrays($0, count: 2, offsets: &offsets, data: &data) } }
            #expect(offsets == [0, 1] && data == [9])
            let huge: [UInt8] = [0xFF, 0xFF, 0xFF, 0x7F, 1, 2]
            #expect(throws: ParquetError.self) { try huge.withUnsafeBytes { _ = try PlainEncoding.decodeByteArrays($0, count: 1, offsets: &offsets, data: &data) } }
            #expect(throws: ParquetError.self) { try bytes.withUnsafeBytes { _ = try PlainEncoding.decodeByteArrays($0, count: 1_000_000, offsets: &offsets, data: &data) } }
        }

        @Test func byte_arrays_skip_nulls() throws {
            let (offsets, data) = EncodingFixtures.layout([[1], [], [2, 2], [3, 3, 3]])
            var bytes: [UInt8] = []
            try offsets.withUnsafeBufferPointer { o in
                try data.withUnsafeBytes { d in
                    try [UInt8]([0b1101]).withUnsafeBytes { try PlainEncoding.encodeByteArrays(offsets: o, data: d, validity: ValidityBitsView($0), into: &bytes) }
                }
            }
            #expect(bytes == EncodingFixtures.plainByteArrays([[1], [2, 2], [3, 3, 3]]))
        }

        @Test func fixed_len_byte_arrays() throws {
            let (offsets, data) = EncodingFixtures.layout([[1, 2, 3], [4, 5, 6]])
            var bytes: [UInt8] = []
            try offsets.withUnsafeBufferPointer { o in try data.withUnsafeBytes { try PlainEncoding.encodeFixedLenByteArrays(offsets: o, data: $0, length: 3, into: &bytes) } }
            #expect(bytes == [1, 2, 3, 4, 5, 6])
            var outOffsets: [Int] = [], outData: [UInt8] = []
            #expect(try bytes.withUnsafeBytes { try PlainEncoding.decodeFixedLenByteArrays($0, count: 2, length: 3, offsets: &outOffsets, data: &outData) } == 6)
            #expect(outOffsets == [0, 3, 6] && outData == bytes)
            #expect(throws: ParquetError.self) { try bytes.withUnsafeBytes { _ = try PlainEncoding.decodeFixedLenByteArrays($0, count: 3, length: 3, offsets: &outOffsets, data: &outData) } }
            #expect(throws: ParquetError.self) {
                try offsets.withUnsafeBufferPointer { o in try data.withUnsafeBytes { try PlainEncoding.encodeFixedLenByteArrays(offsets: o, data: $0, length: 2, into: &bytes) } }
            }
        }

        @Test func int96_known_instants() throws {
            func int96(nanos: Int64, julianDay: Int32) -> [UInt8] {
                withUnsafeBytes(of: nanos.littleEndian) { Array($0) } + withUnsafeBytes(of: julianDay.littleEndian) { Array($0) }
            }
            // 2020-01-01T00:00:00Z is Julian day 2458850; 12:34:56.789123456 later the same day.
            let nanos: Int64 = (12 * 3600 + 34 * 60 + 56) * 1_000_000_000 + 789_123_456
            let bytes = int96(nanos: 0, julianDay: 2_458_850) + int96(nanos: nanos, julianDay: 2_458_850)
                + int96(nanos: 86_399_999_999_000, julianDay: 2_440_587)
            var micros: [Int64] = []
            #expect(try bytes.withUnsafeBytes { try PlainEncoding.decodeInt96AsMicros($0, count: 3, appendingTo: &micros) } == 36)
            #expect(micros == [1_577_836_800_000_000, 1_577_882_096_789_123, -1])
            var encoded: [UInt8] = []
            micros.withUnsafeBufferPointer { PlainEncoding.encodeInt96(micros: $0, into: &encoded) }
            #expect(Array(encoded[0 ..< 12]) == Array(bytes[0 ..< 12]))
            #expect(Array(encoded[24 ..< 36]) == Array(bytes[24 ..< 36]))
            var back: [Int64] = []
            _ = try encoded.withUnsafeBytes { try PlainEncoding.decodeInt96AsMicros($0, count: 3, appendingTo: &back) }
            #expect(back == micros)
            var out: [Int64] = []
            #expect(throws: ParquetError.self) { try int96(nanos: 0, julianDay: .max).withUnsafeBytes { _ = try PlainEncoding.decodeInt96AsMicros($0, count: 1, appendingTo: &out) } }
            #expect(throws: ParquetError.self) { try bytes.withUnsafeBytes { _ = try PlainEncoding.decodeInt96AsMicros(UnsafeRawBufferPointer(rebasing: $0[0 ..< 23]), count: 2, appendingTo: &out) } }
            #expect(out.isEmpty)
        }
    }
}

// MARK: - Dictionary encoder

extension EncodingTests {
    @Suite struct DictionaryEncoderTests {
        @Test func int64_duplicates_first_seen_order() throws {
            let values: [Int64] = [5, 3, 5, 5, 9, 3, -1, 5]
            let result = try #require(values.withUnsafeBufferPointer { FixedWidthDictionaryEncoder<Int64>.encode($0) })
            #expect(result.dictionary == [5, 3, 9, -1])
            #expect(result.indices == [0, 1, 0, 0, 2, 1, 3, 0])
        }

        @Test func many_distinct_values_grow_the_table() throws {
            var rng = EncodingTestRNG(seed: 6)
            let values = (0 ..< 200_000).map { _ in Int32(truncatingIfNeeded: rng.next() % 50_000) }
            let limits = DictionaryLimits(maxDictionaryBytes: 1 << 30, maxEntries: 1 << 30, earlyCheckAfter: 0)
            let result = try #require(values.withUnsafeBufferPointer { FixedWidthDictionaryEncoder<Int32>.encode($0, limits: limits) })
            #expect(result.indices.map { result.dictionary[Int($0)] } == values)
            #expect(Set(result.dictionary).count == result.dictionary.count)
            #expect(result.dictionary.count == Set(values).count)
        }

        @Test func nan_payloads_and_signed_zeros_are_distinct_keys() throws {
            let weirdNaN = Double(bitPattern: 0x7FF8_0000_0000_0042)
            let values: [Double] = [.nan, 0.0, -0.0, weirdNaN, .nan, -0.0, .infinity, -.nan]
            let result = try #require(values.withUnsafeBufferPointer { FixedWidthDictionaryEncoder<Double>.encode($0) })
            #expect(result.dictionary.map(\.bitPattern) == [Double.nan, 0.0, -0.0, weirdNaN, .infinity, -.nan].map(\.bitPattern))
            #expect(result.indices == [0, 1, 2, 3, 0, 2, 4, 5])
            let floats: [Float] = [-0.0, 0.0, -0.0, .nan]
            let f = try #require(floats.withUnsafeBufferPointer { FixedWidthDictionaryEncoder<Float>.encode($0) })
            #expect(f.indices == [0, 1, 0, 2])
            #expect(f.dictionary.map(\.bitPattern) == [(-0.0 as Float).bitPattern, 0, Float.nan.bitPattern])
        }

        @Test func nulls_are_skipped_and_all_null_is_empty() throws {
            let values: [Int64] = [1, 99, 2, 99, 1, 99, 99, 99, 2, 99]
            let validity: [UInt8] = [0b0001_0101, 0b01]
            let result = try #require(values.withUnsafeBufferPointer { v in
                validity.withUnsafeBytes { FixedWidthDictionaryEncoder<Int64>.encode(v, validity: ValidityBitsView($0)) }
            })
            #expect(result.dictionary == [1, 2])
            #expect(result.indices == [0, 1, 0, 1])
            let none = try #require(values.withUnsafeBufferPointer { v in
                [UInt8](repeating: 0, count: 2).withUnsafeBytes { FixedWidthDictionaryEncoder<Int64>.encode(v, validity: ValidityBitsView($0)) }
            })
            #expect(none.dictionary.isEmpty && none.indices.isEmpty)
        }

        @Test func limits_exceeded_fall_back() {
            let values = (0 ..< 100).map { Int64($0 % 10) }
            let byEntries = values.withUnsafeBufferPointer { FixedWidthDictionaryEncoder<Int64>.encode($0, limits: DictionaryLimits(maxEntries: 9)) }
            #expect(byEntries == nil)
            let byBytes = values.withUnsafeBufferPointer { FixedWidthDictionaryEncoder<Int64>.encode($0, limits: DictionaryLimits(maxDictionaryBytes: 79)) }
            #expect(byBytes == nil)
            let fits = values.withUnsafeBufferPointer { FixedWidthDictionaryEncoder<Int64>.encode($0, limits: DictionaryLimits(maxDictionaryBytes: 80, maxEntries: 10)) }
            #expect(fits?.dictionary.count == 10)
        }

        @Test func high_cardinality_gives_up_early() {
            let unique = (0 ..< 300_000).map { Int64($0) }
            let limits = DictionaryLimits(maxDictionaryBytes: 1 << 30, maxEntries: 1 << 30, earlyCheckAfter: 1000, maxEarlyDistinctRatio: 0.5)
            let encoder = FixedWidthDictionaryEncoder<Int64>(limits: limits)
            var indices: [UInt32] = [42]
            let ok = unique.withUnsafeBufferPointer { encoder.encode($0, validity: nil, indices: &indices) }
            #expect(!ok && !encoder.isViable)
            #expect(indices == [42])
            #expect(encoder.valueCount == 1000)
            #expect(unique.withUnsafeBufferPointer { encoder.encode($0, validity: nil, indices: &indices) } == false)
        }

        @Test func feeding_in_pieces_continues_indices() throws {
            let encoder = FixedWidthDictionaryEncoder<Int32>()
            var indices: [UInt32] = []
            #expect([Int32(7), 8, 7].withUnsafeBufferPointer { encoder.encode($0, validity: nil, indices: &indices) })
            #expect([Int32(9), 8].withUnsafeBufferPointer { encoder.encode($0, validity: nil, indices: &indices) })
            #expect(indices == [0, 1, 0, 2, 1])
            #expect(encoder.dictionary == [7, 8, 9])
            #expect(encoder.plainEncodedByteCount == 12)
            #expect(encoder.indexBitWidth == 2)
        }

        @Test func byte_arrays_duplicates_empty_and_growth() throws {
            let values: [[UInt8]] = [Array("apple".utf8), [], Array("pear".utf8), Array("apple".utf8), [], Array("appl".utf8),
                                     Array("a long string that spans several words".utf8), Array("pear".utf8)]
            let (offsets, data) = EncodingFixtures.layout(values)
            let result = try #require(try offsets.withUnsafeBufferPointer { o in try data.withUnsafeBytes { try ByteArrayDictionaryEncoder.encode(offsets: o, data: $0) } })
            #expect(result.indices == [0, 1, 2, 0, 1, 3, 4, 2])
            #expect(EncodingFixtures.split(offsets: result.offsets, data: result.data) == [values[0], [], values[2], values[5], values[6]])

            var rng = EncodingTestRNG(seed: 7)
            let many = (0 ..< 50_000).map { _ in Array("key-\(rng.next() % 20_000)".utf8) }
            let layout = EncodingFixtures.layout(many)
            let limits = DictionaryLimits(maxDictionaryBytes: 1 << 30, maxEntries: 1 << 30, earlyCheckAfter: 0)
            let big = try #require(try layout.offsets.withUnsafeBufferPointer { o in
                try layout.data.withUnsafeBytes { try ByteArrayDictionaryEncoder.encode(offsets: o, data: $0, limits: limits) }
            })
            let dict = EncodingFixtures.split(offsets: big.offsets, data: big.data)
            #expect(big.indices.map { dict[Int($0)] } == many)
            #expect(Set(dict).count == dict.count)
        }

        @Test func byte_arrays_nulls_limits_and_bad_offsets() throws {
            let (offsets, data) = EncodingFixtures.layout([Array("a".utf8), Array("b".utf8), Array("a".utf8), Array("ccc".utf8)])
            let skipped = try #require(try offsets.withUnsafeBufferPointer { o in
                try data.withUnsafeBytes { d in try [UInt8]([0b0101]).withUnsafeBytes { try ByteArrayDictionaryEncoder.encode(offsets: o, data: d, validity: ValidityBitsView($0)) } }
            })
            #expect(skipped.indices == [0, 0])
            #expect(skipped.data == Array("a".utf8))
            // PLAIN size of {a, b, ccc} is 5 + 5 + 7 = 17 bytes.
            let tooBig = try offsets.withUnsafeBufferPointer { o in
                try data.withUnsafeBytes { try ByteArrayDictionaryEncoder.encode(offsets: o, data: $0, limits: DictionaryLimits(maxDictionaryBytes: 16)) }
            }
            #expect(tooBig == nil)
            let encoder = ByteArrayDictionaryEncoder(limits: DictionaryLimits(maxDictionaryBytes: 17))
            var indices: [UInt32] = []
            #expect(try offsets.withUnsafeBufferPointer { o in try data.withUnsafeBytes { try encoder.encode(offsets: o, data: $0, validity: nil, indices: &indices) } })
            #expect(encoder.plainEncodedByteCount == 17)
            #expect(throws: ParquetError.self) {
                try [0, 5, 2].withUnsafeBufferPointer { o in try data.withUnsafeBytes { _ = try ByteArrayDictionaryEncoder.encode(offsets: o, data: $0) } }
            }
        }
    }
}

// MARK: - DELTA_* and BYTE_STREAM_SPLIT

extension EncodingTests {
    @Suite struct DeltaAndStreamSplitTests {
        @Test func spec_delta_examples_at_a_legal_block_size() throws {
            // Example 1 (1, 2, 3, 4, 5): block 128, 4 miniblocks, 5 values, first 1; min delta 1, widths 0.
            let example1: [UInt8] = [0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0, 0, 0, 0]
            var out1: [Int64] = []
            #expect(try example1.withUnsafeBytes { try DeltaBinaryPackedDecoder.decode($0, count: 5, appendingTo: &out1) } == 10)
            #expect(out1 == [1, 2, 3, 4, 5])
            // Example 2 (7, 5, 3, 1, 2, 3, 4, 5): min delta -2 (zigzag 3), first miniblock width 2,
            // relative deltas 0,0,0,3,3,3,3 packed LSB first: 0xC0 0x3F, padded to 32 values (8 bytes).
            // The unused miniblocks' widths (here 0x63) must be ignored.
            let example2: [UInt8] = [0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0x63, 0x63, 0x63,
                                     0xC0, 0x3F, 0, 0, 0, 0, 0, 0]
            var out2: [Int32] = []
            #expect(try example2.withUnsafeBytes { try DeltaBinaryPackedDecoder.decode($0, count: 8, appendingTo: &out2) } == 18)
            #expect(out2 == [7, 5, 3, 1, 2, 3, 4, 5])
            #expect(EncodingFixtures.deltaEncode([7, 5, 3, 1, 2, 3, 4, 5], domainBits: 32).prefix(12) == example2.prefix(6) + [2, 0, 0, 0, 0xC0, 0x3F])
            // Exactly as printed in the spec (block size 8), which the spec itself calls invalid.
            let asPrinted: [UInt8] = [0x08, 0x01, 0x05, 0x02, 0x02, 0x00]
            var rejected: [Int64] = []
            #expect(throws: ParquetError.self) { try asPrinted.withUnsafeBytes { _ = try DeltaBinaryPackedDecoder.decode($0, count: 5, appendingTo: &rejected) } }
        }

        @Test func delta_round_trips_with_wrapping_and_wide_widths() throws {
            var rng = EncodingTestRNG(seed: 8)
            let configs = [(128, 4), (128, 1), (256, 8), (512, 4)]
            for count in [0, 1, 2, 33, 127, 128, 129, 1000, 5000] {
                for (blockSize, miniblocks) in configs {
                    let wide = (0 ..< count).map { i -> Int64 in i % 3 == 0 ? .min : (i % 3 == 1 ? .max : Int64(bitPattern: rng.next())) }
                    let small = (0 ..< count).map { Int64($0) * 3 + Int64(rng.next() % 7) }
                    for values in [wide, small] {
                        let encoded = EncodingFixtures.deltaEncode(values, domainBits: 64, blockSize: blockSize, miniblocks: miniblocks)
                        var back: [Int64] = []
                        let consumed = try encoded.withUnsafeBytes { try DeltaBinaryPackedDecoder.decode($0, count: count, appendingTo: &back) }
                        #expect(back == values && consumed == encoded.count, "count \(count) block \(blockSize)/\(miniblocks)")
                        let values32 = values.map { Int32(truncatingIfNeeded: $0) }
                        let encoded32 = EncodingFixtures.deltaEncode(values32.map(Int64.init), domainBits: 32, blockSize: blockSize, miniblocks: miniblocks)
                        var back32: [Int32] = []
                        _ = try encoded32.withUnsafeBytes { try DeltaBinaryPackedDecoder.decode($0, count: count, appendingTo: &back32) }
                        #expect(back32 == values32, "int32 count \(count) block \(blockSize)/\(miniblocks)")
                    }
                }
            }
        }

        @Test func delta_rejects_bad_headers_widths_and_counts() {
            func fails<T: DeltaBinaryPackedInteger>(_ bytes: [UInt8], count: Int, as: T.Type) -> Bool {
                var out: [T] = [1]
                let failed = (try? bytes.withUnsafeBytes { try DeltaBinaryPackedDecoder.decode($0, count: count, appendingTo: &out) }) == nil
                return failed && out == [1]
            }
            let valid = EncodingFixtures.deltaEncode([1, 1 << 40, 3], domainBits: 64)
            #expect(!fails(valid, count: 3, as: Int64.self))
            #expect(fails(valid, count: 2, as: Int64.self))                       // count mismatch
            #expect(fails(valid, count: 3, as: Int32.self))                       // width > 32 for INT32
            #expect(fails([0x80, 0x01, 0x03, 0x02, 0x00], count: 2, as: Int64.self))  // 3 miniblocks
            #expect(fails([0x80, 0x01, 0x08, 0x02, 0x00], count: 2, as: Int64.self))  // 16 values per miniblock
            #expect(fails([0x00, 0x01, 0x02, 0x00], count: 2, as: Int64.self))        // block size 0
            #expect(fails([0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 65, 0, 0, 0], count: 2, as: Int64.self))  // width 65
            #expect(fails([0x80, 0x01, 0x04, 0x09, 0x00, 0x00, 0x20, 0, 0, 0], count: 9, as: Int64.self))  // body missing
        }

        @Test func delta_length_byte_array_spec_example() throws {
            let strings = ["Hello", "World", "Foobar", "ABCDEF"]
            let encoded = EncodingFixtures.deltaEncode(strings.map { Int64($0.utf8.count) }, domainBits: 32) + Array(strings.joined().utf8)
            var offsets: [Int] = [], data: [UInt8] = []
            let consumed = try encoded.withUnsafeBytes { try DeltaByteArrayDecoder.decodeDeltaLength($0, count: 4, offsets: &offsets, data: &data) }
            #expect(consumed == encoded.count)
            #expect(offsets == [0, 5, 10, 16, 22])
            #expect(String(decoding: data, as: UTF8.self) == "HelloWorldFoobarABCDEF")
            var truncated = encoded
            truncated.removeLast()
            #expect(throws: ParquetError.self) { try truncated.withUnsafeBytes { _ = try DeltaByteArrayDecoder.decodeDeltaLength($0, count: 4, offsets: &offsets, data: &data) } }
            let negative = EncodingFixtures.deltaEncode([3, -1], domainBits: 32) + [1, 2, 3]
            #expect(throws: ParquetError.self) { try negative.withUnsafeBytes { _ = try DeltaByteArrayDecoder.decodeDeltaLength($0, count: 2, offsets: &offsets, data: &data) } }
            #expect(offsets == [0, 5, 10, 16, 22])
        }

        @Test func delta_byte_array_spec_example() throws {
            let encoded = EncodingFixtures.deltaEncode([0, 2, 0, 3], domainBits: 32)
                + EncodingFixtures.deltaEncode([4, 2, 6, 5], domainBits: 32) + Array("axislebabbleyhood".utf8)
            var offsets: [Int] = [0, 2], data: [UInt8] = Array("zz".utf8)
            let consumed = try encoded.withUnsafeBytes { try DeltaByteArrayDecoder.decodeDeltaByteArray($0, count: 4, offsets: &offsets, data: &data) }
            #expect(consumed == encoded.count)
            #expect(EncodingFixtures.split(offsets: offsets, data: data).map { String(decoding: $0, as: UTF8.self) }
                == ["zz", "axis", "axle", "babble", "babyhood"])
            #expect(throws: ParquetError.self) {
                try encoded.withUnsafeBytes { _ = try DeltaByteArrayDecoder.decodeDeltaByteArray($0, count: 4, offsets: &offsets, data: &data, maxDecodedBytes: 20) }
            }
            let badPrefix = EncodingFixtures.deltaEncode([0, 5], domainBits: 32) + EncodingFixtures.deltaEncode([4, 1], domainBits: 32) + Array("axisz".utf8)
            #expect(throws: ParquetError.self) { try badPrefix.withUnsafeBytes { _ = try DeltaByteArrayDecoder.decodeDeltaByteArray($0, count: 2, offsets: &offsets, data: &data) } }
            #expect(offsets.count == 6)
        }

        @Test func byte_stream_split_spec_example_and_round_trips() throws {
            let encoded: [UInt8] = [0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4, 0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6]
            var floats: [Float] = []
            #expect(try encoded.withUnsafeBytes { try ByteStreamSplitDecoder.decode($0, count: 3, appendingTo: &floats) } == 12)
            #expect(floats.map(\.bitPattern) == [0xDDCC_BBAA, 0x3322_1100, 0xD6C5_B4A3])
            var ints: [Int32] = []
            _ = try encoded.withUnsafeBytes { try ByteStreamSplitDecoder.decode($0, count: 3, appendingTo: &ints) }
            #expect(ints.map { UInt32(bitPattern: $0) } == [0xDDCC_BBAA, 0x3322_1100, 0xD6C5_B4A3])
            var rng = EncodingTestRNG(seed: 9)
            let doubles = (0 ..< 101).map { _ in Double(bitPattern: rng.next()) } + [-0.0, .nan]
            var split = [UInt8](repeating: 0, count: doubles.count * 8)
            for (i, d) in doubles.enumerated() {
                for k in 0 ..< 8 { split[k * doubles.count + i] = UInt8(truncatingIfNeeded: d.bitPattern >> UInt64(8 * k)) }
            }
            var back: [Double] = []
            _ = try split.withUnsafeBytes { try ByteStreamSplitDecoder.decode($0, count: doubles.count, appendingTo: &back) }
            #expect(back.map(\.bitPattern) == doubles.map(\.bitPattern))
            var longs: [Int64] = []
            _ = try split.withUnsafeBytes { try ByteStreamSplitDecoder.decode($0, count: doubles.count, appendingTo: &longs) }
            #expect(longs.map { UInt64(bitPattern: $0) } == doubles.map(\.bitPattern))
            var offsets: [Int] = [], data: [UInt8] = []
            _ = try encoded.withUnsafeBytes { try ByteStreamSplitDecoder.decodeFixedLenByteArrays($0, count: 4, width: 3, offsets: &offsets, data: &data) }
            #expect(offsets == [0, 3, 6, 9, 12])
            #expect(data == [0xAA, 0x11, 0xC5, 0x00, 0xB4, 0xDD, 0xA3, 0xCC, 0x33, 0xBB, 0x22, 0xD6])
            #expect(throws: ParquetError.self) { try encoded.withUnsafeBytes { _ = try ByteStreamSplitDecoder.decode($0, count: 2, appendingTo: &longs) } }
        }

        /// The encoder gives the spec's layout (checked against the hand-split bytes above) and
        /// round-trips through the decoder, skipping null slots.
        @Test func byte_stream_split_encoder() throws {
            let floats: [Float] = [Float(bitPattern: 0xDDCC_BBAA), Float(bitPattern: 0x3322_1100), Float(bitPattern: 0xD6C5_B4A3)]
            var out: [UInt8] = [7]
            floats.withUnsafeBufferPointer { ByteStreamSplitEncoder.encode($0, validity: nil, into: &out) }
            #expect(out == [7, 0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4, 0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6])
            var rng = EncodingTestRNG(seed: 10)
            let doubles = (0 ..< 77).map { _ in Double(bitPattern: rng.next()) } + [-0.0, .nan, .infinity]
            let valid = doubles.indices.map { $0 % 3 != 1 }
            var bits = [UInt8](repeating: 0, count: (doubles.count + 7) / 8)
            for (i, v) in valid.enumerated() where v { bits[i >> 3] |= 1 << UInt8(i & 7) }
            var encoded: [UInt8] = []
            bits.withUnsafeBytes { raw in
                doubles.withUnsafeBufferPointer { ByteStreamSplitEncoder.encode($0, validity: ValidityBitsView(raw), into: &encoded) }
            }
            let present = zip(doubles, valid).filter(\.1).map(\.0)
            #expect(encoded.count == present.count * 8)
            var back: [Double] = []
            _ = try encoded.withUnsafeBytes { try ByteStreamSplitDecoder.decode($0, count: present.count, appendingTo: &back) }
            #expect(back.map(\.bitPattern) == present.map(\.bitPattern))
            var odd: [UInt8] = []
            let triples: [UInt8] = [1, 2, 3, 4, 5, 6]
            triples.withUnsafeBytes { ByteStreamSplitEncoder.append($0, width: 3, into: &odd) }
            #expect(odd == [1, 4, 2, 5, 3, 6])
        }
    }
}

// MARK: - Robustness: truncated and random input never crashes

extension EncodingTests {
    @Suite struct RobustnessTests {
        /// Runs every decoder over `bytes` with value count `count`; each may throw, none may crash.
        static func decodeAll(_ bytes: [UInt8], count: Int, bitWidth: Int) {
            bytes.withUnsafeBytes { src in
                var u32 = [UInt32](repeating: 0, count: count)
                u32.withUnsafeMutableBufferPointer { dst in
                    _ = try? RLEHybridDecoder.decode(src, bitWidth: bitWidth, count: count, into: dst)
                    _ = try? RLEHybridDecoder.decodeLengthPrefixed(src, bitWidth: bitWidth, count: count, into: dst)
                }
                _ = try? RLEHybridDecoder.decodeDefinitionLevels(src, count: count, maxLevel: 1)
                _ = try? RLEHybridDecoder.decodeDefinitionLevels(src, count: count, maxLevel: 3)
                var i32: [Int32] = [], i64: [Int64] = [], f64: [Double] = [], bools: [Bool] = []
                _ = try? PlainEncoding.decode(src, count: count, appendingTo: &i32)
                _ = try? PlainEncoding.decodeBooleans(src, count: count, appendingTo: &bools)
                _ = try? PlainEncoding.decodeInt96AsMicros(src, count: count, appendingTo: &i64)
                _ = try? DeltaBinaryPackedDecoder.decode(src, count: count, appendingTo: &i32)
                _ = try? DeltaBinaryPackedDecoder.decode(src, count: count, appendingTo: &i64)
                _ = try? ByteStreamSplitDecoder.decode(src, count: count, appendingTo: &f64)
                var offsets: [Int] = [], data: [UInt8] = []
                _ = try? PlainEncoding.decodeByteArrays(src, count: count, offsets: &offsets, data: &data)
                _ = try? PlainEncoding.decodeFixedLenByteArrays(src, count: count, length: 3, offsets: &offsets, data: &data)
                _ = try? DeltaByteArrayDecoder.decodeDeltaLength(src, count: count, offsets: &offsets, data: &data)
                _ = try? DeltaByteArrayDecoder.decodeDeltaByteArray(src, count: count, offsets: &offsets, data: &data, maxDecodedBytes: 1 << 20)
                #expect(offsets.isEmpty || offsets.last == data.count)
            }
        }

        static func validBuffers() throws -> [(bytes: [UInt8], count: Int, bitWidth: Int)] {
            var rng = EncodingTestRNG(seed: 10)
            let levels = EncodingFixtures.values(count: 300, bitWidth: 1, pattern: 0, rng: &rng)
            let indices = EncodingFixtures.values(count: 300, bitWidth: 11, pattern: 0, rng: &rng)
            var prefixed: [UInt8] = []
            try levels.withUnsafeBufferPointer { try RLEHybridEncoder.encodeLengthPrefixed($0, bitWidth: 1, into: &prefixed) }
            let strings = (0 ..< 40).map { Array("value-\($0 * 7)".utf8) }
            let deltaLength = EncodingFixtures.deltaEncode(strings.map { Int64($0.count) }, domainBits: 32) + strings.joined()
            let deltaBytes = EncodingFixtures.deltaEncode([0, 2, 0, 3], domainBits: 32)
                + EncodingFixtures.deltaEncode([4, 2, 6, 5], domainBits: 32) + Array("axislebabbleyhood".utf8)
            return [
                (RLEHybridEncoder.encode(levels, bitWidth: 1), 300, 1),
                (RLEHybridEncoder.encode(indices, bitWidth: 11), 300, 11),
                (prefixed, 300, 1),
                (EncodingFixtures.deltaEncode((0 ..< 300).map { Int64($0 * $0) - 5000 }, domainBits: 64), 300, 7),
                (deltaLength, 40, 3),
                (deltaBytes, 4, 2),
                (EncodingFixtures.plainByteArrays(strings), 40, 5),
            ]
        }

        @Test func every_truncation_of_valid_buffers() throws {
            for (bytes, count, width) in try Self.validBuffers() {
                for cut in 0 ... bytes.count {
                    Self.decodeAll(Array(bytes.prefix(cut)), count: count, bitWidth: width)
                }
            }
        }

        @Test func truncated_rle_and_delta_throw_or_decode_the_original() throws {
            // Cutting only padding of the last group may still decode; wrong values never appear.
            var rng = EncodingTestRNG(seed: 12)
            for width in [1, 5, 11, 32] {
                let values = EncodingFixtures.values(count: 300, bitWidth: width, pattern: 0, rng: &rng)
                let encoded = RLEHybridEncoder.encode(values, bitWidth: width)
                var threw = 0
                for cut in 0 ..< encoded.count {
                    if let decoded = try? RLEHybridDecoder.decode(Array(encoded.prefix(cut)), bitWidth: width, count: 300) {
                        #expect(decoded == values, "width \(width) cut \(cut)")
                    } else {
                        threw += 1
                    }
                }
                #expect(threw >= encoded.count - width, "width \(width)")
            }
            let longs = (0 ..< 300).map { Int64($0 * $0) - 5000 }
            let delta = EncodingFixtures.deltaEncode(longs, domainBits: 64)
            for cut in 0 ..< delta.count {
                var out: [Int64] = []
                if (try? Array(delta.prefix(cut)).withUnsafeBytes({ try DeltaBinaryPackedDecoder.decode($0, count: 300, appendingTo: &out) })) != nil {
                    #expect(out == longs, "cut \(cut)")
                } else {
                    #expect(out.isEmpty)
                }
            }
        }

        @Test func random_buffers_never_crash() {
            var rng = EncodingTestRNG(seed: 11)
            for round in 0 ..< 2000 {
                let length = Int(rng.next() % 80)
                var bytes = (0 ..< length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                // Half the time start with a plausible DELTA header or small RLE headers.
                if round % 2 == 0 && length > 4 {
                    bytes[0] = 0x80; bytes[1] = 0x01; bytes[2] = 0x04; bytes[3] = UInt8(rng.next() % 64)
                } else if round % 3 == 0 {
                    for i in stride(from: 0, to: length, by: 3) { bytes[i] = UInt8(rng.next() % 16) }
                }
                let count = round % 4 == 0 && length > 4 ? Int(bytes[3]) : Int(rng.next() % 70)
                let width = Int(rng.next() % 34)
                Self.decodeAll(bytes, count: count, bitWidth: width)
            }
        }
    }
}
