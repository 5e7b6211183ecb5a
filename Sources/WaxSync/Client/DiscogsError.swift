import Foundation

/// What talking to Discogs can end in, each as one line naming the URL and what to do.
/// No case ever carries the token (it only travels in a request header).
public enum DiscogsError: Error, Sendable, Equatable, CustomStringConvertible {
    case tokenRejected
    case sellerNotFound(String)
    case notFound(url: String, message: String)
    case forbidden(url: String, message: String)
    case pageCap(page: Int)
    case invalidRequest(url: String, message: String)
    case rateLimited(url: String, attempts: Int)
    case server(url: String, status: Int, attempts: Int)
    case network(url: String, detail: String, attempts: Int)
    case badResponse(url: String, status: Int, detail: String)
    case insecureBaseURL(String)
    /// A URL other than the base (an export link) that breaks the https rule.
    case insecureURL(String)
    case refusedRedirect(url: String, location: String)
    /// No complete answer in time: `seconds` for the last attempt.
    case timedOut(url: String, seconds: Double, attempts: Int)
    /// An answer larger than any the API sends (cut off at `cap` bytes, never read whole).
    case answerTooLarge(url: String, cap: Int, attempts: Int)
    /// The work's own time bound (a sync's phase) passed.
    case outOfTime(url: String, bound: Double)
    case cancelled

    /// "HTTP 503", "no answer", "connection refused": Discogs is not answering (as opposed to
    /// refusing something), nil otherwise.
    public var unreachableReason: String? {
        switch self {
        case .server(_, let status, _): "HTTP \(status)"
        case .network(_, let detail, _): detail
        case .timedOut: "no answer in time"
        case .answerTooLarge(_, let cap, _): "answers over \(cap >> 20) MB"
        case .rateLimited: "rate limited (429)"
        case .badResponse(_, let status, _) where status >= 500: "HTTP \(status)"
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .tokenRejected:
            "Discogs rejected the token (401): check DISCOGS_TOKEN"
        case .sellerNotFound(let seller):
            "no Discogs seller named \"\(seller)\": check DISCOGS_SELLER_USERNAME"
        case .notFound(let url, let message):
            "\(url) answered 404: \(message)"
        case .forbidden(let url, let message):
            "\(url) answered 403: \(message)"
        case .pageCap(let page):
            "Discogs stops non-owners at page \(page - 1) of an inventory"
        case .invalidRequest(let url, let message):
            "\(url) answered 422: \(message)"
        case .rateLimited(let url, let attempts):
            "\(url) kept answering 429 (rate limited) after \(attempts) attempts: try again later"
        case .server(let url, let status, let attempts):
            "\(url) kept failing (HTTP \(status)) after \(attempts) attempts: Discogs may be down, try again later"
        case .network(let url, let detail, let attempts):
            "cannot reach \(url) after \(attempts) attempts: \(detail)"
        case .badResponse(let url, let status, let detail):
            "\(url) (HTTP \(status)) sent something that is not the expected JSON: \(detail)"
        case .insecureBaseURL(let url):
            "DISCOGS_API_URL \"\(url)\" must be https (plain http is allowed only to 127.0.0.1, ::1 or localhost)"
        case .insecureURL(let url):
            "refused to request \(url): wax sends the Discogs token only over https (plain http only to 127.0.0.1, ::1 or localhost)"
        case .refusedRedirect(let url, let location):
            "\(url) redirected to \(location), which wax does not follow: wax talks to DISCOGS_API_URL's own origin only (nothing of the shop goes elsewhere)"
        case .timedOut(let url, let seconds, let attempts):
            "\(url) sent no complete answer within \(Int(seconds.rounded())) s (\(attempts) attempt\(attempts == 1 ? "" : "s")): Discogs or the network is too slow, try again later"
        case .answerTooLarge(let url, let cap, let attempts):
            "\(url) sent an answer over \(cap >> 20) MB (\(attempts) attempt\(attempts == 1 ? "" : "s")): no Discogs answer is that large, something between wax and Discogs is wrong"
        case .outOfTime(let url, let bound):
            "gave up before \(url): the work took longer than its bound of \(WorkDeadline.describe(bound)) (Discogs or the network is too slow)"
        case .cancelled:
            "cancelled"
        }
    }
}
