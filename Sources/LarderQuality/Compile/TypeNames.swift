import LarderColumnar

/// The `type_` names `expect_column_values_to_be_of_type` accepts, and which Larder type each
/// names. Matching ignores case and spaces.
///
/// | Larder type | names |
/// | --- | --- |
/// | int32 | int32, int32[pyarrow], integer, integertype |
/// | int64 | int64, int, long, int64[pyarrow], bigint, longtype |
/// | float32 | float32, float32[pyarrow], real, floattype |
/// | float64 | float64, float, double, float64[pyarrow], doubletype |
/// | bool | bool, bool_, boolean, bool[pyarrow], booleantype |
/// | string | string, str, unicode, object, object_, o, string[pyarrow], string[python], large_string, varchar, text, stringtype |
/// | binary | binary, bytes, large_binary, object, binarytype |
/// | timestamp | timestamp…, datetime64…, datetime, datetimetz, datetimetzdtype, timestamptype (any unit or zone suffix) |
/// | date | date, date32, date32[day], datetype |
/// | vector | vector, list…, array…, fixed_size_list…, arraytype, object, and Larder's own `array<float32>[d]` |
///
/// Other names pandas and numpy know (int8, uint64, float16, category, timedelta64, ...)
/// compile and fail, since no Larder column has those types; names nobody knows are refused
/// when the suite is compiled, to catch typos. Where Larder differs from GE on pandas: GE
/// reports a UTC timestamp column as `Timestamp` (so `datetime64` fails there) and a string
/// column as `str` only; Larder accepts the names above for each.
enum TypeNames {
    static let larderNames = "int32, int64, float32, float64, bool, string, binary, timestamp, date, vector"

    private static let exact: [String: [String]] = [
        "int32": ["int32", "int32[pyarrow]", "integer", "integertype"],
        "int64": ["int64", "int", "long", "int64[pyarrow]", "bigint", "longtype"],
        "float32": ["float32", "float32[pyarrow]", "real", "floattype"],
        "float64": ["float64", "float", "double", "float64[pyarrow]", "doubletype"],
        "bool": ["bool", "bool_", "boolean", "bool[pyarrow]", "booleantype"],
        "string": ["string", "str", "unicode", "object", "object_", "o", "string[pyarrow]", "string[python]",
                   "large_string", "varchar", "text", "stringtype"],
        "binary": ["binary", "bytes", "large_binary", "object", "object_", "o", "binarytype"],
        "date": ["date", "date32", "date32[day]", "datetype"],
        "timestamp": ["datetime", "datetimetz", "datetimetzdtype", "timestamptype"],
        "vector": ["vector", "arraytype", "object", "object_", "o"],
    ]

    private static let otherKnown: Set<String> = [
        "int8", "int16", "uint8", "uint16", "uint32", "uint64", "float16", "complex", "complex64", "complex128",
        "category", "categorical", "decimal", "timedelta", "timedelta64", "period", "interval", "none", "dict",
        "sparse", "tinyint", "smallint", "bytetype", "shorttype", "decimaltype",
    ]

    /// Whether `name` names `type`; nil when the name is unknown.
    static func matches(_ name: String, _ type: DataType) -> Bool? {
        let n = String(name.lowercased().filter { $0 != " " })
        let key: String
        switch type {
        case .int32: key = "int32"
        case .int64: key = "int64"
        case .float32: key = "float32"
        case .float64: key = "float64"
        case .bool: key = "bool"
        case .string: key = "string"
        case .binary: key = "binary"
        case .timestamp: key = "timestamp"
        case .date: key = "date"
        case .vector: key = "vector"
        }
        if n == type.description.lowercased() || exact[key, default: []].contains(n) || prefixKey(n) == key { return true }
        let known = exact.values.contains { $0.contains(n) } || prefixKey(n) != nil || otherKnown.contains(n)
            || otherKnown.contains { n.hasPrefix($0 + "[") }
        return known ? false : nil
    }

    /// Names recognized by prefix: timestamp / datetime64 with units and zones, list and array
    /// types with their element types.
    private static func prefixKey(_ n: String) -> String? {
        if n.hasPrefix("datetime64") || n.hasPrefix("timestamp") { return "timestamp" }
        if n.hasPrefix("list") || n.hasPrefix("array") || n.hasPrefix("fixed_size_list") || n.hasPrefix("large_list") { return "vector" }
        return nil
    }
}
