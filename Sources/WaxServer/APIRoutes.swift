import FlyingFox
import Foundation
import WaxJSON
import WaxStore
import WaxSync

/// Every request: route, answer (JSON), add CORS headers, log one line. Store work runs on the
/// server's store queue; nothing a GET does writes to the mirror.
struct APIRoutes: HTTPHandler {
    let server: APIServer

    /// Response headers a browser script may read (the website pages through results).
    static let exposedHeaders = "X-Total-Count, X-Page, X-Per-Page"

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let started = ContinuousClock.now
        var response: HTTPResponse
        do {
            response = try await respond(to: request)
        } catch let error as APIError {
            response = error.response
        } catch {
            // Store errors are one line already (the file and what SQLite said).
            server.logger.error("\(request.method.rawValue) \(request.path): \(error)")
            response = APIError(500, "\(error)").response
        }
        if let origin = server.configuration.corsOrigin {
            response.headers[HTTPHeader("Access-Control-Allow-Origin")] = origin
            response.headers[HTTPHeader("Access-Control-Expose-Headers")] = Self.exposedHeaders
            response.headers[HTTPHeader("Vary")] = "Origin"
        }
        let elapsed = started.duration(to: .now)
        let milliseconds = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        server.logger.info("\(request.method.rawValue) \(String(request.target.rawValue.prefix(300))) \(response.statusCode.code) \(String(format: "%.1f", milliseconds)) ms \(Self.bodySize(response)) B")
        return response
    }

    private static func bodySize(_ response: HTTPResponse) -> Int {
        if case .httpBody(let body) = response.payload { return body.count ?? 0 }
        return 0
    }

    private func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        var path = request.path
        if path.count > 1, path.hasSuffix("/") { path.removeLast() }
        let route = Route(path)
        guard let route else { throw APIError.notFound("no such route: \(path) (try /api/data, /api/search, /api/facets, /api/stats, /healthz)") }
        if request.method == .OPTIONS { return preflight(route) }
        guard request.method == route.method else {
            throw APIError(405, "\(path) takes \(route.method.rawValue) only", headers: ["Allow": "\(route.method.rawValue), OPTIONS"])
        }
        // Every GET's query string is checked, even where no parameter is read.
        let parameters = route == .sync ? APIParameters() : try APIParameters(rawQuery: request.target.query())
        switch route {
        case .data: return try await listings(ListingRequest.everything(parameters))
        case .listing(let id): return try await listing(id)
        case .search: return try await listings(ListingRequest.search(parameters))
        case .facets: return try await facets(parameters)
        case .stats: return try await stats()
        case .health: return try await health()
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

        var method: HTTPMethod { self == .sync ? .POST : .GET }
    }

    // MARK: Reading

    private func listings(_ request: ListingRequest) async throws -> HTTPResponse {
        try await server.onStore { [inventory = server.inventory] in
            let (listings, total) = try inventory.page(request.query, withReleases: true)
            var headers = ["X-Total-Count": String(total)]
            if request.paged, let size = request.query.limit {
                headers["X-Page"] = String(request.query.offset / size + 1)
                headers["X-Per-Page"] = String(size)
            }
            return APIResponse.json(bytes: ListingJSON.arrayUTF8(listings), headers: headers)
        }
    }

    private func listing(_ text: String) async throws -> HTTPResponse {
        guard let id = Int64(text), id > 0 else { throw APIError.badRequest("a listing id is a number, not \"\(text)\"") }
        return try await server.onStore { [inventory = server.inventory] in
            // A sold or deleted listing is still answered (with `removed_at`): the mirror keeps it.
            guard let listing = try inventory.listing(id: id) else { throw APIError.notFound("Listing not found") }
            return APIResponse.json(ListingJSON.object(listing))
        }
    }

    private func facets(_ parameters: APIParameters) async throws -> HTTPResponse {
        let request = try ListingRequest.search(parameters)
        // The most frequent values of each kind; a large shop has thousands of artists.
        let limit = try parameters.integer("limit", in: 1...10_000) ?? 100
        return try await server.onStore { [inventory = server.inventory] in
            let facets = try inventory.facets(request.query, limit: limit)
            return APIResponse.json(FacetsJSON.object(facets, total: try inventory.count(request.query.selection)))
        }
    }

    private func stats() async throws -> HTTPResponse {
        try await server.onStore { [inventory = server.inventory] in
            APIResponse.json(StatsJSON.object(try inventory.stats()))
        }
    }

    private func health() async throws -> HTTPResponse {
        let running: Bool
        if case .runner(let runner) = server.sync { running = runner.isRunning } else { running = false }
        return try await server.onStore { [inventory = server.inventory] in
            let total = try inventory.count(ListingQuery())
            var lastSync = JSONValue.null
            if let run = try inventory.syncRuns(limit: 1).first {
                let age = run.finishedAt.map { Int(Date().timeIntervalSince($0).rounded()) }
                lastSync = .object([
                    "outcome": .string(run.outcome), "trigger": .string(run.trigger),
                    "finished_at": JSONValue(run.finishedAt.map(Timestamp.string)), "age_seconds": JSONValue(age),
                    "error": JSONValue(run.error),
                ])
            }
            return APIResponse.json(.object([
                "status": .string("ok"), "listings": .int(Int64(total)), "sync_running": .bool(running), "last_sync": lastSync,
            ]))
        }
    }

    // MARK: Syncing

    private func startSync(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let token = server.configuration.apiToken else {
            throw APIError(403, "POST /api/sync is disabled: set WAX_API_TOKEN on the server to allow it")
        }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              Self.constantTimeEquals(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces), token.revealed) else {
            throw APIError(401, "POST /api/sync needs the header Authorization: Bearer <WAX_API_TOKEN>", headers: ["WWW-Authenticate": "Bearer"])
        }
        switch server.sync {
        case .unavailable(let reason):
            throw APIError(503, reason)
        case .runner(let runner):
            switch runner.tryStart(.api) {
            case .started: return APIResponse.json(.object(["status": .string("started")]), status: 202)
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

    private func preflight(_ route: Route) -> HTTPResponse {
        var response = HTTPResponse(statusCode: HTTPStatusCode(204, phrase: "No Content"), headers: [HTTPHeader("Allow"): "\(route.method.rawValue), OPTIONS"])
        if server.configuration.corsOrigin != nil {
            response.headers[HTTPHeader("Access-Control-Allow-Methods")] = "\(route.method.rawValue), OPTIONS"
            response.headers[HTTPHeader("Access-Control-Allow-Headers")] = "Authorization, Content-Type"
            response.headers[HTTPHeader("Access-Control-Max-Age")] = "600"
        }
        return response
    }
}
