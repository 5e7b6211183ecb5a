import FlyingFox
import Foundation
import WaxJSON

/// The fake's request handling: faults, the User-Agent and auth checks, the rate window, then
/// the Discogs routes (and `/_fake/...` control routes for tests and the demo).
struct FakeRoutes: HTTPHandler {
    let server: FakeDiscogsServer

    var configuration: FakeConfiguration { server.configuration }

    enum Caller { case owner, visitor(String), anonymous }

    /// Each answer is made on the fake's own executor: FlyingFox runs its connections in a
    /// task of its own making, which does not keep the preference the fake started it with.
    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await withTaskExecutorPreference(server.executor) { try await answer(request) }
    }

    private func answer(_ request: HTTPRequest) async throws -> HTTPResponse {
        if configuration.latency > 0 { try? await Task.sleep(for: .seconds(configuration.latency)) }
        let path = request.path
        if path.hasPrefix("/_fake/") { return control(request) }
        if request.headers[.authorization] != nil {
            server.state.withLock { $0.stats.authorizedPaths.append(path) }
        }
        guard let agent = request.headers[HTTPHeader("User-Agent")], !agent.isEmpty else {
            // What Discogs (Cloudflare) answers when the User-Agent is missing.
            return HTTPResponse(statusCode: .forbidden, headers: [.contentType: "text/html; charset=UTF-8"], body: Render.cloudflarePage)
        }
        if let redirect = redirect(request) { return redirect }
        if server.faults.hang {
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(1)) }
            throw CancellationError()
        }
        let body = request.method == .POST ? try await request.bodyData : Data()
        let caller: Caller
        switch authenticate(request) {
        case .success(let who): caller = who
        case .failure(let error): return error.response
        }
        let isWrite = Self.isWrite(request)
        var afterWrite: WriteAftermath = .answer
        var response = server.state.withLock { state -> HTTPResponse in
            if let faulted = injectedFault(&state) { return faulted }
            if isWrite, let faulted = injectedWriteFault(&state) { return faulted }
            let (accepted, used) = state.window.admit(at: configuration.clock())
            guard accepted else {
                state.stats.rateLimited += 1
                var headers = rateHeaders(used: used)
                if let seconds = state.faults.retryAfterSeconds { headers[HTTPHeader("Retry-After")] = String(seconds) }
                headers[.contentType] = "application/json"
                return HTTPResponse(statusCode: HTTPStatusCode(429, phrase: "Too Many Requests"), headers: headers,
                                    body: Render.message("You are making requests too quickly."))
            }
            state.stats.admitted += 1
            state.stats.peakInWindow = max(state.stats.peakInWindow, used)
            var reply = route(request, body: body, caller: caller, state: &state)
            for (header, value) in rateHeaders(used: used) { reply.headers[header] = value }
            mangle(&reply, &state)
            if isWrite, reply.status == .noContent || reply.status == .created {
                if state.faults.lostWriteResponses > 0 {
                    state.faults.lostWriteResponses -= 1
                    afterWrite = .lose
                } else if state.faults.hangAfterWrites > 0 {
                    state.faults.hangAfterWrites -= 1
                    afterWrite = .hang
                }
            }
            return reply.response
        }
        switch afterWrite {
        case .answer: break
        case .lose: return HTTPResponse(statusCode: .badGateway, headers: [.contentType: "text/html"], body: Render.maintenancePage)
        case .hang:
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(1)) }
            throw CancellationError()
        }
        if response.headers[.contentType] == nil { response.headers[.contentType] = "application/json" }
        if let interval = server.faults.dripInterval {
            let data = try await response.bodyData
            response = HTTPResponse(statusCode: response.statusCode, headers: response.headers,
                                    body: HTTPBodySequence(from: DripSequence(bytes: Array(data), interval: interval), count: data.count))
        }
        return response
    }

    /// `302 Found` to another origin, while the fault lasts.
    private func redirect(_ request: HTTPRequest) -> HTTPResponse? {
        let target: String? = server.state.withLock { state in
            guard state.faults.redirects > 0, let origin = state.faults.redirectOrigin else { return nil }
            state.faults.redirects -= 1
            state.stats.redirected += 1
            return origin + request.target.rawValue
        }
        guard let target else { return nil }
        return HTTPResponse(statusCode: .found, headers: [.location: target, .contentType: "text/html"], body: Data("<a>moved</a>".utf8))
    }

    private func rateHeaders(used: Int) -> HTTPHeaders {
        [HTTPHeader("x-discogs-ratelimit"): String(configuration.rateLimit),
         HTTPHeader("x-discogs-ratelimit-used"): String(used),
         HTTPHeader("x-discogs-ratelimit-remaining"): String(max(0, configuration.rateLimit - used))]
    }

    private func authenticate(_ request: HTTPRequest) -> Result<Caller, HTTPResponseError> {
        guard let header = request.headers[.authorization] else { return .success(.anonymous) }
        let prefix = "Discogs token="
        let rejected = HTTPResponseError(HTTPResponse(statusCode: .unauthorized, headers: [.contentType: "application/json"],
                                                      body: Render.message("You must authenticate to access this resource.")))
        guard header.hasPrefix(prefix), !server.faults.rejectTokens else { return .failure(rejected) }
        let token = String(header.dropFirst(prefix.count))
        if token == configuration.ownerToken { return .success(.owner) }
        if let user = configuration.otherTokens[token] { return .success(.visitor(user)) }
        return .failure(rejected)
    }

    /// Faults that answer instead of the API.
    private func injectedFault(_ state: inout FakeState) -> HTTPResponse? {
        if state.faults.alwaysFail {
            return HTTPResponse(statusCode: .serviceUnavailable, headers: [.contentType: "text/html"], body: Render.maintenancePage)
        }
        if state.faults.rateLimitStorm > 0 {
            state.faults.rateLimitStorm -= 1
            var headers: HTTPHeaders = [:]
            if let seconds = state.faults.retryAfterSeconds { headers[HTTPHeader("Retry-After")] = String(seconds) }
            return HTTPResponse(statusCode: HTTPStatusCode(429, phrase: "Too Many Requests"), headers: headers, body: Data())
        }
        if state.faults.serverErrors > 0 {
            state.faults.serverErrors -= 1
            state.serverErrorTurn += 1
            switch state.serverErrorTurn % 3 {
            case 0: return HTTPResponse(statusCode: .internalServerError, headers: [.contentType: "application/json"], body: Render.message("Internal Server Error"))
            case 1: return HTTPResponse(statusCode: .badGateway, headers: [.contentType: "text/html"], body: Render.maintenancePage)
            default: return HTTPResponse(statusCode: .serviceUnavailable, body: Data())
            }
        }
        return nil
    }

    /// Faults that spoil a successful answer.
    private func mangle(_ reply: inout Reply, _ state: inout FakeState) {
        guard reply.status == .ok, reply.headers[.contentType] == "application/json" else { return }
        if state.faults.htmlBodies > 0 {
            state.faults.htmlBodies -= 1
            reply.headers[.contentType] = "text/html; charset=UTF-8"
            reply.body = Render.cloudflarePage
        } else if state.faults.truncatedBodies > 0 {
            state.faults.truncatedBodies -= 1
            reply.body = reply.body.prefix(reply.body.count / 2)
        } else if state.faults.oversizedBodies > 0 {
            state.faults.oversizedBodies -= 1
            reply.body += Data(repeating: 0x20, count: FakeFaults.oversizedBodyPadding)
        }
    }

    // MARK: Discogs routes

    private func route(_ request: HTTPRequest, body: Data, caller: Caller, state: inout FakeState) -> Reply {
        let parts = request.path.split(separator: "/").map(String.init)
        if let reply = orderRoute(request, parts: parts, body: body, caller: caller, state: &state) { return reply }
        switch (request.method, parts.count) {
        case (.GET, 2) where parts == ["oauth", "identity"]:
            return identity(caller)
        case (.GET, 3) where parts[0] == "users" && parts[2] == "inventory":
            return inventory(user: parts[1], request: request, caller: caller, state: &state)
        case (.GET, 3) where parts[0] == "marketplace" && parts[1] == "listings":
            return listing(Int64(parts[2]), caller: caller, state: state)
        case (.GET, 2) where parts[0] == "releases":
            guard let id = Int64(parts[1]), let release = state.inventory.release(id: id) else {
                return notFound("Release not found.")
            }
            return ok(Render.json(Render.release(release)))
        case (.POST, 3) where parts[0] == "marketplace" && parts[1] == "listings":
            return editListing(Int64(parts[2]), body: body, caller: caller, state: &state)
        case (.POST, 2) where parts == ["marketplace", "listings"]:
            return createListing(body: body, caller: caller, state: &state)
        case (.GET, 2) where parts == ["database", "search"]:
            return search(request, caller: caller, state: &state)
        case (.GET, 3) where parts[0] == "marketplace" && parts[1] == "price_suggestions":
            return priceSuggestions(Int64(parts[2]), caller: caller, state: state)
        case (.GET, 3) where parts[0] == "marketplace" && parts[1] == "stats":
            return marketStats(Int64(parts[2]), state: state)
        case (.DELETE, 3) where parts[0] == "marketplace" && parts[1] == "listings":
            return deleteListing(Int64(parts[2]), caller: caller, state: &state)
        case (.POST, 3) where parts[0] == "inventory" && parts[1] == "upload":
            return upload(parts[2], request: request, body: body, caller: caller, state: &state)
        case (.GET, 2) where parts == ["inventory", "upload"]:
            return uploads(caller: caller, state: state)
        case (.GET, 3) where parts[0] == "inventory" && parts[1] == "upload":
            return uploadStatus(Int(parts[2]), caller: caller, state: &state)
        case (.POST, 2) where parts == ["inventory", "export"]:
            return startExport(caller: caller, state: &state)
        case (.GET, 3) where parts[0] == "inventory" && parts[1] == "export":
            return exportStatus(Int(parts[2]), caller: caller, state: &state)
        case (.GET, 4) where parts[0] == "inventory" && parts[1] == "export" && parts[3] == "download":
            return exportDownload(Int(parts[2]), caller: caller, state: state)
        default:
            return notFound("The requested resource was not found.")
        }
    }

    func ok(_ body: Data, headers: HTTPHeaders = [:]) -> Reply {
        var headers = headers
        headers[.contentType] = headers[.contentType] ?? "application/json"
        return Reply(status: .ok, headers: headers, body: body)
    }

    func notFound(_ message: String) -> Reply {
        Reply(status: .notFound, headers: [.contentType: "application/json"], body: Render.message(message))
    }

    private func identity(_ caller: Caller) -> Reply {
        let username: String
        switch caller {
        case .owner: username = configuration.seller
        case .visitor(let user): username = user
        case .anonymous:
            return Reply(status: .unauthorized, headers: [.contentType: "application/json"],
                                body: Render.message("You must authenticate to access this resource."))
        }
        return ok(Render.json(.object(["id": .int(Int64(77_000 + username.count)), "username": .string(username),
                                       "resource_url": .string("https://api.discogs.com/users/\(username)"), "consumer_name": .string("wax")])))
    }

    static let statuses = ["All", "Deleted", "Draft", "Expired", "For Sale", "Sold", "Suspended", "Violation"]
    static let sorts = ["listed", "price", "item", "artist", "label", "catno", "audio", "status", "location"]

    private func inventory(user: String, request: HTTPRequest, caller: Caller, state: inout FakeState) -> Reply {
        guard user.lowercased() == configuration.seller.lowercased() else {
            return notFound("User does not exist or may have been deleted.")
        }
        let query = Dictionary(request.query.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        let isOwner: Bool
        if case .owner = caller { isOwner = true } else { isOwner = false }
        let status = query["status"] ?? (isOwner ? "All" : "For Sale")
        guard Self.statuses.contains(status) else {
            return Reply(status: HTTPStatusCode(422, phrase: "Unprocessable Entity"), headers: [.contentType: "application/json"],
                                body: Render.message("Invalid status: expected one of \(Self.statuses.joined(separator: ", "))."))
        }
        if let sort = query["sort"], !Self.sorts.contains(sort) || (!isOwner && (sort == "status" || sort == "location")) {
            return Reply(status: HTTPStatusCode(422, phrase: "Unprocessable Entity"), headers: [.contentType: "application/json"],
                                body: Render.message("Invalid sort: expected one of \(Self.sorts.joined(separator: ", "))."))
        }
        let perPage = min(100, max(1, Int(query["per_page"] ?? "") ?? 50))
        let page = max(1, Int(query["page"] ?? "") ?? 1)
        if (!isOwner || configuration.ownerIsCapped) && page > configuration.pageCap {
            return Reply(status: .forbidden, headers: [.contentType: "application/json"],
                                body: Render.message("Pagination above \(configuration.pageCap) disabled for inventories besides your own"))
        }
        if state.faults.sellWhenServingPage == page {
            state.faults.sellWhenServingPage = nil
            if case .listing(let first)? = state.inventory.live(at: 0) { _ = state.inventory.remove(first.id, as: .sold) }
        }
        if state.faults.addWhenServingPage == page {
            state.faults.addWhenServingPage = nil
            _ = state.inventory.add(posted: FakeState.nowPosted())
        }
        // Non-owners (and an owner asking for For Sale) see what is for sale; the fake keeps no
        // drafts, so other statuses are empty.
        // The owner's "All" also shows the drafts, after (newer than) the listings for sale.
        let drafts = isOwner && status == "All" ? state.inventory.drafts : []
        let live = status == "For Sale" || status == "All" ? state.inventory.liveCount : 0
        let items = live + drafts.count
        let pages = max(1, (items + perPage - 1) / perPage)
        let descending = query["sort_order"] == "desc"
        let seller = Render.seller(configuration, base: server.baseString)
        var listings: [JSONValue] = []
        let start = (page - 1) * perPage
        for offset in 0..<perPage where start + offset < items {
            let position = descending ? items - 1 - (start + offset) : start + offset
            let item = position < live ? state.inventory.live(at: position) : .listing(drafts[position - live])
            if let object = render(item, owner: isOwner, seller: seller, state: state, status: position < live ? nil : "Draft") {
                listings.append(object)
            }
        }
        var urls: [String: String] = [:]
        func link(_ page: Int) -> String {
            var parameters = request.query.filter { $0.name != "page" }.map { "\($0.name)=\($0.value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? $0.value)" }
            parameters.append("page=\(page)")
            return "\(server.baseString)/users/\(configuration.seller)/inventory?" + parameters.joined(separator: "&")
        }
        if pages > 1 {
            if page > 1 {
                urls["first"] = link(1)
                urls["prev"] = link(page - 1)
            }
            if page < pages {
                urls["next"] = link(page + 1)
                urls["last"] = link(pages)
            }
        }
        var headers: HTTPHeaders = [:]
        let links = [("next", urls["next"]), ("last", urls["last"]), ("first", urls["first"]), ("prev", urls["prev"])]
            .compactMap { name, url in url.map { "<\($0)>; rel=\"\(name)\"" } }
        if !links.isEmpty { headers[HTTPHeader("Link")] = links.joined(separator: ", ") }
        let body = JSONValue.object([
            "pagination": .object(["page": .int(Int64(page)), "pages": .int(Int64(pages)), "per_page": .int(Int64(perPage)),
                                   "items": .int(Int64(items)), "urls": .object(urls.mapValues(JSONValue.string))]),
            "listings": .array(listings),
        ])
        return ok(Render.json(body), headers: headers)
    }

    private func render(_ item: FakeInventory.Item?, owner: Bool, seller: JSONValue, state: FakeState, status: String? = nil) -> JSONValue? {
        switch item {
        case .listing(var listing)?:
            if let status { listing.status = status }
            guard let release = state.inventory.release(id: listing.releaseID) else { return nil }
            return Render.listing(listing, release: release, owner: owner, seller: seller)
        case .sample(let data)?:
            guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
            if let status { object["status"] = status }
            return JSONValue(any: object)
        case nil:
            return nil
        }
    }

    private func listing(_ id: Int64?, caller: Caller, state: FakeState) -> Reply {
        let gone = notFound("Item not found. It may have been deleted.")
        guard let id, let found = state.inventory.listing(id: id) else { return gone }
        let isOwner: Bool
        if case .owner = caller { isOwner = true } else { isOwner = false }
        switch found.removal {
        case .deleted?: return gone
        case .sold? where !isOwner, .draft? where !isOwner: return gone
        default: break
        }
        let seller = Render.seller(configuration, base: server.baseString)
        let status: String? = switch found.removal {
        case .sold?: "Sold"
        case .draft?: "Draft"
        default: nil
        }
        guard let object = render(found.item, owner: isOwner, seller: seller, state: state, status: status) else { return gone }
        return ok(Render.json(object))
    }

    // MARK: Export

    private func startExport(caller: Caller, state: inout FakeState) -> Reply {
        guard case .owner = caller else {
            return Reply(status: .forbidden, headers: [.contentType: "application/json"],
                                body: Render.message("You are not allowed to view this resource. Please authenticate as the owner to view this content."))
        }
        if state.exports.values.contains(where: { $0 > 0 }) {
            return Reply(status: .conflict, headers: [.contentType: "application/json"], body: Render.message("An export is already in progress."))
        }
        let id = state.nextExportID
        state.nextExportID += 1
        state.exports[id] = configuration.exportPolls
        return ok(Data("{}".utf8), headers: [.location: "\(server.baseString)/inventory/export/\(id)",
                                             HTTPHeader("Access-Control-Expose-Headers"): "Location"])
    }

    private func exportStatus(_ id: Int?, caller: Caller, state: inout FakeState) -> Reply {
        guard case .owner = caller else { return Reply(status: .unauthorized, headers: [.contentType: "application/json"], body: Render.message("You must authenticate to access this resource.")) }
        guard let id, let left = state.exports[id] else { return notFound("The requested resource was not found.") }
        state.exports[id] = max(0, left - 1)
        var object: [String: JSONValue] = ["id": .int(Int64(id)), "status": .string(left > 0 ? "pending" : "success"),
                                           "created_ts": .string("2026-08-25T07:04:23"), "url": .string("\(server.baseString)/inventory/export/\(id)")]
        if left == 0 {
            object["finished_ts"] = .string("2026-08-25T07:04:23")
            object["download_url"] = .string("\(server.baseString)/inventory/export/\(id)/download")
            object["filename"] = .string("\(configuration.seller)-inventory-20260825-0704.csv")
        }
        return ok(Render.json(.object(object)))
    }

    private func exportDownload(_ id: Int?, caller: Caller, state: FakeState) -> Reply {
        guard case .owner = caller else { return Reply(status: .unauthorized, headers: [.contentType: "application/json"], body: Render.message("You must authenticate to access this resource.")) }
        guard let id, state.exports[id] == 0 else { return notFound("The requested resource was not found.") }
        let csv = state.inventory.exportCSV()
        return ok(Data(csv.utf8), headers: [.contentType: "text/csv"])
    }

    // MARK: Control (tests, demo)

    private func control(_ request: HTTPRequest) -> HTTPResponse {
        let parts = Array(request.path.split(separator: "/").map(String.init).dropFirst())
        let query = Dictionary(request.query.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        let id = parts.count == 2 ? Int64(parts[1]) ?? 0 : 0
        let object: [String: JSONValue]
        switch parts.first {
        case "sell" where parts.count == 2: object = ["done": .bool(server.sell(id))]
        case "delete" where parts.count == 2: object = ["done": .bool(server.delete(id))]
        case "reprice" where parts.count == 2: object = ["done": .bool(server.reprice(id, to: Double(query["price"] ?? "") ?? 1))]
        case "add": object = ["id": .int(server.add())]
        case "buy" where parts.count == 2:
            object = ["order_id": JSONValue(server.buy([id], buyer: query["buyer"] ?? "a_buyer", paid: query["paid"] != "0"))]
        case "pay" where parts.count == 2: object = ["done": .bool(server.setOrderStatus(parts[1], "Payment Received"))]
        case "cancel" where parts.count == 2: object = ["done": .bool(server.setOrderStatus(parts[1], "Cancelled (Per Buyer's Request)"))]
        case "faults":
            server.setFaults { faults in
                if let n = query["serverErrors"].flatMap(Int.init) { faults.serverErrors = n }
                if let n = query["rateLimitStorm"].flatMap(Int.init) { faults.rateLimitStorm = n }
                if let n = query["htmlBodies"].flatMap(Int.init) { faults.htmlBodies = n }
                if let n = query["oversizedBodies"].flatMap(Int.init) { faults.oversizedBodies = n }
                if let n = query["truncatedBodies"].flatMap(Int.init) { faults.truncatedBodies = n }
                if let flag = query["alwaysFail"] { faults.alwaysFail = flag == "1" || flag == "true" }
                if let flag = query["rejectTokens"] { faults.rejectTokens = flag == "1" || flag == "true" }
                if let flag = query["hang"] { faults.hang = flag == "1" || flag == "true" }
                if let seconds = query["dripInterval"].flatMap(Double.init) { faults.dripInterval = seconds > 0 ? seconds : nil }
                if let n = query["redirects"].flatMap(Int.init) { faults.redirects = n }
                if let origin = query["redirectOrigin"] { faults.redirectOrigin = origin }
                if let n = query["writeFailures"].flatMap(Int.init) { faults.writeFailures = n }
                if let n = query["rateLimitedWrites"].flatMap(Int.init) { faults.rateLimitedWrites = n }
                if let n = query["lostWriteResponses"].flatMap(Int.init) { faults.lostWriteResponses = n }
                if let n = query["hangAfterWrites"].flatMap(Int.init) { faults.hangAfterWrites = n }
                if let id = query["sellBeforeWrite"].flatMap(Int64.init) { faults.sellBeforeWrite = id }
                if let flag = query["priceSuggestionsForbidden"] { faults.priceSuggestionsForbidden = flag == "1" || flag == "true" }
            }
            object = ["done": .bool(true)]
        case "stats":
            let stats = server.stats
            object = ["admitted": .int(Int64(stats.admitted)), "rate_limited": .int(Int64(stats.rateLimited)),
                      "peak_in_window": .int(Int64(stats.peakInWindow)), "live": .int(Int64(server.liveCount)),
                      "writes": .array(stats.writes.map { write in
                          .object(["method": .string(write.method), "listing_id": .int(write.listingID), "status": .string(write.status),
                                   "price": write.after.map { .double($0.price) } ?? .null,
                                   "location": write.after.map { .string($0.location) } ?? .null])
                      })]
        default:
            return Reply(status: .notFound, headers: [:], body: Render.message("no such control route")).response
        }
        return Reply(status: .ok, headers: [:], body: Render.json(.object(object))).response
    }
}

/// What happens to a write's answer once the write is applied (faults).
enum WriteAftermath { case answer, lose, hang }

/// An answer under construction (FlyingFox's response body can only be read asynchronously,
/// and faults need to spoil bodies).
struct Reply {
    var status: HTTPStatusCode
    var headers: HTTPHeaders
    var body: Data

    var response: HTTPResponse {
        var headers = headers
        if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return HTTPResponse(statusCode: status, headers: headers, body: body)
    }
}

/// A response to return early from a check.
struct HTTPResponseError: Error {
    let response: HTTPResponse
    init(_ response: HTTPResponse) { self.response = response }
}
