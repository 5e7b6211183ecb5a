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

/// Decides every redirect before URLSession follows it. Left to itself, FoundationNetworking
/// follows a redirect to any host with the request's headers, the token included (seen: a
/// `302 Location: http://elsewhere/` made wax send it there in plain text, once per retry).
///
/// Same origin: followed as is. Another origin that passes `TokenSafety`: followed without the
/// `Authorization` header (an export's file may live on a storage host). Anything else: not
/// followed; the 3xx comes back to the client, which reports it.
final class RedirectGuard: NSObject, URLSessionTaskDelegate, Sendable {
    let origin: URL

    init(origin: URL) {
        self.origin = origin
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        guard let target = request.url, TokenSafety.isAllowed(target) else {
            completionHandler(nil)
            return
        }
        if TokenSafety.sameOrigin(target, origin) {
            completionHandler(request)
            return
        }
        var stripped = request
        stripped.setValue(nil, forHTTPHeaderField: "Authorization")
        completionHandler(stripped)
    }
}
