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
        .executable(name: "larder", targets: ["larder"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
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
        .target(
            name: "Larder",
            dependencies: ["LarderTable", "LarderParquet", "LarderColumnar", "LarderOnline", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "larder",
            dependencies: [
                "Larder",
                "LarderOnline",
                "LarderParquet",
                "LarderTable",
                "CLarderSys",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
        // Runs the built `larder` binary as a user would.
        .testTarget(name: "LarderCLITests", dependencies: ["LarderParquet", "LarderTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
