import Foundation

/// L2-regularized logistic regression fitted by Newton's method (iteratively reweighted least
/// squares): minimizes Σᵣ [log(1 + e^{zᵣ}) − yᵣ·zᵣ] + (λ/2)·‖w‖², zᵣ = b + w·xᵣ, where the
/// intercept b is not penalized. Each step solves (XᵀSX + λI)·Δ = ∇ (S = diag(p(1 − p)))
/// by Cholesky; it stops when no coefficient moves by more than 1e-7 or after `iterations`.
struct LogisticRegression: Sendable, Hashable {
    /// The intercept, then one weight per feature.
    var coefficients: [Double]

    /// The logit b + w·x.
    @inline(__always)
    func logit(_ x: UnsafeBufferPointer<Double>) -> Double {
        var z = coefficients[0]
        for j in 0 ..< x.count { z += coefficients[j + 1] * x[j] }
        return z
    }

    /// Fits on `rows` rows of `width` features (row-major `x`) and labels `y`.
    static func fit(x: [Double], y: [Bool], width: Int, l2: Double, iterations: Int) -> LogisticRegression {
        let d = width + 1
        let n = y.count
        var w = [Double](repeating: 0, count: d)
        // Start the intercept at the log-odds of the labels.
        let positives = Double(y.reduce(0) { $0 + ($1 ? 1 : 0) })
        w[0] = log((positives + 0.5) / (Double(n) - positives + 0.5))
        for _ in 0 ..< iterations {
            var gradient = [Double](repeating: 0, count: d)
            var hessian = [Double](repeating: 0, count: d * d)
            var row = [Double](repeating: 1, count: d)
            for r in 0 ..< n {
                for j in 0 ..< width { row[j + 1] = x[r * width + j] }
                var z = 0.0
                for j in 0 ..< d { z += w[j] * row[j] }
                let p = 1 / (1 + exp(-z))
                let residual = p - (y[r] ? 1 : 0)
                let s = max(p * (1 - p), 1e-12)
                for a in 0 ..< d {
                    gradient[a] += residual * row[a]
                    let sa = s * row[a]
                    for b in a ..< d { hessian[a * d + b] += sa * row[b] }
                }
            }
            for a in 0 ..< d { for b in 0 ..< a { hessian[a * d + b] = hessian[b * d + a] } }
            for j in 1 ..< d {
                gradient[j] += l2 * w[j]
                hessian[j * d + j] += l2
            }
            hessian[0] += 1e-9
            guard let step = solve(hessian, gradient, d) else { break }
            var largest = 0.0
            for j in 0 ..< d {
                w[j] -= step[j]
                largest = max(largest, abs(step[j]))
            }
            if largest < 1e-7 { break }
        }
        return LogisticRegression(coefficients: w)
    }

    /// Solves the symmetric positive definite system A·x = b (n × n) by Cholesky; nil when A
    /// is not positive definite.
    static func solve(_ a: [Double], _ b: [Double], _ n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0 ..< n {
            for j in 0 ... i {
                var sum = a[i * n + j]
                for k in 0 ..< j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        var y = b
        for i in 0 ..< n {
            for k in 0 ..< i { y[i] -= l[i * n + k] * y[k] }
            y[i] /= l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in i + 1 ..< n { y[i] -= l[k * n + i] * y[k] }
            y[i] /= l[i * n + i]
        }
        return y
    }
}
