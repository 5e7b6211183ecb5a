import Foundation
import WaxConfig

/// The times of recent requests, handed from one sync to the next through a file beside the
/// database (syncs of one database take turns, under the sync lock). Discogs counts requests
/// per IP in a moving window, so a sync started right after another must know the window is
/// already full, or its first requests draw 429s.
enum RateHistory {
    static func path(forDatabase database: URL) -> URL {
        database.deletingLastPathComponent().appendingPathComponent(database.lastPathComponent + ".sync-rate")
    }

    /// The server's limit as last reported (the times mean nothing against another limit), and
    /// the times.
    static func load(forDatabase database: URL) -> (limit: Int?, times: [Date]) {
        guard let text = try? String(contentsOf: path(forDatabase: database), encoding: .utf8) else { return (nil, []) }
        var limit: Int?
        var times: [Date] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("limit ") {
                limit = Int(line.dropFirst("limit ".count))
            } else if let seconds = Double(line) {
                times.append(Date(timeIntervalSince1970: seconds))
            }
        }
        return (limit, times)
    }

    static func save(limit: Int, times: [Date], forDatabase database: URL) {
        let text = (["limit \(limit)"] + times.map { String(format: "%.3f", $0.timeIntervalSince1970) }).joined(separator: "\n")
        try? FilePermissions.writeAtomically(Data(text.utf8), to: path(forDatabase: database))
    }
}
