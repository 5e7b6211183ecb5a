import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where a request carrying the Discogs token may go: https, or plain http to this machine only
/// (the fake Discogs). The rule covers every URL wax requests (the API's own base, an export's
/// status and download links) and every redirect.
public enum TokenSafety {
    private static let loopback: Set<String> = ["127.0.0.1", "localhost", "::1", "[::1]"]

    public static func isAllowed(_ url: URL) -> Bool {
        let scheme = url.scheme?.lowercased()
        let host = url.host?.lowercased() ?? ""
        if scheme == "https", !host.isEmpty { return true }
        return scheme == "http" && loopback.contains(host)
    }

    /// Same scheme, host and port: the token may follow a redirect only there.
    public static func sameOrigin(_ a: URL, _ b: URL) -> Bool {
        a.scheme?.lowercased() == b.scheme?.lowercased() && a.host?.lowercased() == b.host?.lowercased() && effectivePort(a) == effectivePort(b)
    }

    private static func effectivePort(_ url: URL) -> Int? {
        url.port ?? (url.scheme?.lowercased() == "https" ? 443 : url.scheme?.lowercased() == "http" ? 80 : nil)
    }
}
