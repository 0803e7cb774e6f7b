/// The version of this Larder build, one constant for every place that records it: Parquet
/// files' `created_by`, the Delta log's `engineInfo`, the database's format file, model
/// manifests and `larder --version`.
public enum LarderVersion {
    /// Semantic version of the Larder packages.
    public static let string = "0.1.0"
}
