import Foundation

/// Reads model artifacts: the bytes ``RecommenderModel/encode()`` wrote, in the format of
/// docs/recommender-artifacts.md.
public enum ModelArtifact {
    /// What an artifact's header says, read without decoding the model.
    public struct Header: Sendable, Hashable {
        public var kind: ModelKind
        public var spec: ModelSpec
        /// The artifact format version.
        public var formatVersion: Int
    }

    /// The format version this Larder writes.
    public static var formatVersion: Int { Int(ArtifactWriter.formatVersion) }

    /// The header of `data`, after checking its digest.
    /// - Throws: as ``decode(_:)``.
    public static func header(_ data: Data) throws -> Header {
        let r = try ArtifactReader(data)
        return Header(kind: r.kind, spec: r.spec, formatVersion: formatVersion)
    }

    /// The model in `data`.
    /// - Throws: ``RecommenderError`` `.corruptArtifact` (not an artifact, a failed checksum,
    ///   inconsistent contents), `.unsupportedFormat` (written by a newer Larder),
    ///   `.unknownModel` (a kind this Larder does not know).
    public static func decode(_ data: Data) throws -> any RecommenderModel {
        var r = try ArtifactReader(data)
        let model: any RecommenderModel
        switch r.kind {
        case .popularity: model = try PopularityModel.decode(&r)
        case .itemKNN: model = try ItemKNNModel.decode(&r)
        case .als: model = try ALSModel.decode(&r)
        case .content: model = try ContentModel.decode(&r)
        case .ensemble: model = try EnsembleModel.decode(&r)
        case .segmented: model = try SegmentedModel.decode(&r)
        }
        try r.finish()
        return model
    }
}
