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
        .executable(name: "larder", targets: ["larder"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
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
        .executableTarget(
            name: "larder",
            dependencies: [
                "LarderParquet",
                "LarderTable",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Shared test helpers: temp directories, random data, Python interop runner.
        .target(
            name: "LarderTestSupport",
            dependencies: ["LarderColumnar", "LarderParquet", "LarderTable"],
            path: "Tests/LarderTestSupport"
        ),
        .testTarget(name: "LarderColumnarTests", dependencies: ["LarderColumnar", "LarderTestSupport"]),
        .testTarget(name: "LarderParquetTests", dependencies: ["LarderParquet", "LarderTestSupport"]),
        .testTarget(name: "LarderTableTests", dependencies: ["LarderTable", "LarderTestSupport"]),
        // Runs the built `larder` binary as a user would.
        .testTarget(name: "LarderCLITests", dependencies: ["LarderParquet", "LarderTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
