import FakeDiscogs
import Foundation
import WaxTestSupport

/// The fake Discogs the CLI tests run `wax` against: started, with a limit no test meets
/// unless it sets its own.
func startedFake(_ configure: (inout FakeConfiguration) -> Void = { _ in }) async throws -> FakeDiscogsServer {
    var configuration = FakeConfiguration()
    configuration.rateLimit = 10_000
    configure(&configuration)
    let server = FakeDiscogsServer(configuration: configuration)
    try await server.start()
    return server
}

/// The environment of a `wax` child talking to `server` as its seller, from `home` (no token:
/// staff who do not hold it).
func fakeEnvironment(_ server: FakeDiscogsServer, home: URL, token: String? = "fake-owner-token",
                     extra: [String: String] = [:]) -> [String: String] {
    var settings = ["DISCOGS_API_URL": server.baseURL.absoluteString, "DISCOGS_SELLER_USERNAME": server.configuration.seller]
    if let token { settings["DISCOGS_TOKEN"] = token }
    return Subprocess.isolatedEnvironment(home: home, extra: settings.merging(extra) { _, new in new })
}
