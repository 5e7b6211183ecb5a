import Foundation
import Synchronization
import WaxSync

/// The progress bar `wax sync` draws on stderr while it runs (only on a terminal).
final class SyncProgress: Sendable {
    private let enabled: Bool
    private let state = Mutex((phase: "starting", fraction: 0.0, detail: ""))

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func handle(_ event: SyncEvent) {
        guard enabled else { return }
        let line: String? = state.withLock { s in
            switch event {
            case .started(let seller, _): s = ("syncing \(seller)", 0, "")
            case .identity(let user, let owner): s.detail = owner ? "as the owner" : "as \(user) (not the owner)"
            case .page(let page, let pages, let listings): s = ("page \(page)/\(pages)", Double(page) / Double(max(1, pages)), "\(listings) listings")
            case .exporting(let what): s = (what, s.fraction, "")
            case .waitingForRateLimit(let seconds): s.detail = String(format: "waiting %.1f s for the rate limit", seconds)
            case .retrying(let attempt, let attempts, let reason): s.detail = "retry \(attempt)/\(attempts): \(reason)"
            case .verifying(let done, let total): s = ("verifying removals \(done)/\(total)", Double(done) / Double(max(1, total)), "")
            case .applying(let listings): s = ("applying", 1, "\(listings) listings")
            case .enriching(let done, let total): s = ("release details \(done)/\(total)", Double(done) / Double(max(1, total)), "")
            case .finished, .failed: return nil
            }
            let width = 24
            let filled = Int((s.fraction * Double(width)).rounded())
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            return "\r\u{1B}[2K\(bar) \(s.phase)\(s.detail.isEmpty ? "" : " · " + s.detail)"
        }
        if let line {
            FileHandle.standardError.write(Data(line.utf8))
        } else {
            FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
        }
    }
}
