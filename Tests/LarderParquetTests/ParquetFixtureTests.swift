import Foundation
import LarderColumnar
import LarderParquet
import LarderTestSupport
import Testing

/// Larder reads files that pyarrow wrote (every codec, v1 and v2 pages, dictionary and plain,
/// INT96, millisecond and nanosecond timestamps, fixed-size lists) to exactly the values that
/// pyarrow, DuckDB and polars read from them (`NAME.expected.json`, checked by make_fixtures.py).
@Suite struct ParquetFixtureTests {
    struct Manifest: Decodable {
        struct Entry: Decodable { var file: String; var expected: String }
        var files: [Entry]
    }

    static let fixtures: [String] = {
        let url = Interop.parquetFixturesDirectory.appendingPathComponent("manifest.json")
        guard let data = try? Data(contentsOf: url), let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else { return [] }
        return manifest.files.map { String($0.file.dropLast(".parquet".count)) }
    }()

    @Test func manifestListsTheFixtures() {
        #expect(Self.fixtures.count >= 25)
        #expect(Self.fixtures.contains("int96"))
        #expect(Self.fixtures.contains("lz4_raw_v2_dict"))
    }

    @Test(arguments: fixtures.filter { $0 != "list_edge_cases" })
    func readsFixtureIdentically(_ name: String) throws {
        let path = Interop.parquetFixturesDirectory.appendingPathComponent("\(name).parquet").path
        let file = try ParquetFile(path: path)
        let batch = try file.read()
        let expected = try CanonicalTable.expected(forFixture: name)
        let differences = CanonicalTable(batch).differences(from: expected)
        #expect(differences.isEmpty, "\(name): \(differences.joined(separator: "; "))")
    }

    @Test func raggedListsAreRefusedWithTheColumnNamed() throws {
        let path = Interop.parquetFixturesDirectory.appendingPathComponent("list_edge_cases.parquet").path
        let file = try ParquetFile(path: path)
        #expect(try file.read(columns: ["id"]).rowCount == 11)
        do {
            _ = try file.read()
            Issue.record("ragged lists should not read as vectors")
        } catch let error as ParquetError {
            #expect(error.code == .unsupported)
            #expect(error.column == "ragged")
            #expect(error.path == path)
        }
    }

    @Test func fixedSizeListsReadAsVectors() throws {
        let path = Interop.parquetFixturesDirectory.appendingPathComponent("vector_fixed_size.parquet").path
        let file = try ParquetFile(path: path)
        #expect(file.schema.field(named: "embedding")?.type == .vector(dimension: 4))
    }
}
