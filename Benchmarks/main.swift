import Foundation

// `swift run -c release wax-bench <suite> [options]`: prints figures; never part of `swift test`.
let arguments = Array(CommandLine.arguments.dropFirst())
let suites: [String: ([String]) throws -> Void] = [
    "store": StoreBenchmark.run,
]
guard let name = arguments.first, let suite = suites[name] else {
    print("usage: wax-bench <\(suites.keys.sorted().joined(separator: "|"))> [--listings N] [--seed N]")
    exit(2)
}
do {
    try suite(Array(arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("wax-bench: \(error)\n".utf8))
    exit(1)
}
