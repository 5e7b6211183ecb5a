import FakeDiscogs
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import WaxConfig
import WaxServer
import WaxStore
import WaxSync
import WaxTestSupport

/// A mirror of the fixture shop served by a real `APIServer` on 127.0.0.1 (port 0), and a
/// URLSession client for it.
final class APIHarness: Sendable {
    let dir: TemporaryDirectory
    let inventory: InventoryService
    let server: APIServer
    let url: URL
    let session: URLSession

    struct Reply {
        let status: Int
        let headers: [String: String]
        let body: Data
        var json: Any? { try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
        func header(_ name: String) -> String? { headers.first { $0.key.lowercased() == name.lowercased() }?.value }
    }

    private init(dir: TemporaryDirectory, inventory: InventoryService, server: APIServer, url: URL) {
        self.dir = dir
        self.inventory = inventory
        self.server = server
        self.url = url
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 30
        self.session = URLSession(configuration: configuration)
    }

    static func start(fixture: Bool = true, inventoryAt path: URL? = nil,
                      configure: (inout APIServer.Configuration) -> Void = { _ in },
                      sync: ((InventoryService) throws -> APIServer.SyncAccess)? = nil) async throws -> APIHarness {
        let dir = TemporaryDirectory()
        let inventory = try InventoryService.open(at: path ?? dir.file("wax.db"))
        if fixture {
            let shop = ShopFixture.listings()
            _ = try inventory.importer.importListings(shop.listings, releases: shop.releases)
        }
        var configuration = APIServer.Configuration()
        configuration.port = 0
        configure(&configuration)
        let access = try sync?(inventory) ?? .unavailable("syncing is not configured on this server: no token in tests")
        let server = APIServer(inventory: inventory, configuration: configuration, sync: access,
                               logger: Logger(label: "wax.serve.tests") { _ in SwiftLogNoOpLogHandler() })
        let url = try await server.start()
        return APIHarness(dir: dir, inventory: inventory, server: server, url: url)
    }

    func get(_ pathAndQuery: String, headers: [String: String] = [:]) async throws -> Reply {
        try await send("GET", pathAndQuery, headers: headers)
    }

    func send(_ method: String, _ pathAndQuery: String, headers: [String: String] = [:]) async throws -> Reply {
        // Built by hand: URL(string:) would re-encode a deliberately malformed query.
        var request = URLRequest(url: URL(string: url.absoluteString + pathAndQuery)!)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields { fields["\(key)"] = "\(value)" }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }

    func stop() async {
        await server.stop(timeout: 1)
    }
}
