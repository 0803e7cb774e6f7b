import Foundation
import LarderColumnar
import LarderTestSupport
import Testing
@testable import LarderTable

/// A damaged log, a Delta feature Larder does not read, or data that does not fit the table:
/// a typed error that names the table (or the commit file) and the problem, and nothing
/// written — the table's folder is byte for byte what it was.
@Suite struct BadInputTests {
    // MARK: Hand-written logs

    static func commitPath(_ root: String, _ version: Int64) -> String {
        root + "/_delta_log/" + TableLog.commitName(version)
    }

    static func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static var plainFields: [[String: Any]] { [
        ["name": "user_id", "type": "long", "nullable": false, "metadata": [String: Any]()],
        ["name": "city", "type": "string", "nullable": true, "metadata": [String: Any]()],
    ] }

    static func protocolLine(reader: Int = 1, writer: Int = 2, readerFeatures: [String]? = nil,
                             writerFeatures: [String]? = nil) throws -> String {
        var body: [String: Any] = ["minReaderVersion": reader, "minWriterVersion": writer]
        if let readerFeatures { body["readerFeatures"] = readerFeatures }
        if let writerFeatures { body["writerFeatures"] = writerFeatures }
        return try json(["protocol": body])
    }

    static func metaDataLine(fields: [[String: Any]] = plainFields, partitionColumns: [String] = [],
                             configuration: [String: String] = [:]) throws -> String {
        let schema = try json(["type": "struct", "fields": fields])
        return try json(["metaData": [
            "id": "7c6f2c43-0000-4000-8000-000000000000", "format": ["provider": "parquet", "options": [String: String]()],
            "schemaString": schema, "partitionColumns": partitionColumns, "configuration": configuration,
            "createdTime": 1_767_225_600_000,
        ] as [String: Any]])
    }

    static let commitInfoLine = #"{"commitInfo":{"operation":"CREATE TABLE","timestamp":1767225600000}}"#

