/// The structures of the Parquet file format, as parquet.thrift defines them, with their
/// Thrift compact-protocol encoding.
///
/// The names live in this caseless namespace so they do not clash with LarderColumnar's
/// `Schema` and `Column`. Thrift field names become camelCase properties; optional Thrift
/// fields are Swift optionals; unknown fields from newer writers are skipped on decode, and
/// enum values this version does not know are kept as raw values.
///
/// The two entry points a reader needs:
///
/// ```swift
/// let footer = try bytes.withUnsafeBytes { try ParquetFormat.FileMetaData.decode($0) }
/// let (header, headerLength) = try page.withUnsafeBytes { try ParquetFormat.PageHeader.decode($0) }
/// ```
///
/// and the two a writer needs: ``FileMetaData/serialized()`` and
/// ``PageHeader/serialize(into:)``.
public enum ParquetFormat {}

// Implementation note: optional properties are spelled `Optional<T>` rather than `T?` on
// purpose. A `var x: T?` property gets an implicit `= nil` initial value, and with it the
// optimizer (Swift 6.3) copies and destroys the whole struct at the end of every explicit
// initializer: a retain and release of every array and string in it, which was a fifth of
// the footer decoding time. The spelled-out form has no implicit initial value.
