import Foundation
import WaxConfig
import WaxStore
import WaxSync

/// Builds the sync engine from settings; what is missing is a configuration error (exit 2).
enum SyncSetup {
    static func engine(_ context: AppContext, inventory: InventoryService) throws -> (SyncEngine, SyncOptions) {
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
        let client: DiscogsClient
        do {
            client = try DiscogsClient(configuration: DiscogsClient.Configuration(baseURL: url, token: token, userAgent: settings.userAgent))
        } catch {
            throw Failure.configuration("\(error)")
        }
        var options = SyncOptions(seller: seller, trigger: .cli)
        options.status = settings.inventoryStatus
        // Fault injection for the kill-during-apply test: hold the transaction open.
        if let pause = ProcessInfo.processInfo.environment["WAX_FAULT_PAUSE_BEFORE_COMMIT"].flatMap(Double.init) {
            options.pauseBeforeCommit = pause
            context.logger.warning("fault injection: the sync pauses \(pause) s before committing")
        }
        return (SyncEngine(inventory: inventory, client: client, logger: context.logger), options)
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
