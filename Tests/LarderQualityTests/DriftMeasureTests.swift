import Foundation
import Testing
@testable import LarderQuality

/// PSI, Jensen–Shannon and L-infinity against values worked out by hand.
@Suite struct DriftMeasureTests {
    func close(_ a: Double?, _ b: Double, tolerance: Double = 1e-12) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance
    }

    @Test func psiOfTwoBins() {
        // (0.25 − 0.5)·ln(0.25/0.5) + (0.75 − 0.5)·ln(0.75/0.5) = 0.25·ln 2 + 0.25·ln 1.5
        let psi = Drift.populationStabilityIndex(reference: [0.5, 0.5], current: [0.25, 0.75])
        #expect(close(psi, 0.2746530721670274))
        // Symmetric in its arguments.
        #expect(close(Drift.populationStabilityIndex(reference: [0.25, 0.75], current: [0.5, 0.5]), 0.2746530721670274))
    }

    @Test func psiReplacesEmptyBinsByEpsilon() {
        // The reference's empty second bin counts as 1e-4:
        // (0.5 − 1)·ln(0.5/1) + (0.5 − 1e-4)·ln(0.5/1e-4) = 0.5·ln 2 + 0.4999·ln 5000
        let psi = Drift.populationStabilityIndex(reference: [1, 0], current: [0.5, 0.5], epsilon: 1e-4)
        #expect(close(psi, 4.60431846666895, tolerance: 1e-9))
        // Bins empty on both sides add nothing.
        #expect(Drift.populationStabilityIndex(reference: [0.5, 0.5, 0], current: [0.5, 0.5, 0]) == 0)
    }

    @Test func jensenShannonDistance() {
        // m = (0.75, 0.25); JSD = ½(½·log2(⅔) + ½·log2 2) + ½·log2(4/3); distance = √JSD.
        #expect(close(Drift.jensenShannonDistance(reference: [0.5, 0.5], current: [1, 0]), 0.5579230452841438))
        #expect(Drift.jensenShannonDistance(reference: [1, 0], current: [0, 1]) == 1)
        #expect(Drift.jensenShannonDistance(reference: [0.2, 0.3, 0.5], current: [0.2, 0.3, 0.5]) == 0)
    }

    @Test func lInfinityDistance() {
        #expect(close(Drift.lInfinityDistance(reference: [0.2, 0.3, 0.5], current: [0.1, 0.5, 0.4]), 0.2))
        #expect(Drift.lInfinityDistance(reference: [1], current: [1]) == 0)
    }

    @Test func mismatchedLengthsHaveNoMeasure() {
        #expect(Drift.populationStabilityIndex(reference: [1], current: [0.5, 0.5]) == nil)
        #expect(Drift.jensenShannonDistance(reference: [1], current: [0.5, 0.5]) == nil)
        #expect(Drift.lInfinityDistance(reference: [1], current: [0.5, 0.5]) == nil)
    }
}
