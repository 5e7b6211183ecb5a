import ArgumentParser
import Foundation
import WaxConfig

struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print resolved paths and which settings are set (never a token's value)."
    )

    /// For `deploy/make-manual.sh`: the man page's generated sections (hidden from the help).
    @Flag(name: .customLong("manual-sections"), help: .hidden) var manualSections = false

    func run() async throws {
        if manualSections {
            Console.out(ManualSections.mdoc)
            return
        }
        try Failure.reporting {
            let context = try AppContext.load()
            let paths = context.paths
            let settings = context.settings
            func exists(_ url: URL) -> String { FileManager.default.fileExists(atPath: url.path) ? "" : " (not there yet)" }
            let database = try context.databasePath()
            var out = "wax \(WaxBuild.version)\n\n"
            out += "database      \(database.path)\(exists(database))\n"
            out += "config file   \(paths.configFile.path)\(exists(paths.configFile))\n"
            out += "log file      \(paths.logFile.path)\n"
            out += "theme dirs    \(paths.themeDirectories.map(\.path).joined(separator: "\n              "))\n\n"
            out += "settings\n"
            for key in Settings.Key.allCases {
                let source = settings.sources[key] ?? .defaultValue
                let shown: String
                if key.isSecret {
                    shown = source == .defaultValue ? "not set" : "set (\(source.rawValue))"
                } else {
                    let value = value(of: key, in: settings, database: database)
                    shown = value.isEmpty ? "not set" : "\(value) (\(source.rawValue))"
                }
                out += "  \(key.rawValue.padding(toLength: 26, withPad: " ", startingAt: 0)) \(shown)\n"
            }
            Console.out(out)
        }
    }

    /// The value in effect (the default when nothing sets it); "" when there is none.
    private func value(of key: Settings.Key, in settings: Settings, database: URL) -> String {
        switch key {
        case .discogsToken, .apiToken: "set"
        case .sellerUsername: settings.sellerUsername ?? ""
        case .userAgent: settings.userAgent
        case .enableAutoSync: String(settings.enableAutoSync)
        case .syncIntervalHours: String(settings.syncIntervalHours)
        case .databaseURL: settings.databaseURL.map(URLText.withoutCredentials) ?? database.path
        case .discogsAPIURL: URLText.withoutCredentials(settings.discogsAPIURL)
        case .inventoryStatus: settings.inventoryStatus
        case .theme: settings.theme ?? "default"
        case .corsOrigin: settings.corsOrigin ?? ""
        case .serveMaxConnections: String(settings.serveMaxConnections)
        case .logLevel: settings.logLevel
        case .readOnly: String(settings.readOnly)
        case .soldInShop: settings.soldInShop
        case .ordersPollMinutes: String(settings.ordersPollMinutes)
        case .priceRounding: settings.priceRounding.description
        case .maxPrice: String(settings.maxPrice)
        case .labelPrinter: settings.labelPrinter ?? "a PDF in the data folder"
        case .labelSize: settings.labelSize.description
        }
    }
}
