import Foundation
import Logging
import WaxConfig
import WaxJSON
import WaxStore
import WaxSync

/// Every request: route, answer (JSON), add CORS headers. Runs on the server's store queue;
/// nothing a GET does writes to the mirror.
struct APIRoutes: Sendable {
    let inventory: InventoryService
    let configuration: APIServer.Configuration
    let sync: APIServer.SyncAccess
    let logger: Logger

    /// Response headers a browser script may read (the website pages through results).
    static let exposedHeaders = "X-Total-Count, X-Page, X-Per-Page"

    func respond(to request: APIRequest) -> APIReply {
        var reply: APIReply
        do {
            reply = try route(request)
        } catch let error as APIError {
            reply = error.reply
        } catch {
            // Store errors are one line already (the file and what SQLite said).
            logger.error("\(request.method) \(request.path): \(error)")
            reply = APIError(500, "\(error)").reply
        }
        if let origin = configuration.corsOrigin {
            reply.headers += [("Access-Control-Allow-Origin", origin), ("Access-Control-Expose-Headers", Self.exposedHeaders), ("Vary", "Origin")]
        }
        return reply
    }

    private func route(_ request: APIRequest) throws -> APIReply {
        var path = request.path
        if path.count > 1, path.hasSuffix("/") { path.removeLast() }
        guard let route = Route(path) else {
            throw APIError.notFound("no such route: \(path) (try /api/data, /api/search, /api/facets, /api/stats, /healthz)")
        }
        if request.method == "OPTIONS" { return preflight(route) }
        // HEAD is a GET whose body is not sent (the HTTP layer drops it).
        let method = request.method == "HEAD" ? "GET" : request.method
        guard method == route.method else {
            throw APIError(405, "\(path) takes \(route.method) only", headers: ["Allow": "\(route.method), OPTIONS"])
        }
        // Every GET's query string is checked (wax's own parameters strictly), even where no
        // parameter is read.
        let parameters = route == .sync ? APIParameters() : try APIParameters(rawQuery: request.rawQuery)
        try parameters.checkStrict()
        switch route {
        case .data: return try listings(ListingRequest.everything(parameters))
        case .listing(let id): return try listing(id)
        case .search: return try listings(ListingRequest.search(parameters))
        case .facets: return try facets(parameters)
        case .stats: return APIReply.json(StatsJSON.object(try inventory.reports.stats()))
        case .health: return try health()
        case .sync: return try startSync(request)
        }
    }

    enum Route: Equatable {
        case data, listing(String), search, facets, stats, health, sync

        init?(_ path: String) {
            switch path {
            case "/api/data": self = .data
            case "/api/search": self = .search
            case "/api/facets": self = .facets
            case "/api/stats": self = .stats
            case "/healthz": self = .health
            case "/api/sync": self = .sync
            case let path where path.hasPrefix("/api/data/") && !path.dropFirst(10).contains("/"):
                self = .listing(String(path.dropFirst(10)))
            default: return nil
            }
        }

        var method: String { self == .sync ? "POST" : "GET" }
    }

    // MARK: Reading

    private func listings(_ request: ListingRequest) throws -> APIReply {
        guard request.paged else {
            // Everything: streamed from one frozen state of the mirror, a piece at a time, so
            // that 100,000 listings never sit in memory at once.
            let stream = try inventory.stream(request.query, withReleases: true)
            return APIReply(status: 200, headers: [("Content-Type", "application/json; charset=utf-8"), ("X-Total-Count", String(stream.total))],
                            body: .stream(ListingArrayChunks(stream)))
        }
        let (listings, total) = try inventory.page(request.query, withReleases: true)
        var headers = [("X-Total-Count", String(total))]
        if let size = request.query.limit {
            headers += [("X-Page", String(request.query.offset / size + 1)), ("X-Per-Page", String(size))]
        }
        return APIReply.json(bytes: ListingJSON.arrayUTF8(listings), headers: headers)
    }

    private func listing(_ text: String) throws -> APIReply {
        // Any id that names no listing is the old app's 404, text ids included.
        guard let id = Int64(text), id > 0 else { throw APIError.notFound("Listing not found") }
        // A sold or deleted listing is still answered (with `removed_at`): the mirror keeps it.
        guard let listing = try inventory.listing(id: id) else { throw APIError.notFound("Listing not found") }
        return APIReply.json(ListingJSON.object(listing))
    }

    private func facets(_ parameters: APIParameters) throws -> APIReply {
        let request = try ListingRequest.search(parameters)
        // The most frequent values of each kind; a large shop has thousands of artists.
        let limit = try parameters.integer("limit", in: 1...10_000) ?? 100
        let facets = try inventory.facets(request.query, limit: limit)
        return APIReply.json(FacetsJSON.object(facets, total: try inventory.count(request.query.selection)))
    }

    private func health() throws -> APIReply {
        let running: Bool
        if case .runner(let runner) = sync { running = runner.isRunning } else { running = false }
        let total = try inventory.count(ListingQuery())
        var lastSync = JSONValue.null
        if let run = try inventory.reports.syncRuns(limit: 1).first {
            let age = run.finishedAt.map { Int(Date().timeIntervalSince($0).rounded()) }
            lastSync = .object([
                "outcome": .string(run.outcome), "trigger": .string(run.trigger),
                "finished_at": JSONValue(run.finishedAt.map(Timestamp.string)), "age_seconds": JSONValue(age),
                "error": JSONValue(run.error),
            ])
        }
        return APIReply.json(.object([
            "status": .string("ok"), "listings": .int(Int64(total)), "sync_running": .bool(running), "last_sync": lastSync,
        ]))
    }

    // MARK: Syncing

    private func startSync(_ request: APIRequest) throws -> APIReply {
        guard let token = configuration.apiToken else {
            throw APIError(403, "POST /api/sync is disabled: set WAX_API_TOKEN on the server to allow it")
        }
        guard let header = request.header("Authorization"), header.hasPrefix("Bearer "),
              Self.constantTimeEquals(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces), token.revealed) else {
            throw APIError(401, "POST /api/sync needs the header Authorization: Bearer <WAX_API_TOKEN>", headers: ["WWW-Authenticate": "Bearer"])
        }
        switch sync {
        case .unavailable(let reason):
            throw APIError(503, reason)
        case .runner(let runner):
            switch runner.tryStart(.api) {
            case .started: return APIReply.json(.object(["status": .string("started")]), status: 202)
            case .alreadyRunning: throw APIError(409, "a sync is already running")
            case .busy(let holder): throw APIError(409, "another wax is syncing this database (\(holder))")
            case .failed(let reason): throw APIError(500, reason)
            }
        }
    }

    /// Compares without returning early, so response times say nothing about the token.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for index in 0..<max(x.count, y.count) {
            difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
        }
        return difference == 0
    }

    // MARK: CORS

    private func preflight(_ route: Route) -> APIReply {
        var headers = [("Allow", "\(route.method), OPTIONS")]
        if configuration.corsOrigin != nil {
            headers += [("Access-Control-Allow-Methods", "\(route.method), OPTIONS"),
                        ("Access-Control-Allow-Headers", "Authorization, Content-Type"), ("Access-Control-Max-Age", "600")]
        }
        return APIReply.empty(status: 204, headers: headers)
    }
}
