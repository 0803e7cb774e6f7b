import LarderColumnar

extension CanonicalTable {
    /// The canonical form of a Larder batch, so it compares with what pyarrow, DuckDB and
    /// polars read (see `scripts/interop/canonical.py`).
    public init(_ batch: RecordBatch) {
        let columns = zip(batch.schema.fields, batch.columns).map { field, column in
            CanonicalColumn(name: field.name, type: Self.canonicalType(field.type),
                            values: (0 ..< column.count).map { Self.canonicalValue(column[$0]) })
        }
        self.init(numRows: batch.rowCount, columns: columns)
    }

    /// Larder's type name in the canonical scheme (vectors are `array<float32>`).
    public static func canonicalType(_ type: DataType) -> String {
        if case .vector = type { return "array<float32>" }
        return type.description
    }

    public static func canonicalValue(_ value: Value) -> CanonicalValue {
        switch value {
        case .null: .null
        case .int32(let v): .int(Int64(v))
        case .int64(let v): .int(v)
        case .float32(let v): .float(v)
        case .float64(let v): .float(v)
        case .bool(let v): .bool(v)
        case .string(let v): .string(v)
        case .binary(let v): .binary(v)
        case .timestamp(let v): .int(v)
        case .date(let v): .int(Int64(v))
        case .vector(let v): .array(v.map { .float($0) })
        }
    }
}
