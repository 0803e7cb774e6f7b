import Foundation

extension ModelRegistry {
    /// Moves version `version` of `name` to `stage` and logs the change.
    ///
    /// Promoting to ``ModelStage/production`` moves the version previously in production to
    /// ``ModelStage/archived`` in the same atomic write, and logs both transitions (the
    /// demotion's reason names the promotion), as MLflow's
    /// `transition_model_version_stage(..., archive_existing_versions=True)`: a model has at
    /// most one production version. Staging and archived hold any number of versions. Moving
    /// a version to the stage it is already in changes and logs nothing.
    ///
    /// - Parameters:
    ///   - reason: Why (kept in the log).
    ///   - actor: Who (a user or service name, kept in the log).
    /// - Returns: The transitions logged, the demotion (if any) first; empty when nothing changed.
    /// - Throws: ``ModelRegistryError/Code/unknownModel`` or `.unknownVersion` naming the input.
    @discardableResult
    public func transition(_ name: String, version: Int, to stage: ModelStage, reason: String? = nil,
                           actor: String? = nil) throws -> [StageTransition] {
        try requireVersion(name, version)
        return try RegistryFiles.withLock(modelDirectory(name) + "/" + Self.lockName, model: name) {
            try removeLeftovers(name)
            var stages = try readStages(name)
            let current = stages.stage(of: version)
            guard current != stage else { return [] }
            let now = clock()
            var logged: [StageTransition] = []
            if stage == .production {
                for (other, s) in stages.stages.sorted(by: { $0.key < $1.key }) where s == .production && other != version {
                    logged.append(StageTransition(version: other, from: .production, to: .archived, time: now,
                                                  reason: "archived: version \(version) was promoted to production", actor: actor))
                    stages.stages[other] = .archived
                }
            }
            logged.append(StageTransition(version: version, from: current, to: stage, time: now, reason: reason, actor: actor))
            stages.stages[version] = stage
            stages.history += logged
            stages.revision += 1
            try writeStages(stages)
            return logged
        }
    }

    /// Writes the stages file atomically (temporary file, fsync, rename, fsync directory).
    private func writeStages(_ stages: ModelStages) throws {
        let path = modelDirectory(stages.name) + "/" + ModelStages.fileName
        let data: Data
        do {
            data = try RegistryJSON.encoder().encode(stages)
        } catch {
            throw ModelRegistryError(.io, "the stages of '\(stages.name)' do not encode", model: stages.name, underlying: error)
        }
        try RegistryFiles.replaceFile(data, at: path, model: stages.name, checkpoint: checkpoint)
    }
}
