extension ModelRegistry {
    /// The arms a bandit should route `name`'s traffic between: the production version first,
    /// then the versions in staging (the challengers), oldest first. Pass them to
    /// ``BanditRouter/setArms(_:)`` after a promotion or retirement.
    /// - Throws: ``ModelRegistryError/Code/unknownModel``, or `.noProductionVersion` when no
    ///   version is in production.
    public func servingArms(_ name: String) throws -> [BanditArm] {
        let model = try model(name)
        guard let production = model.production else {
            throw ModelRegistryError(.noProductionVersion, "model '\(name)' has no version in production; promote one with `larder models promote \(name) VERSION --stage production`", model: name)
        }
        return [BanditArm(model: name, version: production)] + model.staging.map { BanditArm(model: name, version: $0) }
    }

    /// Where a bandit over `name`'s versions keeps its snapshot: `<registry>/<name>/bandit.json`.
    public func banditSnapshotPath(_ name: String) throws -> String {
        try Self.validate(name: name, what: "model name")
        return modelDirectory(name) + "/bandit.json"
    }
}
