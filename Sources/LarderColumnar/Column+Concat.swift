// Concatenate: one column from several of the same type.

extension Column {
    /// The rows of `columns`, one after another.
    ///
    /// ```swift
    /// try Column.concatenate([.int64([1, 2]), .int64([3])])   // [1, 2, 3]
    /// ```
    /// - Throws: ``ColumnarError`` `.typeMismatch` if the columns differ in type (vectors must
    ///   also agree in dimension), `.lengthMismatch` if `columns` is empty (there is no type
    ///   to give the result; build an empty column with ``ColumnBuilder`` instead).
    public static func concatenate(_ columns: [Column]) throws -> Column {
        guard let first = columns.first else {
            throw ColumnarError(.lengthMismatch, "no columns to concatenate; pass at least one")
        }
        for (position, column) in columns.enumerated() where column.type != first.type {
            throw ColumnarError(.typeMismatch, "column \(position) is \(column.type) but column 0 is \(first.type)")
        }
        if columns.count == 1 { return first }
        let total = columns.reduce(0) { $0 + $1.count }
        let out: ColumnStorage
        switch first.storage {
        case .int32: out = .int32(try concatFixed(columns, total) { $0.int32Values })
        case .int64: out = .int64(try concatFixed(columns, total) { $0.int64Values })
        case .float32: out = .float32(try concatFixed(columns, total) { $0.float32Values })
        case .float64: out = .float64(try concatFixed(columns, total) { $0.float64Values })
        case .bool: out = .bool(try concatFixed(columns, total) { $0.boolValues })
        case .bytes: out = try concatBytes(columns, total)
        case .vector(let d, _):
            let values = try concatFixed(columns, total * d) { column -> [Float]? in
                if case .vector(_, let v) = column.storage { v } else { nil }
            }
            out = .vector(dimension: d, values: values)
        }
        return Column(unchecked: first.type, storage: out, validity: concatValidity(columns, total))
    }
}

private func layoutError(_ column: Column) -> ColumnarError {
    ColumnarError(.typeMismatch, "a \(column.type) column has \(column.storage.layoutName) storage")
}

private func concatFixed<T>(_ columns: [Column], _ total: Int, _ values: (Column) -> [T]?) throws -> [T] {
    var out = [T]()
    out.reserveCapacity(total)
    for column in columns {
        guard let v = values(column) else { throw layoutError(column) }
        out.append(contentsOf: v)
    }
    return out
}

private func concatBytes(_ columns: [Column], _ total: Int) throws -> ColumnStorage {
    var byteCount = 0
    for column in columns {
        guard case .bytes(_, let data) = column.storage else { throw layoutError(column) }
        byteCount += data.count
    }
    var offsets = [Int]()
    offsets.reserveCapacity(total + 1)
    offsets.append(0)
    var data = [UInt8]()
    data.reserveCapacity(byteCount)
    for column in columns {
        guard case .bytes(let o, let d) = column.storage else { throw layoutError(column) }
        let base = data.count
        o.withUnsafeBufferPointer { o in
            for i in o.indices.dropFirst() { offsets.append(o[i] + base) }
        }
        data.append(contentsOf: d)
    }
    return .bytes(offsets: offsets, data: data)
}

private func concatValidity(_ columns: [Column], _ total: Int) -> Bitmap? {
    guard columns.contains(where: { $0.validity != nil }) else { return nil }
    var bytes = [UInt8](repeating: 0, count: (total + 7) / 8)
    bytes.withUnsafeMutableBufferPointer { dst in
        var start = 0
        for column in columns {
            if let validity = column.validity {
                validity.bytes.withUnsafeBufferPointer { src in
                    copyBits(from: src, at: 0, to: dst, at: start, count: column.count)
                }
            } else {
                setBits(dst, at: start, count: column.count)
            }
            start += column.count
        }
    }
    return Bitmap(uncheckedBytes: bytes, count: total).asValidity
}
