import Foundation
import WaxConfig
import WaxStore
import WaxSync

/// Builds the sync engine from settings; what is missing is a configuration error (exit 2).
enum SyncSetup {
    static func engine(_ context: AppContext, inventory: InventoryService) throws -> (SyncEngine, SyncOptions) {
        let (client, seller) = try self.client(context)
        var options = SyncOptions(seller: seller, trigger: .cli)
        options.status = ListingStatus(rawValue: context.settings.inventoryStatus)
        // Fault injection for the kill-during-apply test: hold the transaction open.
        if let pause = ProcessInfo.processInfo.environment["WAX_FAULT_PAUSE_BEFORE_COMMIT"].flatMap(Double.init) {
            options.pauseBeforeCommit = pause
            context.logger.warning("fault injection: the sync pauses \(pause) s before committing")
        }
        return (SyncEngine(inventory: inventory, client: client, logger: context.logger), options)
    }

    /// The Discogs client and the seller, from settings; what is missing is exit 2.
    static func client(_ context: AppContext) throws -> (DiscogsClient, seller: String) {
        let settings = context.settings
        guard let token = settings.discogsToken else {
            throw Failure.configuration("DISCOGS_TOKEN is not set: put your Discogs personal access token in the environment or in \(context.paths.configFile.path)")
        }
        guard let seller = settings.sellerUsername else {
            throw Failure.configuration("DISCOGS_SELLER_USERNAME is not set: name the Discogs seller whose inventory wax mirrors")
        }
        guard let url = URL(string: settings.discogsAPIURL) else {
            throw Failure.configuration("DISCOGS_API_URL \"\(settings.discogsAPIURL)\" is not a URL")
        }
        do {
            return (try DiscogsClient(configuration: DiscogsClient.Configuration(baseURL: url, token: token, userAgent: settings.userAgent)), seller)
        } catch {
            throw Failure.configuration("\(error)")
        }
    }

    /// The outbox sender of a one-shot command, on `client` (shared with its sync, if any: one
    /// rate limiter per process). Long-running waxes get theirs from `ShopWorkers`.
    static func sender(_ context: AppContext, inventory: InventoryService, client: DiscogsClient, seller: String) -> OutboxSender {
        OutboxSender(inventory: inventory, client: client, configuration: OutboxSender.Configuration(seller: seller), logger: context.logger)
    }

    static func exit(for failure: SyncFailure) -> Failure {
        switch failure.kind {
        case .busy: .syncBusy(failure.message)
        case .tokenRejected: .tokenRejected(failure.message)
        case .configuration: .configuration(failure.message)
        case .failed, .cancelled: .failed(failure.message)
        }
    }
}
