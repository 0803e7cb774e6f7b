import Foundation
import Hummingbird
import HummingbirdTesting
import Larder
import LarderColumnar
import Synchronization
import Testing
@testable import LarderServer

/// `POST /push`, `/materialize`, `/materialize-incremental`, and the request timeout.
@Suite struct ServerWriteTests {
    @Test func pushCommitsOfflineAndAppliesOnlineInOneCall() async throws {
        let world = try ServerTestWorld()
        let app = Application(router: world.server().router())
        let later = Timestamp.iso8601(micros: world.now - 1_000_000)
        try await app.test(.router) { client in
            let read = #"{"features": ["stats:x", "stats:s", "stats:v"], "entities": {"user_id": [1, 9]}}"#
            #expect(try await client.call(.post, "/get-online-features", read).results("values")[1].first as? Int == 10)
            let push = try await client.call(.post, "/push", """
                {"push_source_name": "stats", "to": "online_and_offline",
                 "df": {"user_id": [1, 9], "event_ts": ["\(later)", \(world.now - 1_000_000)], "x": [11, null], "v": [[0.5, 1], null]}}
                """)
            #expect(push.status == .ok, "\(push.text)")
            #expect(push.json?["rows"] as? Int == 2 && push.json?["version"] as? Int == 2 && push.json?["online_version"] as? Int == 2)
            let after = try await client.call(.post, "/get-online-features", read)
            #expect(after.results("values")[1].first as? Int == 11)
            #expect(after.results("statuses")[1] as? [String] == ["PRESENT", "NULL_VALUE"])
            #expect(after.results("statuses")[2] as? [String] == ["NULL_VALUE", "NULL_VALUE"], "s was left out: null")
            #expect(after.results("values")[3].first as? [Double] == [0.5, 1])
        }
        // Offline has the rows too (a new table version), as the point-in-time join sees them.
        let snapshot = try world.db.snapshot(of: "stats")
        #expect(snapshot.version == 2)
        #expect(try snapshot.read().rowCount == 4)
    }

