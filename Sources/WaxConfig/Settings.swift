import Foundation

public enum WaxVersion {
    public static let current = "0.1.0"
    public static let projectURL = "https://github.com/wax-shop/wax"
    public static var defaultUserAgent: String { "wax/\(current) +\(projectURL)" }
}

/// Every setting wax reads, with the old Flask app's names. The environment wins over the config
/// file; the config file wins over the defaults.
public struct Settings: Sendable {
    public enum Key: String, CaseIterable, Sendable {
        case discogsToken = "DISCOGS_TOKEN"
        case sellerUsername = "DISCOGS_SELLER_USERNAME"
        case userAgent = "DISCOGS_USER_AGENT"
        case enableAutoSync = "ENABLE_AUTO_SYNC"
        case syncIntervalHours = "SYNC_INTERVAL_HOURS"
        case databaseURL = "DATABASE_URL"
        case discogsAPIURL = "DISCOGS_API_URL"
        case inventoryStatus = "DISCOGS_INVENTORY_STATUS"
        case theme = "WAX_THEME"
        case apiToken = "WAX_API_TOKEN"
        case corsOrigin = "WAX_CORS_ORIGIN"
        case serveMaxConnections = "WAX_SERVE_MAX_CONNECTIONS"
        case logLevel = "WAX_LOG_LEVEL"
        case readOnly = "WAX_READ_ONLY"
        case soldInShop = "WAX_SOLD_IN_SHOP"
        case ordersPollMinutes = "ORDERS_POLL_MINUTES"
        case priceRounding = "WAX_PRICE_ROUNDING"
        case maxPrice = "WAX_MAX_PRICE"
        case labelPrinter = "WAX_LABEL_PRINTER"
        case labelSize = "WAX_LABEL_SIZE"

        public var isSecret: Bool { self == .discogsToken || self == .apiToken }

        public var summary: String {
            switch self {
            case .discogsToken: "Discogs personal access token (needed to sync)"
            case .sellerUsername: "the Discogs seller whose inventory is mirrored"
            case .userAgent: "User-Agent sent to Discogs (default \(WaxVersion.defaultUserAgent))"
            case .enableAutoSync: "sync at start-up and every SYNC_INTERVAL_HOURS (default true)"
            case .syncIntervalHours: "hours between automatic syncs, fractions allowed (default 1)"
            case .databaseURL: "sqlite:///relative.db, sqlite:////abs/path.db or a path (default $XDG_DATA_HOME/wax/wax.db)"
            case .discogsAPIURL: "Discogs API base URL (default https://api.discogs.com)"
            case .inventoryStatus: "inventory status to mirror (default For Sale)"
            case .theme: "colour theme: default, light, high-contrast, mono or your own"
            case .apiToken: "bearer token that `wax serve` requires for POST /api/sync"
            case .corsOrigin: "Access-Control-Allow-Origin for `wax serve`"
            case .serveMaxConnections: "connections `wax serve` serves at once (default 256); more get a 503"
            case .logLevel: "log level: trace, debug, info, notice, warning, error (default info)"
            case .readOnly: "true: staff can look but not act (sell, hold, reprice, move) from this wax (default false)"
            case .soldInShop: "what a counter sale does on Discogs: draft (off sale, can be undone) or delete (default draft)"
            case .ordersPollMinutes: "minutes between polls of the Discogs orders (default 5; 0 turns polling off)"
            case .priceRounding: "how intake rounds a suggested price: 0.50 (to the half), 1, .99 (endings), none (default 0.50)"
            case .maxPrice: "the highest price staff may set (default 10000)"
            case .labelPrinter: "where stickers go: a device (/dev/usb/lp0) or lp:QUEUE for ZPL, or a file (default: a PDF in the data folder)"
            case .labelSize: "a sticker's size in millimetres, WIDTHxHEIGHT (default 70x37, A4 sheets of 3×8)"
            }
        }
    }

    public enum Source: String, Sendable { case environment, configFile = "config file", defaultValue = "default" }

