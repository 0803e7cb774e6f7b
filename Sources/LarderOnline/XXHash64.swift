/// XXH64 (Yann Collet's xxHash, 64-bit variant), written out here because this module links no
/// hashing library. It serves twice: as the key hash that places entries in the hash table, and
/// as the checksum of every header and section of an online file. Output matches the reference
/// implementation (`XXH64(data, len, seed)`), so other tools can verify a file.
enum XXHash64 {
    static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    /// The hash of `bytes`.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        guard let base = bytes.baseAddress else { return finish(seed &+ prime5) }
        return hash(base, count: bytes.count, seed: seed)
    }

    /// The hash of one little-endian 64-bit word: the same as hashing its 8 bytes, without
    /// going through memory (the hot path for int64 keys).
    @inline(__always)
    static func hash(word: UInt64, seed: UInt64 = 0) -> UInt64 {
        var h = seed &+ prime5 &+ 8
        h ^= round(0, word)
        h = rotl(h, 27) &* prime1 &+ prime4
        return finish(h)
    }

    /// The hash of one little-endian 32-bit word (the 4 bytes of an int32 key).
    @inline(__always)
    static func hash(word32: UInt32, seed: UInt64 = 0) -> UInt64 {
        var h = seed &+ prime5 &+ 4
        h ^= UInt64(word32) &* prime1
        h = rotl(h, 23) &* prime2 &+ prime3
        return finish(h)
    }

    /// The hash of `count` bytes at `base`.
    static func hash(_ base: UnsafeRawPointer, count: Int, seed: UInt64 = 0) -> UInt64 {
        var p = 0
        var h: UInt64
        if count >= 32 {
            var v1 = seed &+ prime1 &+ prime2
            var v2 = seed &+ prime2
            var v3 = seed
            var v4 = seed &- prime1
            let limit = count - 32
            while p <= limit {
                v1 = round(v1, load64(base, p))
                v2 = round(v2, load64(base, p + 8))
                v3 = round(v3, load64(base, p + 16))
                v4 = round(v4, load64(base, p + 24))
                p += 32
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            h = mergeRound(h, v1)
            h = mergeRound(h, v2)
            h = mergeRound(h, v3)
            h = mergeRound(h, v4)
        } else {
            h = seed &+ prime5
        }
        h &+= UInt64(count)
        while p + 8 <= count {
            h ^= round(0, load64(base, p))
            h = rotl(h, 27) &* prime1 &+ prime4
            p += 8
        }
        if p + 4 <= count {
            h ^= UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt32.self))) &* prime1
            h = rotl(h, 23) &* prime2 &+ prime3
            p += 4
        }
        while p < count {
            h ^= UInt64(base.load(fromByteOffset: p, as: UInt8.self)) &* prime5
            h = rotl(h, 11) &* prime1
            p += 1
        }
        return finish(h)
    }

    @inline(__always)
    private static func load64(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x &<< r) | (x &>> (64 &- r)) }

    @inline(__always)
    private static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        rotl(acc &+ input &* prime2, 31) &* prime1
    }

    @inline(__always)
    private static func mergeRound(_ acc: UInt64, _ val: UInt64) -> UInt64 {
        (acc ^ round(0, val)) &* prime1 &+ prime4
    }

    @inline(__always)
    private static func finish(_ hash: UInt64) -> UInt64 {
        var h = hash
        h ^= h &>> 33
        h &*= prime2
        h ^= h &>> 29
        h &*= prime3
        h ^= h &>> 32
        return h
    }
}

extension XXHash64 {
    /// The hash of a byte array (slow path: tests, small metadata).
    static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }
}
