import Foundation
import LarderTestSupport
import Synchronization
@testable import LarderRecommender

/// A registry in a fresh temporary directory, with a clock that ticks one second per call so
/// times are distinct and known.
struct RegistryFixture {
    let directory: TemporaryDirectory
    let registry: ModelRegistry
    static let start: Int64 = 1_767_225_600_000_000  // 2026-01-01T00:00:00Z

    init(checkpoint: @escaping @Sendable (RegistryStep) throws -> Void = { _ in }) throws {
        directory = try TemporaryDirectory(prefix: "registry")
        registry = Self.registry(at: directory.file("models"), checkpoint: checkpoint)
    }

    /// Another registry object over the same directory (as another process would open it).
    func reopened(checkpoint: @escaping @Sendable (RegistryStep) throws -> Void = { _ in }) -> ModelRegistry {
        Self.registry(at: registry.directory, checkpoint: checkpoint)
    }

    private static func registry(at path: String, checkpoint: @escaping @Sendable (RegistryStep) throws -> Void) -> ModelRegistry {
        let ticks = Atomic<Int64>(0)
        return ModelRegistry(directory: path, clock: { start + ticks.wrappingAdd(1, ordering: .relaxed).oldValue * 1_000_000 },
                             checkpoint: checkpoint)
    }

    /// Entries of the model's directory, sorted.
    func entries(_ model: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: registry.directory + "/" + model).sorted()
    }
}

/// The registry error thrown by `body`, if any.
func registryError(_ body: () throws -> Void) -> ModelRegistryError? {
    do {
        try body()
        return nil
    } catch {
        return error as? ModelRegistryError
    }
}

/// Some artifact bytes.
func bytes(_ text: String) -> Data { Data(text.utf8) }
