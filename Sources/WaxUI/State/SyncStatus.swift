import Foundation
import WaxStore
import WaxSync

/// What the status bar says about syncing, folded from `SyncEvent`s.
public struct SyncStatus: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        /// No token or seller: syncing is off.
        case unavailable
        case idle
        case running(String, progress: Double?)
        case failed(String)
    }

    public var phase: Phase = .idle
    /// A sub-line while running: "waiting 3 s for the rate limit", "retry 2/8: HTTP 503".
    public var detail: String?
    public var lastFinished: Date?
    public var lastCounts: (added: Int, removed: Int, updated: Int)?
    /// "another wax is syncing…", and since when: shown briefly, the sync itself is elsewhere.
    public var busy: (message: String, since: Date)?

    /// How long "another wax is syncing" stays up (the other sync's commit, noticed within a
    /// second, clears it sooner).
    public static let busyShown: TimeInterval = 15

    public func busyMessage(now: Date) -> String? {
        guard let busy, now.timeIntervalSince(busy.since) < Self.busyShown else { return nil }
        return busy.message
    }

    public init() {}

    public static func == (a: SyncStatus, b: SyncStatus) -> Bool {
        a.phase == b.phase && a.detail == b.detail && a.lastFinished == b.lastFinished
            && a.lastCounts?.added == b.lastCounts?.added && a.lastCounts?.removed == b.lastCounts?.removed
            && a.lastCounts?.updated == b.lastCounts?.updated && a.busy?.message == b.busy?.message && a.busy?.since == b.busy?.since
    }

    public var isRunning: Bool {
        if case .running = phase { return true }
        return false
    }

    /// Folds one event in. Returns true when the mirror has new data (a sync committed).
    @discardableResult
    public mutating func apply(_ event: SyncEvent, now: Date) -> Bool {
        switch event {
        case .started:
            phase = .running("starting sync", progress: nil)
            detail = nil
            busy = nil
        case .identity:
            phase = .running("reading the inventory", progress: 0)
        case .page(let page, let pages, let listings):
            phase = .running("page \(page)/\(pages) · \(listings) listings", progress: Double(page) / Double(max(1, pages)))
            detail = nil
        case .exporting(let what):
            phase = .running(what, progress: nil)
        case .waitingForRateLimit(let seconds):
            detail = seconds >= 1 ? "waiting \(Int(seconds.rounded())) s for the rate limit" : "pacing for the rate limit"
        case .retrying(let attempt, let attempts, let reason):
            detail = "retry \(attempt)/\(attempts): \(reason)"
        case .verifying(let done, let total):
            phase = .running("verifying removals \(done)/\(total)", progress: Double(done) / Double(max(1, total)))
        case .applying(let listings):
            phase = .running("applying \(listings) listings", progress: 1)
            detail = nil
        case .enriching(let done, let total):
            phase = .running("release details \(done)/\(total)", progress: Double(done) / Double(max(1, total)))
            detail = nil
        case .finished(let summary):
            phase = .idle
            detail = nil
            lastFinished = now
            lastCounts = (summary.added, summary.removed, summary.updated)
            return true
        case .failed(let failure):
            detail = nil
            if failure.kind == .busy {
                phase = .idle
                busy = (failure.message, now)
            } else {
                phase = .failed(failure.message)
            }
        }
        // The listings are committed before release details are fetched: refresh then too.
        if case .enriching(0, _) = event { return true }
        return false
    }
}
