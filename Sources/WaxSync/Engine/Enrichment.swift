import Foundation
import WaxStore

extension SyncEngine {
    struct EnrichmentResult {
        var fetched = 0
        var pending = 0
        var note: String?
    }

    /// Fetches the details (genres, styles, …) of releases the mirror lacks, committing every
    /// `releaseBatch`, so that an interrupted enrichment keeps what it got and the next sync
    /// carries on. It never fails the sync: the listings are already applied.
    func enrich(_ options: SyncOptions, events: @escaping @Sendable (SyncEvent) -> Void) async -> EnrichmentResult {
        let pending = (try? await onStore { try self.inventory.syncStore.pendingReleaseCount() }) ?? 0
        // The last in line for the rate window: staff, orders and the inventory go first.
        return await DiscogsClient.$priority.withValue(.details) {
            (try? await within(requests: pending) { await self.enrichWithinBound(options, events: events) }) ?? EnrichmentResult()
        }
    }

    private func enrichWithinBound(_ options: SyncOptions, events: @escaping @Sendable (SyncEvent) -> Void) async -> EnrichmentResult {
        var result = EnrichmentResult()
        let pending: [Int64]
        do {
            guard options.enrichment != .none else {
                result.pending = try await onStore { try self.inventory.syncStore.pendingReleaseCount() }
                return result
            }
            pending = try await onStore { try self.inventory.syncStore.releasesNeedingDetails() }
        } catch {
            result.note = "\(error)"
            return result
        }
        result.pending = pending.count
        guard !pending.isEmpty else { return result }
        var remaining = pending[...]
        events(.enriching(0, of: pending.count))
        while !remaining.isEmpty {
            var take = options.releaseBatch
            if options.enrichment == .budget {
                // Only what the window allows now, minus a few requests kept for someone pressing
                // "sync" next; the rest is for the next sync.
                let budget = client.availableRequests(for: .details) - max(2, client.rateLimit / 6)
                if budget <= 0 {
                    result.note = "\(remaining.count) releases left for the next sync (rate limit)"
                    break
                }
                take = min(take, budget)
            }
            let batch = Array(remaining.prefix(take))
            remaining = remaining.dropFirst(batch.count)
            var releases: [ReleaseRecord] = []
            do {
                try await forEachConcurrently(batch, limit: options.concurrency) { id in
                    try await self.client.release(id: id) ?? {
                        // Discogs has no such release: remember that, so it isn't asked again.
                        var empty = ReleaseRecord(releaseID: id, source: .discogs)
                        empty.fetchedAt = Date()
                        return empty
                    }()
                } collect: { releases.append($0) }
            } catch {
                result.note = "release details stopped: \(SyncEngine.failure(error).message)"
                if !releases.isEmpty {
                    let partial = releases
                    _ = try? await onStore { try self.inventory.syncStore.storeReleases(partial) }
                    result.fetched += releases.count
                }
                break
            }
            let stored = releases
            do {
                try await onStore { try self.inventory.syncStore.storeReleases(stored) }
            } catch {
                result.note = "release details not stored: \(error)"
                break
            }
            result.fetched += releases.count
            events(.enriching(result.fetched, of: pending.count))
        }
        result.pending = pending.count - result.fetched
        return result
    }
}
