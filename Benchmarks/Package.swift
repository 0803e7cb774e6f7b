// swift-tools-version: 6.1
// Larder's benchmarks, kept out of the main package's build and test graph (see STYLE.md).
// Run them through scripts/bench.sh, which also makes the input and runs the pyarrow harness
// in Benchmarks/parquet/ in the same run; `make bench` calls it.
import PackageDescription

let package = Package(
    name: "LarderBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        // Named explicitly: a path dependency's identity is its folder's name, which depends on
        // where the repository was cloned.
        .package(name: "Larder", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ParquetBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LarderColumnar", package: "Larder"),
                .product(name: "LarderParquet", package: "Larder"),
            ],
            path: "Benchmarks/ParquetBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Versioned tables: commit latency, open time against commits, scans with and without
        // statistics pruning (scripts/bench-tables.sh).
        .executableTarget(
            name: "TableBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LarderColumnar", package: "Larder"),
                .product(name: "LarderTable", package: "Larder"),
            ],
            path: "Benchmarks/TableBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The online store against LMDB and SQLite (Benchmarks/online/run.sh). A plain
        // executable, not a package-benchmark target: it times each of a million sub-µs
        // lookups itself, and builds stores of 10M rows once per scale for all its figures.
        // Its folder is outside Benchmarks/Benchmarks so the benchmark plugin does not run it.
        .systemLibrary(name: "CLMDB", path: "Sources/CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .executableTarget(
            name: "OnlineBench",
            dependencies: [
                "CLMDB", "CSQLite",
                .product(name: "LarderColumnar", package: "Larder"),
                .product(name: "LarderOnline", package: "Larder"),
            ],
            path: "Sources/OnlineBench"
        ),
        // The recommender: training time and NDCG@10 per model on the medium marketplace, and
        // the data for the comparison with implicit's ALS (Benchmarks/recommender/run.sh).
        .executableTarget(
            name: "RecommenderBench",
            dependencies: [
                .product(name: "Larder", package: "Larder"),
                .product(name: "LarderColumnar", package: "Larder"),
                .product(name: "LarderParquet", package: "Larder"),
                .product(name: "LarderRecommender", package: "Larder"),
            ],
            path: "Sources/RecommenderBench"
        ),
    ],
    swiftLanguageModes: [.v6]
)
