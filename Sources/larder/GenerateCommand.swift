import ArgumentParser
import Foundation
import Larder
#if canImport(Glibc)
import Glibc
#endif

/// `larder generate`: synthetic data sets.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate synthetic data sets.",
        subcommands: [GenerateMarketplaceCommand.self]
    )
}

extension MarketplaceGenerator.Scale: ExpressibleByArgument {}

/// `larder generate marketplace --out DIR --scale tiny|small|medium [--seed N]`.
struct GenerateMarketplaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marketplace",
        abstract: "Generate a deterministic fitness-class marketplace as Parquet files plus definitions.yaml.",
        discussion: """
        Writes users.parquet and items.parquet (static attributes and planted preferences), the \
        interactions spine (label 1 = booked, 0 = shown only), the feature tables user_stats, \
        item_stats and user_item, and a definitions.yaml for `larder apply`. The same scale and \
        seed always give the same bytes. Sizes: tiny (5k interactions), small (100k), medium (1M \
        interactions, 10M user_stats rows).
        """
    )

    @Option(help: "Directory to write (created if missing).")
    var out: String

    @Option(help: "How much data.")
    var scale: MarketplaceGenerator.Scale

    @Option(help: "Random seed.")
    var seed: UInt64 = 42

    func run() throws {
        let sizes = scale.sizes
        print("Generating the \(scale.rawValue) marketplace (seed \(seed)): \(sizes.users) users, \(sizes.items) classes → \(out)")
        let showProgress = isatty(STDOUT_FILENO) != 0
        let started = DispatchTime.now().uptimeNanoseconds
        var lastShown = ("", -1)
        let summary: MarketplaceSummary
        do {
            summary = try MarketplaceGenerator(scale: scale, seed: seed).write(to: out) { name, fraction in
                guard showProgress, fraction < 1 else { return }
                let percent = Int(fraction * 100)
                guard (name, percent) != lastShown else { return }
                lastShown = (name, percent)
                Self.writeToStdout("\r  \(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(percent)%")
            }
            if showProgress { Self.writeToStdout("\r\u{1B}[K") }
        } catch {
            if showProgress { Self.writeToStdout("\r\u{1B}[K") }
            throw error
        }
        for file in summary.files {
            print("  \(file.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(Self.grouped(file.rowCount).leftPadded(12)) rows  \(Self.megabytes(file.sizeBytes).leftPadded(10))")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        print("  \("definitions.yaml".padding(toLength: 22, withPad: " ", startingAt: 0))")
        print(String(format: "Done in %.2f s. Next: larder apply %@", seconds, summary.definitionsPath))
    }

    private static func writeToStdout(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    /// 1234567 → "1,234,567".
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (k, ch) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    static func megabytes(_ bytes: Int) -> String {
        bytes >= 1_000_000 ? String(format: "%.1f MB", Double(bytes) / 1e6) : String(format: "%.1f kB", Double(bytes) / 1e3)
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
