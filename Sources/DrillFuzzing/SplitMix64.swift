/// A small deterministic random number generator (SplitMix64).
///
/// The fuzzer must produce the same inputs from the same `--seed` on every run and machine, so that a failure
/// found once can be found again; `SystemRandomNumberGenerator` cannot be seeded.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability `numerator / denominator`.
    mutating func chance(_ numerator: Int, in denominator: Int) -> Bool { Int.random(in: 0..<denominator, using: &self) < numerator }

    /// A size from 1 to `maximum`, small sizes far more often than large ones (each power of two is as likely).
    mutating func skewedSize(upTo maximum: Int) -> Int {
        let bits = Int.random(in: 0...max(0, Int.bitWidth - maximum.leadingZeroBitCount - 1), using: &self)
        return min(maximum, Int.random(in: (1 << bits)...(1 << (bits + 1)) - 1, using: &self))
    }
}