    public var discogsToken: Secret?
    public var sellerUsername: String?
    public var userAgent: String
    public var enableAutoSync: Bool
    public var syncIntervalHours: Double
    public var databaseURL: String?
    public var discogsAPIURL: String
    public var inventoryStatus: String
    public var theme: String?
    public var apiToken: Secret?
    public var corsOrigin: String?
    public var serveMaxConnections: Int
    public var logLevel: String
    public var readOnly: Bool
    /// `draft` or `delete`.
    public var soldInShop: String
    public var ordersPollMinutes: Double
    public var priceRounding = PriceRounding.step(0.5)
    public var maxPrice = 10_000.0
    /// A device, `lp:QUEUE`, or a file; nil: stickers are written as a PDF to the data folder.
    public var labelPrinter: String?
    /// Millimetres.
    public var labelSize = LabelSize(width: 70, height: 37)
    /// Where each setting came from.
    public var sources: [Key: Source]
    /// Things the operator should know (a world-readable file holding the token, say).
    public var warnings: [String]
    public var configFilePath: URL?

    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public let key: String
        public let value: String
        public let expected: String
        public var description: String { "\(key)=\"\(value)\" is not valid: expected \(expected)" }
    }

    public static let inventoryStatuses = ["All", "Deleted", "Draft", "Expired", "For Sale", "Sold", "Suspended", "Violation"]

    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        paths: WaxPaths
    ) throws -> Settings {
        let file = try ConfigFile.load(from: paths.configFile)
        return try resolve(environment: environment, file: file)
    }

    public static func resolve(environment: [String: String], file: ConfigFile?) throws -> Settings {
        var sources: [Key: Source] = [:]
        var warnings: [String] = []
        func value(_ key: Key) -> String? {
            if let v = environment[key.rawValue], !v.isEmpty {
                sources[key] = .environment
                return v
            }
            if let v = file?.values[key.rawValue], !v.isEmpty {
                sources[key] = .configFile
                return v
            }
            sources[key] = .defaultValue
            return nil
        }
        let token = value(.discogsToken)
        let seller = value(.sellerUsername)?.trimmingCharacters(in: .whitespaces)
        let userAgent = value(.userAgent) ?? WaxVersion.defaultUserAgent
        let autoSyncText = value(.enableAutoSync)
        let intervalText = value(.syncIntervalHours)
        let databaseURL = value(.databaseURL)
        let apiURL = value(.discogsAPIURL) ?? "https://api.discogs.com"
        let status = value(.inventoryStatus) ?? "For Sale"
        let theme = value(.theme)
        let apiToken = value(.apiToken)
        let cors = value(.corsOrigin)
        let maxConnectionsText = value(.serveMaxConnections)
        let logLevel = (value(.logLevel) ?? "info").lowercased()
        let readOnly = try value(.readOnly).map { try parseBool($0, key: .readOnly) } ?? false
        let soldInShop = (value(.soldInShop) ?? "draft").trimmingCharacters(in: .whitespaces).lowercased()
        var ordersPoll = 5.0
        if let text = value(.ordersPollMinutes) {
            guard let minutes = Double(text.trimmingCharacters(in: .whitespaces)), minutes.isFinite, minutes >= 0 else {
                throw Invalid(key: Key.ordersPollMinutes.rawValue, value: text, expected: "a number of minutes, e.g. 5 (0: no polling)")
            }
            ordersPoll = minutes
        }
        guard soldInShop == "draft" || soldInShop == "delete" else {
            throw Invalid(key: Key.soldInShop.rawValue, value: soldInShop, expected: "draft or delete")
        }

        let autoSync = try autoSyncText.map { try parseBool($0, key: .enableAutoSync) } ?? true
        var interval = 1.0
        if let intervalText {
            guard let hours = Double(intervalText.trimmingCharacters(in: .whitespaces)), hours.isFinite, hours > 0 else {
                throw Invalid(key: Key.syncIntervalHours.rawValue, value: intervalText, expected: "a positive number of hours, e.g. 1 or 0.25")
            }
            interval = hours
        }
        var maxConnections = 256
        if let maxConnectionsText {
            guard let count = Int(maxConnectionsText.trimmingCharacters(in: .whitespaces)), count > 0 else {
                throw Invalid(key: Key.serveMaxConnections.rawValue, value: maxConnectionsText, expected: "a positive whole number, e.g. 256")
            }
            maxConnections = count
        }
        guard let match = inventoryStatuses.first(where: { $0.caseInsensitiveCompare(status) == .orderedSame }) else {
            throw Invalid(key: Key.inventoryStatus.rawValue, value: status, expected: inventoryStatuses.joined(separator: ", "))
        }
        guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(logLevel) else {
            throw Invalid(key: Key.logLevel.rawValue, value: logLevel, expected: "trace, debug, info, notice, warning or error")
        }
        if let file, sources[.discogsToken] == .configFile, ConfigFile.isReadableByOthers(file.path) {
            warnings.append("\(file.path.path) holds DISCOGS_TOKEN and is readable by other users: run chmod 600 \(file.path.path)")
        }
        var settings = Settings(
            discogsToken: Secret(token), sellerUsername: seller?.isEmpty == true ? nil : seller,
            userAgent: userAgent, enableAutoSync: autoSync, syncIntervalHours: interval,
            databaseURL: databaseURL, discogsAPIURL: apiURL, inventoryStatus: match, theme: theme,
            apiToken: Secret(apiToken), corsOrigin: cors, serveMaxConnections: maxConnections, logLevel: logLevel,
            readOnly: readOnly, soldInShop: soldInShop, ordersPollMinutes: ordersPoll, sources: sources, warnings: warnings, configFilePath: file?.path
        )
        if let text = value(.priceRounding) {
            guard let rounding = PriceRounding(text) else {
                throw Invalid(key: Key.priceRounding.rawValue, value: text, expected: "0.50, 1, .99 or none")
            }
            settings.priceRounding = rounding
        }
        if let text = value(.maxPrice) {
            guard let limit = Double(text.trimmingCharacters(in: .whitespaces)), limit.isFinite, limit > 0 else {
                throw Invalid(key: Key.maxPrice.rawValue, value: text, expected: "a positive number, e.g. 10000")
            }
            settings.maxPrice = limit
        }
        settings.labelPrinter = value(.labelPrinter)
        if let text = value(.labelSize) {
            guard let size = LabelSize(text) else { throw Invalid(key: Key.labelSize.rawValue, value: text, expected: "millimetres as WIDTHxHEIGHT, e.g. 70x37") }
            settings.labelSize = size
        }
        settings.sources = sources
        return settings
    }

    static func parseBool(_ text: String, key: Key) throws -> Bool {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "1", "true", "yes", "on", "y", "t": return true
        case "0", "false", "no", "off", "n", "f": return false
        default: throw Invalid(key: key.rawValue, value: text, expected: "true or false")
        }
    }

    /// The database file these settings point at.
    public func databasePath(paths: WaxPaths) throws -> URL {
        try DatabaseLocation.resolve(databaseURL, default: paths.defaultDatabase)
    }

    /// Redacts every secret this process knows from `text`.
    public func redact(_ text: String) -> String {
        var text = text
        if let discogsToken { text = discogsToken.redact(text) }
        if let apiToken { text = apiToken.redact(text) }
        return text
    }
}
