/// LarderOnline: the online store. One immutable memory-mapped hash file per feature view,
/// published by an atomic rename of a `CURRENT` pointer, with small overlay files for
/// incremental syncs. See docs/online-format.md.
public enum LarderOnline {
    /// The on-disk format version this build writes and reads.
    public static let formatVersion: UInt32 = 1
}
