// swift-tools-version: 6.1
// An example service that links Larder as a library: it opens a feature database, reads a
// user's online features and answers with the production recommender's top items.
// Build: swift build --package-path examples/recommendation-service
import PackageDescription

let package = Package(
    name: "recommendation-service",
    platforms: [.macOS(.v14)],
    dependencies: [
        // Larder itself, two directories up, named so the products below resolve whatever the
        // checkout's directory is called. In your own service: .package(url: <Larder's git URL>, from: <a version>).
        .package(name: "Larder", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "recommendation-service",
            dependencies: [
                .product(name: "Larder", package: "Larder"),
                .product(name: "LarderColumnar", package: "Larder"),
                .product(name: "LarderRecommender", package: "Larder"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
