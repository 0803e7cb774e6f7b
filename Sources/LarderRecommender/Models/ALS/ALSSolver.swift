/// Implicit-feedback alternating least squares (Hu, Koren and Volinsky 2008) with the
/// conjugate-gradient update of Takács, Pilászy and Tikk (2011).
///
/// With preferences p = 1 for booked pairs (else 0) and confidences c = 1 + α·r (r bookings;
/// 1 for pairs never booked), each sweep minimizes, for every user u with the item factors Y
/// fixed, Σᵢ cᵤᵢ (pᵤᵢ − xᵤ·yᵢ)² + λ‖xᵤ‖², whose normal equations are
/// (YᵀY + λI + Σ_{i booked} (cᵤᵢ − 1) yᵢyᵢᵀ) xᵤ = Σ_{i booked} cᵤᵢ yᵢ; then the same for
/// items with the user factors fixed. YᵀY + λI is computed once per sweep; the rest touches
/// only the booked items, so a sweep costs O(f²·(users + items) + f·bookings). Each vector
/// is improved by `cgSteps` conjugate-gradient steps from its previous value instead of a
/// full solve. Rows are independent, so they run on `threads` threads; the result does not
/// depend on how rows are shared out.
struct ALSSolver {
    let factors: Int
    let regularization: Float
    let cgSteps: Int
    let threads: Int

    /// Confidences in compressed rows, pinned for the workers.
    final class Confidences: Sendable {
        let rows: Int
        let start: WorkBuffer<Int>
        let columns: WorkBuffer<Int32>
        let values: WorkBuffer<Float>

        init(_ m: SparseRows) {
            rows = m.rowCount
            start = WorkBuffer(m.start)
            columns = WorkBuffer(m.columns)
            values = WorkBuffer(m.values)
        }
    }

    /// One half-sweep: updates every row of `x` (rows × factors) from `y` (× factors) and the
    /// confidences `c` (per row of `x`: column indexes into `y` and c = 1 + α·r).
    func update(_ x: WorkBuffer<Float>, fixed y: WorkBuffer<Float>, confidence c: Confidences) {
        let f = factors, steps = cgSteps
        let gram = self.gram(y)
        Parallel.forEachChunk(count: c.rows, chunk: 256, threads: threads) { range, _ in
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 3 * f)
            defer { scratch.deallocate() }
            for u in range {
                let first = c.start.base[u]
                Self.solveRow(x: x.base + u * f, y: y.base, gram: gram.base, columns: c.columns.base + first,
                              confidences: c.values.base + first, count: c.start.base[u + 1] - first,
                              factors: f, steps: steps, scratch: scratch)
            }
        }
    }

    /// YᵀY + λI (factors × factors, row-major), summed over `threads` blocks of rows in block
    /// order (so the result is the same on every run with the same thread count).
    func gram(_ y: WorkBuffer<Float>) -> WorkBuffer<Float> {
        let f = factors
        let rows = y.count / max(1, f)
        let blocks = max(1, min(threads, rows))
        let partial = WorkBuffer<Float>(repeating: 0, count: blocks * f * f)
        let per = (rows + blocks - 1) / max(1, blocks)
        Parallel.forEachChunk(count: blocks, chunk: 1, threads: blocks) { range, _ in
            for block in range {
                let g = partial.base + block * f * f
                for i in block * per ..< min(rows, (block + 1) * per) {
                    let v = y.base + i * f
                    for a in 0 ..< f where v[a] != 0 { VectorMath.axpy(g + a * f, v[a], v, f) }
                }
            }
        }
        let g = WorkBuffer<Float>(repeating: 0, count: f * f)
        for block in 0 ..< blocks { VectorMath.axpy(g.base, 1, partial.base + block * f * f, f * f) }
        for a in 0 ..< f { g.base[a * f + a] += regularization }
        return g
    }

    /// Conjugate-gradient steps on one row's normal equations, starting from its current value;
    /// a row without bookings gets the zero vector.
    @inline(__always)
    static func solveRow(x: UnsafeMutablePointer<Float>, y: UnsafePointer<Float>, gram: UnsafePointer<Float>,
                         columns: UnsafePointer<Int32>, confidences: UnsafePointer<Float>, count: Int,
                         factors f: Int, steps: Int, scratch: UnsafeMutablePointer<Float>) {
        guard count > 0 else {
            x.update(repeating: 0, count: f)
            return
        }
        let r = scratch, p = scratch + f, ap = scratch + 2 * f
        // r = b − A·x = Σ c·yᵢ − (G·x + Σ (c − 1)(yᵢ·x) yᵢ)
        VectorMath.matvec(r, gram, x, f)
        for k in 0 ..< f { r[k] = -r[k] }
        for e in 0 ..< count {
            let yi = y + Int(columns[e]) * f
            let c = confidences[e]
            VectorMath.axpy(r, c - (c - 1) * VectorMath.dot(yi, x, f), yi, f)
        }
        p.update(from: r, count: f)
        var rsOld = VectorMath.dot(r, r, f)
        if rsOld < 1e-20 { return }
        for _ in 0 ..< steps {
            // A·p without forming A: G·p + Σ (c − 1)(yᵢ·p) yᵢ
            VectorMath.matvec(ap, gram, p, f)
            for e in 0 ..< count {
                let yi = y + Int(columns[e]) * f
                VectorMath.axpy(ap, (confidences[e] - 1) * VectorMath.dot(yi, p, f), yi, f)
            }
            let alpha = rsOld / VectorMath.dot(p, ap, f)
            VectorMath.axpy(x, alpha, p, f)
            VectorMath.axpy(r, -alpha, ap, f)
            let rsNew = VectorMath.dot(r, r, f)
            if rsNew < 1e-20 { break }
            VectorMath.xpby(p, r, rsNew / rsOld, f)
            rsOld = rsNew
        }
    }
}
