import Foundation

// `swift run -c release wax-bench <suite> [options]`: prints figures; never part of `swift test`.
let arguments = Array(CommandLine.arguments.dropFirst())
let suites: [String: ([String]) async throws -> Void] = [
    "store": { try StoreBenchmark.run($0) },
    "sync": { try await SyncBenchmark.run($0) },
    "ui": { try UIBenchmark.run($0) },
    "ui-prepare": { try UIBenchmark.prepare($0) },
    "serve": { try await ServeBenchmark.run($0) },
    "hostile": { try await HostileBenchmark.run($0) },
    "counter": { try await CounterBenchmark.run($0) },
    "orders": { try await OrdersBenchmark.run($0) },
    "confirmations": { try ConfirmationBenchmark.run($0) },
    "intake": { try await IntakeBenchmark.run($0) },
    "reprice": { try await RepriceBenchmark.run($0) },
]
guard let name = arguments.first, let suite = suites[name] else {
    print("usage: wax-bench <\(suites.keys.sorted().joined(separator: "|"))> [options]")
    exit(2)
}
do {
    try await suite(Array(arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("wax-bench: \(error)\n".utf8))
    exit(1)
}
