/// A schema and one column per field, all of the same length.
public struct RecordBatch: Hashable, Sendable {
    public let schema: Schema
    public let columns: [Column]
    public let rowCount: Int

    /// Creates a batch.
    /// - Throws: ``ColumnarError`` when the column count, a column's type or a column's
    ///   length does not match the schema, or a non-nullable field holds nulls.
    public init(schema: Schema, columns: [Column]) throws {
        guard schema.count == columns.count else {
            throw ColumnarError(.lengthMismatch, "schema has \(schema.count) fields but \(columns.count) columns were given")
        }
        let rows = columns.first?.count ?? 0
        for (field, column) in zip(schema.fields, columns) {
            guard field.type == column.type else {
                throw ColumnarError(.typeMismatch, "column is \(column.type), schema says \(field.type)", column: field.name)
            }
            guard column.count == rows else {
                throw ColumnarError(.lengthMismatch, "column has \(column.count) rows, expected \(rows)", column: field.name)
            }
            if !field.isNullable && column.nullCount > 0 {
                throw ColumnarError(.typeMismatch, "non-nullable column holds \(column.nullCount) nulls", column: field.name)
            }
        }
        self.schema = schema
        self.columns = columns
        self.rowCount = rows
    }

    /// A batch from (name, column) pairs; every field nullable.
    public init(_ pairs: KeyValuePairs<String, Column>) throws {
        let schema = try Schema(pairs.map { Field($0.key, $0.value.type) })
        try self.init(schema: schema, columns: pairs.map(\.value))
    }

    /// An empty batch with `schema`.
    public static func empty(_ schema: Schema) -> RecordBatch {
        // Building empty columns for a valid schema cannot fail.
        let columns = schema.fields.map { field -> Column in
            var b = ColumnBuilder(type: field.type)
            return b.finish()
        }
        return RecordBatch(unchecked: schema, columns: columns, rowCount: 0)
    }

    @usableFromInline
    init(unchecked schema: Schema, columns: [Column], rowCount: Int) {
        self.schema = schema
        self.columns = columns
        self.rowCount = rowCount
    }

    /// The column called `name`, if any.
    public func column(named name: String) -> Column? {
        schema.index(of: name).map { columns[$0] }
    }

    /// The batch restricted to `names`, in that order.
    /// - Throws: ``ColumnarError`` `.unknownColumn` for a name the schema lacks.
    public func project(_ names: [String]) throws -> RecordBatch {
        var fields: [Field] = []
        var cols: [Column] = []
        for name in names {
            guard let i = schema.index(of: name) else {
                throw ColumnarError(.unknownColumn, "no such column; the batch has \(schema.names.joined(separator: ", "))", column: name)
            }
            fields.append(schema.fields[i])
            cols.append(columns[i])
        }
        return RecordBatch(unchecked: try Schema(fields, metadata: schema.metadata), columns: cols, rowCount: rowCount)
    }

    /// Row `i` as values (slow path).
    public func row(_ i: Int) -> [Value] { columns.map { $0[i] } }
}
