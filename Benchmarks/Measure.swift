import Foundation
import WaxStore
import WaxTestSupport

/// Timings in milliseconds and their percentiles.
struct Samples {
    var values: [Double] = []

    mutating func time<T>(_ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        values.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        return result
    }

    func percentile(_ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count - 1)).rounded(.up))
        return sorted[Swift.min(sorted.count - 1, Swift.max(0, rank))]
    }

    var p50: Double { percentile(50) }
    var p99: Double { percentile(99) }
    var max: Double { values.max() ?? .nan }
}

enum Measure {
    static func seconds<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        return (result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// Peak resident set size of this process (VmHWM), in MB.
    static var peakRSSMegabytes: Double { statusMegabytes("VmHWM:") }
    /// Starts the peak (VmHWM) again from the resident memory now, so that a later
    /// `peakRSSMegabytes` is the peak of what ran since (Linux: `/proc/self/clear_refs`).
    /// False where the kernel refuses.
    @discardableResult
    static func resetPeakRSS() -> Bool {
        guard let file = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? file.close() }
        return (try? file.write(contentsOf: Data("5".utf8))) != nil
    }

    /// Resident memory now (VmRSS), in MB.
    static var rssMegabytes: Double { statusMegabytes("VmRSS:") }
    /// The part of it that is this process's own (RssAnon): the rest is program and library
    /// pages, shared by every process running them (every staff member's wax on one server).
    static var anonymousRSSMegabytes: Double { statusMegabytes("RssAnon:") }

    /// The resident megabytes of each file this process maps (and `[heap]`, `[anon]` for the
    /// rest), largest first: which libraries a figure's RSS is made of.
    static func residentByMapping() -> [(String, Double)] {
        // Read to the end: /proc files report a size of 0, and a sized read stops short.
        guard let data = try? FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/smaps")).readToEnd(),
              let smaps = String(data: data, encoding: .utf8) else { return [] }
        var byName: [String: Double] = [:]
        var current = "[anon]"
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let first = fields.first, first.contains("-"), fields.count >= 5 {
                current = fields.count >= 6 ? String(fields[5...].joined(separator: " ").split(separator: "/").last ?? "") : "[anon]"
            } else if fields.first == "Rss:", fields.count >= 2, let kb = Double(fields[1]) {
                byName[current, default: 0] += kb / 1024
            }
        }
        return byName.sorted { $0.value > $1.value }
    }

    private static func statusMegabytes(_ key: String) -> Double {
        ProcStatus.kibibytes(key).map { Double($0) / 1024 } ?? .nan
    }

    static func option(_ name: String, in arguments: [String]) -> String? {
        guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
        return arguments[i + 1]
    }

    /// How a figure stands against its goal, as every benchmark prints it.
    static func verdict(_ met: Bool) -> String { met ? "ok" : "OVER" }

    static func fmt(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }
}

extension WriteJournal {
    /// Which journal a write went through, as the benchmarks print it.
    var benchmarkText: String {
        switch self {
        case .wal: "the WAL"
        case .rollback: "the rollback journal (an empty mirror filled alone)"
        }
    }
}
