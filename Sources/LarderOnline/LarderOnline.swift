/// LarderOnline: the online store. One immutable memory-mapped hash file per feature view
/// (rows inline in a sorted, wrap-free Robin Hood table), published by an atomic rename of a
/// `CURRENT` pointer, with small overlay files for incremental syncs and folds that merge them
/// back. See docs/online-format.md.
///
/// - ``OnlineSchema``: key and value columns of a view.
/// - ``OnlineStoreWriter``: `build(base:)`, `writeOverlay(upserts:deletions:)`, `fold()`;
///   a row never replaces a newer one, by (event_ts, created_ts).
/// - ``OnlineStore``: lock-free lookups on a mapped snapshot, `refresh()`, `verify()`.
/// - ``OnlineRow``, ``OnlineVector``: typed values read in place.
/// - ``OnlineStoreError``: typed errors naming the file and what to do.
public enum LarderOnline {
    /// The on-disk format version this build writes and reads.
    public static let formatVersion: UInt32 = 2
}
