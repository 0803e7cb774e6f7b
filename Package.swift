// swift-tools-version: 6.1
// Larder: an embedded feature database. See README.md and ../shared/DESIGN.md.
import PackageDescription

let package = Package(
    name: "Larder",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "LarderColumnar", targets: ["LarderColumnar"]),
        .library(name: "LarderParquet", targets: ["LarderParquet"]),
        .library(name: "LarderTable", targets: ["LarderTable"]),
        .library(name: "LarderOnline", targets: ["LarderOnline"]),
        .library(name: "Larder", targets: ["Larder"]),
        .library(name: "LarderQuality", targets: ["LarderQuality"]),
        .library(name: "LarderServer", targets: ["LarderServer"]),
        .library(name: "LarderRecommender", targets: ["LarderRecommender"]),
        .executable(name: "larder", targets: ["larder"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        // The HTTP feature server (LarderServer). FullFoundation only: the default
        // ConfigurationSupport trait would build swift-configuration, which Larder does not use.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // NIOHTTPTypes: the HTTP parts the server's event-loop handler reads and writes.
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        // C libraries, each its own system-library target (see STYLE.md).
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Syscalls swift-system lacks (renameat2, fdatasync): one small C shim.
        .target(name: "CLarderSys"),

        .target(name: "LarderColumnar"),
        .target(
            name: "LarderParquet",
            dependencies: ["LarderColumnar", "CLZ4", "CZstd", "CZlib"]
        ),
        .target(name: "LarderTable", dependencies: ["LarderParquet", "LarderColumnar", "CLarderSys"]),
        // The online store: memory-mapped hash files, one per feature view.
        .target(name: "LarderOnline", dependencies: ["LarderColumnar", "CLarderSys"]),
        // Data quality: Great Expectations-compatible expectations, profiling, drift, reports.
        .target(name: "LarderQuality", dependencies: ["LarderColumnar"]),
        .target(
            name: "Larder",
            dependencies: ["LarderTable", "LarderParquet", "LarderColumnar", "LarderOnline", "LarderQuality", .product(name: "Yams", package: "Yams")]
        ),
        // The recommender: Larder's first client, built on its public API only.
        .target(name: "LarderRecommender", dependencies: ["Larder", "LarderColumnar"]),
        // The HTTP feature server: Feast's feature-server API over FeatureDatabase.
        .target(
            name: "LarderServer",
            dependencies: [
                "Larder",
                "LarderColumnar",
                "LarderTable",
                // GET /recommend and POST /feedback serve the registry's models.
                "LarderRecommender",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "larder",
            dependencies: [
                "Larder",
                "LarderServer",
                "LarderRecommender",
                "LarderQuality",
                "LarderOnline",
                "LarderParquet",
                "LarderTable",
                "CLarderSys",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),

        // Runs table operations in a child process that tests kill (crash-safety tests).
        .executableTarget(name: "larder-table-stress", dependencies: ["LarderTable", "LarderColumnar"], path: "Tests/LarderTableStress"),

        // Shared test helpers: temp directories, random data, Python interop runner.
        .target(
            name: "LarderTestSupport",
            dependencies: ["LarderColumnar", "LarderParquet", "LarderTable", "LarderOnline", "Larder"],
            path: "Tests/LarderTestSupport"
        ),
        .testTarget(name: "LarderColumnarTests", dependencies: ["LarderColumnar", "LarderTestSupport"]),
        .testTarget(name: "LarderParquetTests", dependencies: ["LarderParquet", "LarderTestSupport"]),
        .testTarget(name: "LarderTableTests", dependencies: ["LarderTable", "LarderTestSupport"]),
        .testTarget(name: "LarderOnlineTests", dependencies: ["LarderOnline", "LarderTestSupport"]),
        .testTarget(name: "LarderTests", dependencies: ["Larder", "LarderTestSupport"]),
        // Fixtures/ge holds Parquet files and GE suites that the GE interop test reads by path.
        .testTarget(name: "LarderQualityTests", dependencies: ["LarderQuality", "LarderColumnar", "LarderParquet", "LarderTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "LarderRecommenderTests", dependencies: ["LarderRecommender", "Larder", "LarderColumnar", "LarderTestSupport"]),
        .testTarget(
            name: "LarderServerTests",
            dependencies: ["LarderServer", "LarderRecommender", "Larder", "LarderColumnar", "LarderTable", "LarderTestSupport", .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
        // Runs the built `larder` binary as a user would.
        .testTarget(name: "LarderCLITests", dependencies: ["LarderParquet", "LarderTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
