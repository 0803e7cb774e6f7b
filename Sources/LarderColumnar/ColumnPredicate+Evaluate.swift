extension ColumnPredicate {
    /// The rows of `batch` that satisfy the predicate (nulls never satisfy a comparison).
    /// - Throws: ``ColumnarError`` `.unknownColumn` when the batch lacks the column,
    ///   `.typeMismatch` when a value does not fit the column's type.
    public func evaluate(on batch: RecordBatch) throws -> Bitmap {
        guard let column = batch.column(named: self.column) else {
            throw ColumnarError(.unknownColumn, "no such column; the batch has \(batch.schema.names.joined(separator: ", "))", column: self.column)
        }
        switch self {
        case .equals(_, let v):
            return try column.compare(.equal, v)
        case .range(_, let lower, let upper):
            var mask = column.isNotNull()
            if let lower { mask = mask & (try column.compare(.greaterOrEqual, lower)) }
            if let upper { mask = mask & (try column.compare(.lessOrEqual, upper)) }
            return mask
        case .isIn(_, let values):
            // Check every value's type through compare so a wrong type is an error, not "no match".
            if let first = values.first { _ = try column.compare(.equal, first) }
            return column.isIn(Set(values))
        case .isNull:
            return column.isNull()
        }
    }
}
