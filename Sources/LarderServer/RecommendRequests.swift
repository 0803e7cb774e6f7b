import LarderRecommender
import Synchronization

/// The `/recommend` requests the server remembers (the newest ``RecommendConfiguration/rememberedRequests``),
/// so that feedback naming a request counts once per request in the bandit: its first
/// impression is a trial, its first click or booking raises it, repeats change nothing.
///
/// A request id is `<arm>:<16 hex digits>`, e.g. `ranker@3:9f86d081884c7d65`, so feedback on a
/// request the server no longer remembers (after a restart, or pushed out by newer ones) is
/// still credited to the right arm, only without the once-per-request check.
final class RememberedRequests: Sendable {
    struct Entry: Sendable {
        let arm: BanditArm
        let user: Int64
        var impressed = false
        var converted = false
    }

    /// What the bandit should record for one feedback event.
    enum Update: Sendable, Equatable {
        /// A trial at the impression reward (``BanditRouter/recordImpression(arm:)``).
        case impression
        /// Raise an open impression (``BanditRouter/recordConversion(arm:kind:)``).
        case conversion
        /// A whole trial at the event's reward (``BanditRouter/record(arm:outcome:)``): a
        /// conversion of a remembered request whose impression was never reported.
        case trial
        /// Nothing: the request already counted this kind of feedback.
        case none(reason: String)
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Ids in arrival order, a ring of `capacity` slots.
        var ring: [String] = []
        var next = 0
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// A new id for a request served by `arm`.
    static func makeID(arm: BanditArm) -> String {
        let hex = String(UInt64.random(in: .min ... .max), radix: 16)
        return arm.name + ":" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The arm named by request id `id`, nil when `id` is not one.
    static func arm(of id: String) -> BanditArm? {
        guard let colon = id.lastIndex(of: ":") else { return nil }
        let suffix = id[id.index(after: colon)...]
        guard suffix.count == 16, suffix.allSatisfy(\.isHexDigit) else { return nil }
        let arm = BanditArm(String(id[..<colon]))
        return arm.version == nil ? nil : arm
    }

    /// Remembers request `id`, forgetting the oldest when full.
    func remember(_ id: String, arm: BanditArm, user: Int64) {
        state.withLock { s in
            if s.ring.count < capacity {
                s.ring.append(id)
            } else {
                s.entries.removeValue(forKey: s.ring[s.next])
                s.ring[s.next] = id
                s.next = (s.next + 1) % capacity
            }
            s.entries[id] = Entry(arm: arm, user: user)
        }
    }

    /// The remembered request `id`, if any.
    func entry(_ id: String) -> Entry? {
        state.withLock { $0.entries[id] }
    }

    /// Decides, atomically, what `kind` of feedback on request `id` records in the bandit, and
    /// marks it counted. A request the server does not remember gets the router's own
    /// semantics (an impression is a trial, a conversion raises an open impression).
    func claim(_ id: String?, kind: FeedbackKind) -> Update {
        guard let id else { return kind == .impression ? .impression : .conversion }
        return state.withLock { s in
            guard var entry = s.entries[id] else { return kind == .impression ? .impression : .conversion }
            defer { s.entries[id] = entry }
            if kind == .impression {
                guard !entry.impressed else { return .none(reason: "request \(id) already counted its impression") }
                entry.impressed = true
                return .impression
            }
            guard !entry.converted else { return .none(reason: "request \(id) already counted a click or booking") }
            entry.converted = true
            if entry.impressed { return .conversion }
            // Counted as a whole trial; a later impression of it is then no new trial.
            entry.impressed = true
            return .trial
        }
    }
}
