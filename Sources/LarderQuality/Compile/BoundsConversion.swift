/// Turning `min_value` / `max_value` with strictness into inclusive bounds on raw values, so
/// the per-value kernels compare `lo <= v && v <= hi` only.
extension NumericBounds {
    /// The smallest double that passes the lower bound (`-inf` without one).
    var inclusiveDoubleLow: Double {
        guard let min, let d = min.numberValue else { return -.infinity }
        return strictMin ? d.nextUp : d
    }

    /// The largest double that passes the upper bound (`+inf` without one).
    var inclusiveDoubleHigh: Double {
        guard let max, let d = max.numberValue else { return .infinity }
        return strictMax ? d.nextDown : d
    }

    /// The integers `v` with `v * unitMicros` within the bounds (bounds of temporal columns are
    /// microseconds; `unitMicros` is 1 for plain integers and timestamps, a day for dates).
    /// Nil when no integer passes.
    func integerRange(unitMicros: Int64) -> ClosedRange<Int64>? {
        var lo = Int64.min, hi = Int64.max
        if let min {
            guard let v = Self.lowest(min, strict: strictMin, unit: unitMicros) else { return nil }
            lo = v
        }
        if let max {
            guard let v = Self.highest(max, strict: strictMax, unit: unitMicros) else { return nil }
            hi = v
        }
        return lo <= hi ? lo ... hi : nil
    }

    /// The least integer passing a lower bound; nil when none does.
    private static func lowest(_ bound: QualityJSON, strict: Bool, unit: Int64) -> Int64? {
        switch bound {
        case .int(let m):
            let (q, r) = m.quotientAndRemainder(dividingBy: unit)
            let floorQ = r < 0 ? q - 1 : q           // floor(m / unit)
            let exact = r == 0
            if strict { return floorQ == Int64.max ? nil : floorQ + 1 }
            return exact ? floorQ : floorQ + 1           // ceil(m / unit)
        default:
            let d = (bound.numberValue ?? .nan) / Double(unit)
            if d.isNaN || d >= 9.2e18 { return nil }
            if d < -9.2e18 { return Int64.min }
            let f = d.rounded(.down)
            if strict { return Int64(f) + 1 }
            return Int64(d.rounded(.up))
        }
    }

    /// The greatest integer passing an upper bound; nil when none does.
    private static func highest(_ bound: QualityJSON, strict: Bool, unit: Int64) -> Int64? {
        switch bound {
        case .int(let m):
            let (q, r) = m.quotientAndRemainder(dividingBy: unit)
            let floorQ = r < 0 ? q - 1 : q
            if strict { return r == 0 ? (floorQ == Int64.min ? nil : floorQ - 1) : floorQ }
            return floorQ
        default:
            let d = (bound.numberValue ?? .nan) / Double(unit)
            if d.isNaN || d < -9.2e18 { return nil }
            if d >= 9.2e18 { return Int64.max }
            let c = d.rounded(.up)
            if strict { return Int64(c) - 1 }
            return Int64(d.rounded(.down))
        }
    }
}