    @Test func pushOfflineOnlyLeavesTheOnlineStoreUntilAMaterialization() async throws {
        let world = try ServerTestWorld()
        let app = Application(router: world.server().router())
        try await app.test(.router) { client in
            let push = try await client.call(.post, "/push", """
                {"view": "items", "to": "offline", "df": {"item_id": ["b"], "ts": [\(world.now)], "price": [2]}}
                """)
            #expect(push.status == .ok, "\(push.text)")
            #expect(push.json?["online_version"] == nil)
            let read = #"{"features": ["items:price"], "entities": {"item_id": ["b"]}}"#
            #expect(try await client.call(.post, "/get-online-features", read).results("statuses")[1] as? [String] == ["NOT_FOUND"])
            let sync = try await client.call(.post, "/materialize-incremental", #"{"end_ts": "2100-01-01T00:00:00Z", "feature_views": ["items"]}"#)
            #expect(sync.status == .ok, "\(sync.text)")
            let views = sync.json?["views"] as? [[String: Any]]
            #expect(views?.count == 1 && views?.first?["mode"] as? String == "incremental" && views?.first?["toVersion"] as? Int == 2)
            let after = try await client.call(.post, "/get-online-features", read)
            #expect(after.results("statuses")[1] as? [String] == ["PRESENT"])
            #expect(after.results("values")[1] as? [Double] == [2])
        }
    }

    @Test func materializeRebuildsUpToEndAndSeesOtherWriters() async throws {
        let world = try ServerTestWorld()
        let app = Application(router: world.server().router())
        try await app.test(.router) { client in
            let read = #"{"features": ["stats:x"], "entities": {"user_id": [3]}}"#
            #expect(try await client.call(.post, "/get-online-features", read).results("statuses")[1] as? [String] == ["NOT_FOUND"])
            // Another writer ingests; the cached reader keeps serving the published state.
            var v = ColumnBuilder(type: .vector(dimension: 2), capacity: 1)
            v.appendNull()
            try world.db.ingest([try RecordBatch(["user_id": .int64([3]), "event_ts": .timestamp([world.minuteAgo]), "x": .int64([30]),
                                                  "s": .string([nil]), "v": v.finish()])], into: "stats")
            // A full rebuild up to a time before the new row leaves it out...
            let before = Timestamp.iso8601(micros: world.minuteAgo - 1)
            let early = try await client.call(.post, "/materialize", "{\"start_ts\": \"2000-01-01T00:00:00Z\", \"end_ts\": \"\(before)\", \"feature_views\": [\"stats\"]}")
            #expect(early.status == .ok, "\(early.text)")
            #expect(try await client.call(.post, "/get-online-features", read).results("statuses")[1] as? [String] == ["NOT_FOUND"])
            // ...and without an end time every view is rebuilt, and served at once.
            let full = try await client.call(.post, "/materialize", nil)
            #expect(full.status == .ok, "\(full.text)")
            #expect((full.json?["views"] as? [[String: Any]])?.compactMap { $0["view"] as? String }.sorted() == ["items", "recent", "stats"])
            #expect(try await client.call(.post, "/get-online-features", read).results("values")[1] as? [Int] == [30])
        }
    }

    @Test func badWritesAreFourHundreds() async throws {
        let world = try ServerTestWorld()
        let app = Application(router: world.server().router())
        let now = world.now
        let cases: [(String, String, HTTPResponse.Status, String)] = [
            ("/push", #"{"df": {"user_id": [1]}}"#, .badRequest, "'push_source_name'"),
            ("/push", #"{"view": "nope", "df": {"user_id": [1]}}"#, .notFound, "no feature view 'nope'"),
            ("/push", #"{"view": "stats", "df": {"user_id": [1], "event_ts": [1], "bogus": [1]}}"#, .badRequest, "has no column 'bogus'"),
            ("/push", #"{"view": "stats", "df": {"user_id": [1], "x": [1]}}"#, .badRequest, "lacks column 'event_ts'"),
            ("/push", "{\"view\": \"stats\", \"df\": {\"user_id\": [\"one\"], \"event_ts\": [\(now)]}}", .badRequest, "df.user_id[0]: column 'user_id' is int64, not the string \"one\""),
            ("/push", #"{"view": "stats", "df": {"user_id": [1], "event_ts": ["yesterday"]}}"#, .badRequest, "df.event_ts[0]: column 'event_ts' is timestamp"),
            ("/push", "{\"view\": \"stats\", \"df\": {\"user_id\": [1], \"event_ts\": [\(now)], \"v\": [[1, 2, 3]]}}", .badRequest, "df.v[0]"),
            ("/push", "{\"view\": \"stats\", \"df\": {\"user_id\": [null], \"event_ts\": [\(now)]}}", .badRequest, "cannot be null"),
            ("/push", "{\"view\": \"stats\", \"df\": {\"user_id\": [1, 2], \"event_ts\": [\(now)]}}", .badRequest, "differ in length"),
            ("/push", "{\"view\": \"stats\", \"to\": \"disk\", \"df\": {\"user_id\": [1], \"event_ts\": [\(now)]}}", .badRequest, "'to' must be"),
            ("/push", #"{"view": "stats", "df": {}}"#, .badRequest, "no rows"),
            ("/materialize", #"{"feature_views": ["nope"]}"#, .notFound, "nope"),
            ("/materialize", #"{"end_ts": "soon"}"#, .badRequest, "'end_ts': 'soon' is not an ISO 8601 time"),
            ("/materialize", #"{"start_ts": "2020-01-02T00:00:00Z", "end_ts": "2020-01-01T00:00:00Z"}"#, .badRequest, "after 'end_ts'"),
            ("/materialize", #"{"feature_views": "stats"}"#, .badRequest, "must be a list of view names"),
            ("/materialize-incremental", #"{"start_ts": "2020-01-01T00:00:00Z"}"#, .badRequest, "unknown field 'start_ts'"),
            ("/materialize-incremental", "nope", .badRequest, "malformed JSON"),
        ]
        try await app.test(.router) { client in
            for (path, body, status, needle) in cases {
                let answer = try await client.call(.post, path, body)
                #expect(answer.status == status, "\(path) \(body): \(answer.text)")
                #expect(answer.error?.message.contains(needle) == true, "\(path) \(body): \(answer.text) should contain \(needle)")
            }
        }
        // Nothing was written by any of them.
        #expect(try world.db.snapshot(of: "stats").version == 1)
    }

    @Test func workThatOutlastsTheTimeoutIsA503ThatSaysItMayComplete() async throws {
        let world = try ServerTestWorld()
        let server = world.server { $0.requestTimeout = .milliseconds(20) }
        let release = DispatchSemaphore(value: 0)
        let error = await #expect(throws: ServerError.self) {
            // The work waits until after the answer, whatever the machine's speed.
            _ = try await server.offload("test work") { release.wait() }
        }
        release.signal()
        #expect(error?.status == .serviceUnavailable && error?.code == "timeout")
        #expect(error?.message.contains("may still complete") == true)
        let value = try await server.offload("quick work") { 42 }
        #expect(value == 42)
    }
}
