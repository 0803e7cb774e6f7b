/// Data quality for Larder: Great Expectations-compatible expectation suites validated in one
/// fused pass over record batches, with profiling, drift measures and HTML reports.
///
/// The module depends only on `LarderColumnar`; the `Larder` module wires it into `apply`
/// (suites are checked against view schemas) and `ingest` (the gate before a commit). The
/// DocC catalog's articles say what each expectation computes (`Expectations`) and how
/// validation runs (`Engine`).
public enum LarderQuality {}
