// larder-table-stress: runs table operations in a child process, reporting every commit on
// stdout, so crash-safety tests can kill it with SIGKILL mid-operation and multi-process
// tests can race several of it against one table.
//
//     larder-table-stress TABLE_DIR --seed N --mode mixed|append [--writer-id K] [--count C]
//
// Mode `mixed` opens (or creates) the table and loops over appends of new ids, deletes of a
// random subset of the ids present, and compactions, chosen from the seed. Before each
// operation it prints `intent <op> <ids>`, where `<ids>` are the ids the table holds once the
// commit is in (sorted, comma-separated, empty for none); after it, `committed <version>` or
// `noop` when nothing was committed. It stops after `--count` operations (default 1000).
//
// Mode `append` appends `--count` commits (default 10) of one to three ids unique to
// `--writer-id` (`K * 1_000_000 + n`), printing `committed <version> <ids>` after each.
//
// Every line is written unbuffered, in one call, as soon as it is known. Exit status 0 when done, 1 on an error
// (printed on stderr), 2 on bad arguments.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LarderColumnar
import LarderTable

/// SplitMix64: a small deterministic generator, so a seed replays the same operations.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct Arguments {
    var table = ""
    var seed: UInt64 = 0
    var mode = "mixed"
    var writerId: Int64 = 0
    var count: Int?

    static func parse(_ args: [String]) -> Arguments? {
        var out = Arguments()
        var positional: [String] = []
        var i = 0
        while i < args.count {
            let a = args[i]
            if a.hasPrefix("--") {
                guard i + 1 < args.count else { return nil }
                let v = args[i + 1]
                switch a {
                case "--seed": guard let s = UInt64(v) else { return nil }; out.seed = s
                case "--mode": guard v == "mixed" || v == "append" else { return nil }; out.mode = v
                case "--writer-id": guard let w = Int64(v), w >= 0 else { return nil }; out.writerId = w
                case "--count": guard let c = Int(v), c >= 0 else { return nil }; out.count = c
                default: return nil
                }
                i += 2
            } else {
                positional.append(a)
                i += 1
            }
        }
        guard positional.count == 1 else { return nil }
        out.table = positional[0]
        return out
    }
}

/// The schema of the tables the tool writes (the same as the table tests' schema).
let schema: Schema = {
    do {
        return try Schema([Field("user_id", .int64, nullable: false), Field("event_ts", .timestamp, nullable: false),
                           Field("spend", .float64), Field("city", .string)])
    } catch { fatalError("the tool's own schema is invalid: \(error)") }
}()

func rows(_ ids: [Int64]) throws -> RecordBatch {
    try RecordBatch(schema: schema, columns: [
        .int64(ids), .timestamp(ids.map { 1_767_225_600_000_000 + $0 * 1_000_000 }),
        .float64(ids.map { Double($0) / 2 }), .string(ids.map { $0 % 3 == 0 ? nil : "c\($0 % 5)" }),
    ])
}

/// Writes `line` and a newline to `fd` at once, unbuffered (one `write` for a short line, so
/// a reader never sees half of it unless the process dies inside that call).
func say(_ line: String, to fd: Int32 = 1) {
    let bytes = Array((line + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { return }
    }
}

func list(_ ids: some Sequence<Int64>) -> String {
    ids.sorted().map(String.init).joined(separator: ",")
}

/// Opens the table at `path`, creating it when there is none (racing creators are fine).
func openOrCreate(_ path: String) throws -> Table {
    do {
        return try Table.open(at: path)
    } catch let e as TableError where e.code == .notFound {
        do {
            return try Table.create(at: path, schema: schema, sortColumns: ["user_id", "event_ts"])
        } catch let e as TableError where e.code == .alreadyExists {
            return try Table.open(at: path)
        }
    }
}

func runMixed(_ args: Arguments) throws {
    let table = try openOrCreate(args.table)
    var ids = Set(try table.snapshot().read(columns: ["user_id"]).column(named: "user_id")?.int64Values ?? [])
    var random = SeededGenerator(seed: args.seed)
    var next: Int64 = 0
    for _ in 0 ..< (args.count ?? 1000) {
        let pick = ids.isEmpty ? 0 : Int.random(in: 0 ..< 10, using: &random)
        let result: CommitResult
        switch pick {
        case 0 ..< 5:
            let fresh: [Int64] = (0 ..< Int.random(in: 1 ... 4, using: &random)).map { _ in
                next += 1
                return Int64(truncatingIfNeeded: args.seed % 1_000_000) * 10_000 + next
            }
            ids.formUnion(fresh)
            say("intent append \(list(ids))")
            result = try table.append([try rows(fresh)])
        case 5 ..< 8:
            var doomed = ids.filter { _ in Int.random(in: 0 ..< 3, using: &random) == 0 }
            if doomed.isEmpty, let any = ids.randomElement(using: &random) { doomed.insert(any) }
            ids.subtract(doomed)
            say("intent delete \(list(ids))")
            result = try table.delete(where: [.isIn("user_id", doomed.sorted().map { .int64($0) })])
        default:
            say("intent compact \(list(ids))")
            result = try table.compact()
        }
        say(result.version.map { "committed \($0)" } ?? "noop")
    }
}

func runAppend(_ args: Arguments) throws {
    let table = try openOrCreate(args.table)
    var random = SeededGenerator(seed: args.seed)
    var next: Int64 = 0
    for _ in 0 ..< (args.count ?? 10) {
        let fresh: [Int64] = (0 ..< Int.random(in: 1 ... 3, using: &random)).map { _ in
            next += 1
            return args.writerId * 1_000_000 + next
        }
        let result = try table.append([try rows(fresh)])
        guard let version = result.version else {
            throw TableError(.invalidArgument, "an append committed nothing", path: args.table)
        }
        say("committed \(version) \(list(fresh))")
    }
}

guard let args = Arguments.parse(Array(CommandLine.arguments.dropFirst())) else {
    say("usage: larder-table-stress TABLE_DIR --seed N --mode mixed|append [--writer-id K] [--count C]", to: 2)
    exit(2)
}
do {
    if args.mode == "mixed" { try runMixed(args) } else { try runAppend(args) }
} catch {
    say("larder-table-stress: \(error)", to: 2)
    exit(1)
}