    /// A folder whose log is exactly `commits` (one string of lines per version).
    static func handWrittenTable(_ commits: [[String]]) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory(prefix: "larder-bad")
        try FileManager.default.createDirectory(atPath: dir.path + "/_delta_log", withIntermediateDirectories: true)
        for (v, lines) in commits.enumerated() {
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: commitPath(dir.path, Int64(v))))
        }
        return dir
    }

    /// Opens the table at `path` and reads its latest snapshot, expecting a ``TableError``
    /// with `code`, a message containing every one of `words`, and `path`; the folder must be
    /// unchanged.
    static func expectRefusal(_ path: String, _ code: TableError.Code, mentioning words: [String], errorPath: String,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try DirectoryInventory(path)
        do {
            let table = try Table.open(at: path)
            _ = try table.snapshot()
            Issue.record("opened and read a table that should be refused", sourceLocation: sourceLocation)
        } catch let e as TableError {
            #expect(e.code == code, "\(e)", sourceLocation: sourceLocation)
            for w in words {
                #expect(e.message.contains(w), "'\(e.message)' does not mention \(w)", sourceLocation: sourceLocation)
            }
            #expect(e.path == errorPath, "\(e)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("not a TableError: \(error)", sourceLocation: sourceLocation)
        }
        #expect(try DirectoryInventory(path) == before, "opening changed the folder", sourceLocation: sourceLocation)
    }

    /// A real table with `appends` single-row appends (versions 0...appends).
    static func realTable(appends: Int) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory(prefix: "larder-bad")
        let table = try Table.create(at: dir.path, schema: TableTests.schema)
        for i in 0 ..< appends { try table.append([TableTests.rows([Int64(i)])]) }
        return dir
    }

    // MARK: Damaged logs

    @Test func brokenJSONInACommit() throws {
        let dir = try Self.realTable(appends: 3)
        let victim = Self.commitPath(dir.path, 2)
        let text = try String(contentsOfFile: victim, encoding: .utf8)
        try Data(text.utf8.prefix(text.utf8.count - 20)).write(to: URL(fileURLWithPath: victim))
        try Self.expectRefusal(dir.path, .corrupt, mentioning: ["commit 2", "not JSON"], errorPath: victim)
    }

    @Test func aLineThatIsNotAnAction() throws {
        let dir = try Self.realTable(appends: 1)
        let victim = Self.commitPath(dir.path, 1)
        try Data("[1, 2, 3]\n".utf8).write(to: URL(fileURLWithPath: victim), options: .atomic)
        try Self.expectRefusal(dir.path, .corrupt, mentioning: ["commit 1", "not a single action"], errorPath: victim)
    }

    @Test func anAddWithoutAPath() throws {
        let dir = try Self.realTable(appends: 1)
        let victim = Self.commitPath(dir.path, 2)
        try Data(#"{"add":{"size":10,"dataChange":true}}"#.utf8).write(to: URL(fileURLWithPath: victim))
        try Self.expectRefusal(dir.path, .corrupt, mentioning: ["commit 2", "path"], errorPath: victim)
    }

    @Test func aCommitMissingFromTheMiddleOfTheLog() throws {
        let dir = try Self.realTable(appends: 3)      // versions 0...3
        try FileManager.default.removeItem(atPath: Self.commitPath(dir.path, 2))
        try Self.expectRefusal(dir.path, .corrupt, mentioning: ["commit 2", "missing"], errorPath: Self.commitPath(dir.path, 2))
        // Versions before the gap are still there in the files, but the table as a whole is
        // refused: its latest state cannot be known.
    }

    @Test func theFirstCommitMissing() throws {
        let dir = try Self.realTable(appends: 2)
        try FileManager.default.removeItem(atPath: Self.commitPath(dir.path, 0))
        try Self.expectRefusal(dir.path, .corrupt, mentioning: ["commit 0", "missing"], errorPath: dir.path)
    }

    @Test func anEmptyLogIsNoTable() throws {
        let dir = try Self.handWrittenTable([])
        let before = try DirectoryInventory(dir.path)
        #expect { try Table.open(at: dir.path) } throws: { error in
            let e = error as? TableError
            return e?.code == .notFound && e?.path == dir.path
        }
        #expect(try DirectoryInventory(dir.path) == before)
    }

    @Test func aLogWithoutMetadata() throws {
        let dir = try Self.handWrittenTable([[Self.commitInfoLine, try Self.protocolLine()]])
        try Self.expectRefusal(dir.path, .corrupt, mentioning: ["metaData"], errorPath: dir.path)
    }

    @Test func aDamagedCheckpointIsIgnored() throws {
        let dir = try TemporaryDirectory(prefix: "larder-bad")
        let table = try Table.create(at: dir.path, schema: TableTests.schema,
                                     configuration: [TableConfiguration.checkpointInterval: "2"])
        for i in 0 ..< 5 { try table.append([TableTests.rows([Int64(i)])]) }
        let log = TableLog(root: dir.path, storage: PosixStorage())
        #expect(log.checkpointVersions() == [2, 4])
        // A checkpoint is only a shortcut: a damaged one is skipped and the commits replayed.
        let checkpoint = dir.path + "/_larder/" + TableLog.checkpointName(4)
        let text = try Data(contentsOf: URL(fileURLWithPath: checkpoint))
        try text.prefix(text.count / 2).write(to: URL(fileURLWithPath: checkpoint))
        let before = try DirectoryInventory(dir.path)
        let reopened = try Table.open(at: dir.path)
        #expect(try reopened.snapshot().version == 5)
        #expect(TableTests.ids(try reopened.snapshot().read()) == [0, 1, 2, 3, 4])
        #expect(TableTests.ids(try reopened.snapshot(version: 4).read()) == [0, 1, 2, 3])
        #expect(try DirectoryInventory(dir.path) == before)
    }

    // MARK: Delta features Larder does not read

    @Test func readerVersion3WithDeletionVectors() throws {
        let dir = try Self.handWrittenTable([[
            Self.commitInfoLine,
            try Self.protocolLine(reader: 3, writer: 7, readerFeatures: ["deletionVectors"], writerFeatures: ["deletionVectors"]),
            try Self.metaDataLine(configuration: ["delta.enableDeletionVectors": "true"]),
        ]])
        try Self.expectRefusal(dir.path, .unsupported, mentioning: ["reader of version 3", "deletionVectors"],
                               errorPath: Self.commitPath(dir.path, 0))
    }

    @Test func anAddCarryingADeletionVector() throws {
        let dir = try Self.realTable(appends: 1)
        let file = try Table.open(at: dir.path).snapshot().files[0]
        let add = try Self.json(["add": [
            "path": file.path, "size": file.size, "modificationTime": 1_767_225_600_000, "dataChange": true,
            "partitionValues": [String: String](),
            "deletionVector": ["storageType": "u", "pathOrInlineDv": "ab^-aqEH.-t@S}K{vb[*k^", "offset": 1,
                               "sizeInBytes": 36, "cardinality": 1] as [String: Any],
        ] as [String: Any]])
        try Data((Self.commitInfoLine + "\n" + add + "\n").utf8).write(to: URL(fileURLWithPath: Self.commitPath(dir.path, 2)))
        try Self.expectRefusal(dir.path, .unsupported, mentioning: ["deletion vectors"], errorPath: Self.commitPath(dir.path, 2))
    }

    @Test func columnMappingByName() throws {
        // As Delta writes it: reader version 2 ...
        let delta = try Self.handWrittenTable([[
            Self.commitInfoLine, try Self.protocolLine(reader: 2, writer: 5),
            try Self.metaDataLine(configuration: ["delta.columnMapping.mode": "name", "delta.columnMapping.maxColumnId": "2"]),
        ]])
        try Self.expectRefusal(delta.path, .unsupported, mentioning: ["reader of version 2", "column mapping"],
                               errorPath: Self.commitPath(delta.path, 0))
        // ... and with only the metadata saying so.
        let dir = try Self.realTable(appends: 1)
        try Data((Self.commitInfoLine + "\n" + (try Self.metaDataLine(configuration: ["delta.columnMapping.mode": "name"])) + "\n").utf8)
            .write(to: URL(fileURLWithPath: Self.commitPath(dir.path, 2)))
        try Self.expectRefusal(dir.path, .unsupported, mentioning: ["column mapping", "name"], errorPath: Self.commitPath(dir.path, 2))
    }

    @Test func aPartitionedTable() throws {
        let dir = try Self.handWrittenTable([[
            Self.commitInfoLine, try Self.protocolLine(), try Self.metaDataLine(partitionColumns: ["city"]),
        ]])
        try Self.expectRefusal(dir.path, .unsupported, mentioning: ["partitioned", "city"], errorPath: Self.commitPath(dir.path, 0))
    }

    @Test func aFormatOtherThanParquet() throws {
        let meta = try Self.metaDataLine().replacingOccurrences(of: #""provider":"parquet""#, with: #""provider":"orc""#)
        try #require(meta.contains("orc"))
        let dir = try Self.handWrittenTable([[Self.commitInfoLine, try Self.protocolLine(), meta]])
        try Self.expectRefusal(dir.path, .unsupported, mentioning: ["orc"], errorPath: Self.commitPath(dir.path, 0))
    }

    static var unreadableColumns: [(field: [String: Any], mentions: [String])] { [
        (["name": "price", "type": "decimal(10,2)", "nullable": true, "metadata": [String: Any]()], ["price", "decimal(10,2)"]),
        (["name": "address", "nullable": true, "metadata": [String: Any](),
          "type": ["type": "struct", "fields": [["name": "street", "type": "string", "nullable": true, "metadata": [String: Any]()]]] as [String: Any]],
         ["address", "struct"]),
        (["name": "tags", "nullable": true, "metadata": [String: Any](),
          "type": ["type": "array", "elementType": "string", "containsNull": true] as [String: Any]],
         ["tags"]),
        (["name": "attributes", "nullable": true, "metadata": [String: Any](),
          "type": ["type": "map", "keyType": "string", "valueType": "string", "valueContainsNull": true] as [String: Any]],
         ["attributes", "map"]),
    ] }

    @Test(arguments: 0 ..< 4)
    func aColumnOfATypeLarderDoesNotRead(_ index: Int) throws {
        let (field, mentions) = Self.unreadableColumns[index]
        let dir = try Self.handWrittenTable([[
            Self.commitInfoLine, try Self.protocolLine(), try Self.metaDataLine(fields: Self.plainFields + [field]),
        ]])
        try Self.expectRefusal(dir.path, .unsupported, mentioning: mentions, errorPath: dir.path)
    }

    // MARK: Appends that do not fit

    /// Runs `write` on a table with rows, expecting `.schemaMismatch` mentioning `words`;
    /// the table's folder and version must be unchanged.
    static func expectMismatch(_ table: Table, mentioning words: [String], sourceLocation: SourceLocation = #_sourceLocation,
                               _ write: (Table) throws -> Void) throws {
        let before = try DirectoryInventory(table.path)
        let version = try table.snapshot().version
        #expect(sourceLocation: sourceLocation) { try write(table) } throws: { error in
            guard let e = error as? TableError, e.code == .schemaMismatch, e.path == table.path else { return false }
            return words.allSatisfy { e.message.contains($0) }
        }
        #expect(try DirectoryInventory(table.path) == before, sourceLocation: sourceLocation)
        #expect(try Table.open(at: table.path).snapshot().version == version, sourceLocation: sourceLocation)
    }

    @Test func appendsWithAnExtraColumnWriteNothing() throws {
        let dir = try TemporaryDirectory(prefix: "larder-bad")
        let table = try Table.create(at: dir.path, schema: TableTests.schema)
        try table.append([TableTests.rows([1])])
        let good = try TableTests.rows([2])
        let extra = try RecordBatch(schema: Schema(TableTests.schema.fields + [Field("extra", .int32)]),
                                    columns: good.columns + [.int32([5])])
        try Self.expectMismatch(table, mentioning: ["unknown extra"]) { try $0.append([extra]) }
        // A good batch before a bad one does not get in either.
        try Self.expectMismatch(table, mentioning: ["unknown extra"]) { try $0.append([good, extra]) }
        try Self.expectMismatch(table, mentioning: ["unknown extra"]) { _ = try $0.overwrite([good, extra]) }
        #expect(TableTests.ids(try table.snapshot().read()) == [1])
    }

    @Test func appendsWithARenamedColumnWriteNothing() throws {
        let dir = try TemporaryDirectory(prefix: "larder-bad")
        let table = try Table.create(at: dir.path, schema: TableTests.schema)
        let good = try TableTests.rows([2])
        let renamed = try RecordBatch(schema: Schema([Field("userId", .int64, nullable: false)] + TableTests.schema.fields.dropFirst()),
                                      columns: good.columns)
        try Self.expectMismatch(table, mentioning: ["missing user_id", "unknown userId"]) { try $0.append([renamed]) }
    }

    @Test func appendsWithTheWrongVectorDimensionWriteNothing() throws {
        let dir = try TemporaryDirectory(prefix: "larder-bad")
        let schema = try Schema([Field("item_id", .int64, nullable: false), Field("embedding", .vector(dimension: 4))])
        let table = try Table.create(at: dir.path, schema: schema)
        func batch(dimension: Int) throws -> RecordBatch {
            var b = ColumnBuilder(type: .vector(dimension: dimension))
            try b.append(vector: (0 ..< dimension).map { Float($0) })
            return try RecordBatch(schema: Schema([Field("item_id", .int64, nullable: false), Field("embedding", .vector(dimension: dimension))]),
                                   columns: [.int64([1]), b.finish()])
        }
        try table.append([try batch(dimension: 4)])
        try Self.expectMismatch(table, mentioning: ["embedding"]) { try $0.append([try batch(dimension: 3)]) }
        try Self.expectMismatch(table, mentioning: ["embedding"]) { try $0.append([try batch(dimension: 5)]) }
        #expect(try table.snapshot().read().rowCount == 1)
    }

    @Test func appendsWithAWrongNumericTypeWriteNothing() throws {
        let dir = try TemporaryDirectory(prefix: "larder-bad")
        let table = try Table.create(at: dir.path, schema: TableTests.schema)
        let good = try TableTests.rows([2])
        var fields = TableTests.schema.fields
        fields[2] = Field("spend", .float32)
        var columns = good.columns
        columns[2] = .float32([1])
        let narrow = try RecordBatch(schema: Schema(fields), columns: columns)
        try Self.expectMismatch(table, mentioning: ["spend"]) { try $0.append([narrow]) }
    }
}

/// Every file and folder under a directory with its contents, to check that a failed
/// operation changed nothing.
struct DirectoryInventory: Equatable, CustomStringConvertible {
    /// Relative path → contents (nil for a folder).
    var entries: [String: Data?]

    init(_ root: String) throws {
        entries = [:]
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: root) else { return }
        while let relative = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            _ = fm.fileExists(atPath: root + "/" + relative, isDirectory: &isFolder)
            entries[relative] = isFolder.boolValue ? .some(nil) : .some(try Data(contentsOf: URL(fileURLWithPath: root + "/" + relative)))
        }
    }

    var description: String { entries.keys.sorted().joined(separator: ", ") }
}
