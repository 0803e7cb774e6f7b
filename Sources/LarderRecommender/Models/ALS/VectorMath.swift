/// Small dense kernels over Float buffers for the ALS solver, written with SIMD8 so they
/// vectorize in release builds (float reductions do not auto-vectorize without reassociation).
enum VectorMath {
    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    private static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    /// a · b over `n` floats.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var k = 0
        while k + 16 <= n {
            acc0 += load(a + k) * load(b + k)
            acc1 += load(a + k + 8) * load(b + k + 8)
            k += 16
        }
        if k + 8 <= n {
            acc0 += load(a + k) * load(b + k)
            k += 8
        }
        var s = (acc0 + acc1).sum()
        while k < n {
            s += a[k] * b[k]
            k += 1
        }
        return s
    }

    /// y += alpha · x over `n` floats.
    @inline(__always)
    static func axpy(_ y: UnsafeMutablePointer<Float>, _ alpha: Float, _ x: UnsafePointer<Float>, _ n: Int) {
        let a = SIMD8<Float>(repeating: alpha)
        var k = 0
        while k + 8 <= n {
            store(load(y + k) + a * load(x + k), y + k)
            k += 8
        }
        while k < n {
            y[k] += alpha * x[k]
            k += 1
        }
    }

    /// p = r + beta · p over `n` floats.
    @inline(__always)
    static func xpby(_ p: UnsafeMutablePointer<Float>, _ r: UnsafePointer<Float>, _ beta: Float, _ n: Int) {
        let b = SIMD8<Float>(repeating: beta)
        var k = 0
        while k + 8 <= n {
            store(load(r + k) + b * load(p + k), p + k)
            k += 8
        }
        while k < n {
            p[k] = r[k] + beta * p[k]
            k += 1
        }
    }

    /// out = M · x for a row-major n×n matrix M.
    @inline(__always)
    static func matvec(_ out: UnsafeMutablePointer<Float>, _ m: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int) {
        for a in 0 ..< n { out[a] = dot(m + a * n, x, n) }
    }
}
