import ArgumentParser
import Dispatch
import Foundation
import Larder
import LarderRecommender
import LarderServer
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// `larder serve`: the HTTP feature server (Feast's feature-server API).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve online features over HTTP with Feast's feature-server API.",
        discussion: """
        Endpoints: POST /get-online-features, /push, /materialize, /materialize-incremental; \
        GET /health and /metrics (Prometheus text); GET /recommend, /recommend/arms and \
        POST /feedback serve the model registry's models (--recommender names the default \
        model; a bandit routes between its production version and its challengers in staging). With --token (or LARDER_SERVER_TOKEN in the \
        environment), every endpoint but /health requires 'Authorization: Bearer <token>'. \
        Prints 'listening on HOST:PORT' once it accepts connections (--port 0 picks a free port). \
        SIGTERM or SIGINT stops it gracefully: in-flight requests finish, logs are flushed. \
        Logs go to stderr (--log-level).
        """
    )
    @OptionGroup var database: DatabaseOption
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on (0: any free port).") var port = 6566
    @Option(help: "Require 'Authorization: Bearer TOKEN' on every endpoint but /health (default: $LARDER_SERVER_TOKEN).")
    var token: String?
    @Option(help: "The largest request body accepted, in bytes.") var maxBodyBytes = 4 << 20
    @Option(help: "The most entities one get-online-features request may ask for.") var maxEntities = 10_000
    @Option(help: "Seconds a request may take to arrive and be answered.") var timeout: Double = 30
    @Option(help: "Seconds between checks for online state published by other processes.") var refreshInterval: Double = 1
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"
    @Option(help: "Event-loop threads (default: one per core). With a load generator on the same machine, 1 leaves it a core.")
    var eventLoops: Int?
    @Option(help: "The registry model GET /recommend serves when a request names none.") var recommender: String?
    @Option(help: "How the bandit routes between model versions: thompson or epsilon-greedy.") var bandit = "thompson"
    @Option(help: "Epsilon-greedy's exploration rate (0...1).") var epsilon: Double = 0.1
    @Option(help: "The feature view POST /feedback appends events to (created on first use).") var feedbackView = "recommendation_feedback"

    func validate() throws {
        if !(0 ... 65535).contains(port) { throw ValidationError("--port must be 0...65535") }
        if maxBodyBytes < 1 || maxEntities < 1 { throw ValidationError("--max-body-bytes and --max-entities must be at least 1") }
        if !(timeout > 0) || !(refreshInterval > 0) { throw ValidationError("--timeout and --refresh-interval must be positive") }
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level \(logLevel): expected trace, debug, info, notice, warning, error or critical") }
        if let eventLoops, eventLoops < 1 { throw ValidationError("--event-loops must be at least 1") }
        if token == "" { throw ValidationError("--token must not be empty") }
        if !["thompson", "epsilon-greedy"].contains(bandit) { throw ValidationError("--bandit \(bandit): expected thompson or epsilon-greedy") }
        if !(0 ... 1).contains(epsilon) { throw ValidationError("--epsilon must be in 0...1") }
        if recommender == "" || feedbackView.isEmpty { throw ValidationError("--recommender and --feedback-view must not be empty") }
    }

    func run() throws {
        // Swift concurrency runs on the server's event loops: a request's handler then runs on
        // the thread that read it, with no hop to the cooperative pool and back (reads take
        // microseconds; blocking work goes to Dispatch threads). Only an executable may do this.
        if let eventLoops { NIOSingletons.groupLoopCountSuggestion = eventLoops }
        let onEventLoops = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var configuration = ServerConfiguration(host: host, port: port,
                                                token: token ?? ProcessInfo.processInfo.environment["LARDER_SERVER_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
        configuration.maxBodyBytes = maxBodyBytes
        configuration.maxEntities = maxEntities
        configuration.requestTimeout = .milliseconds(Int64(timeout * 1000))
        configuration.refreshInterval = .milliseconds(Int64(refreshInterval * 1000))
        configuration.recommend.model = recommender
        configuration.recommend.feedbackView = feedbackView
        if bandit == "epsilon-greedy" { configuration.recommend.policy = .epsilonGreedy(schedule: try EpsilonSchedule(initial: epsilon)) }
        let logger = Logger(label: "larder.server")
        if !onEventLoops { logger.notice("Swift concurrency could not move onto the event loops (already in use)") }
        let server = FeatureServer(database: try database.open(), configuration: configuration, logger: logger)
        let host = configuration.host
        let app = server.application { port in
            FileHandle.standardOutput.write(Data("listening on \(host):\(port)\n".utf8))
        }
        // The command line is synchronous; the server runs on Swift concurrency until a signal
        // stops it, while this thread waits.
        let outcome = Mutex<(any Error)?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do { try await app.runService() } catch { outcome.withLock { $0 = error } }
            done.signal()
        }
        done.wait()
        if let error = outcome.withLock({ $0 }) { throw error }
        logger.info("stopped")
    }
}
