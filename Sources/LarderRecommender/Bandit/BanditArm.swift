/// One arm of a bandit: a model version (`name@version`) or any other named choice.
///
/// Encoded as its name (a JSON string).
public struct BanditArm: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The arm's name, e.g. `ranker@3`.
    public let name: String

    /// An arm called `name`.
    public init(_ name: String) { self.name = name }

    /// The arm of model version `model@version`.
    public init(model: String, version: Int) { name = "\(model)@\(version)" }

    /// The arm of a registered model version.
    public init(_ version: ModelVersion) { name = version.reference }

    /// The model name, when the arm is `model@version`.
    public var model: String? { split?.model }
    /// The version, when the arm is `model@version`.
    public var version: Int? { split?.version }

    private var split: (model: String, version: Int)? {
        guard let at = name.lastIndex(of: "@") else { return nil }
        let model = String(name[..<at])
        guard !model.isEmpty, let v = ModelRegistry.versionNumber(String(name[name.index(after: at)...])) else { return nil }
        return (model, v)
    }

    public var description: String { name }
    public static func < (a: BanditArm, b: BanditArm) -> Bool { a.name < b.name }

    public init(from decoder: any Decoder) throws {
        name = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(name)
    }
}
