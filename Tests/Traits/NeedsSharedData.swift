import Testing
import WaxTestSupport

// Apart from WaxTestSupport, which the benchmarks use too: a module that imports Testing
// cannot be linked with --static-swift-stdlib, and wax-bench is built so to measure what the
// install ships.
extension Trait where Self == ConditionTrait {
    /// Skips a test, saying why, when `../shared/data` is not next to the package.
    public static var needsSharedData: Self {
        .enabled(if: SharedData.available, "skipped: \(SharedData.skipReason)")
    }
}
