import FlyingFox
import Foundation
import WaxJSON

/// FlyingFox has a `JSONValue` too; ours writes what the old app wrote.
typealias JSONValue = WaxJSON.JSONValue

/// A request the API refuses or could not answer: a status and a one-line message, sent as
/// `{"error": "…"}` (the old app's shape).
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: Int
    public let message: String
    var headers: [String: String] = [:]

    init(_ status: Int, _ message: String, headers: [String: String] = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    static func badRequest(_ message: String) -> APIError { APIError(400, message) }
    static func notFound(_ message: String) -> APIError { APIError(404, message) }

    public var description: String { "\(status) \(message)" }

    var response: HTTPResponse {
        var response = APIResponse.json(.object(["error": .string(message)]), status: status)
        for (name, value) in headers { response.headers[HTTPHeader(name)] = value }
        return response
    }
}

enum APIResponse {
    static func json(_ value: JSONValue, status: Int = 200, headers: [String: String] = [:]) -> HTTPResponse {
        json(bytes: value.utf8, status: status, headers: headers)
    }

    static func json(bytes: [UInt8], status: Int = 200, headers: [String: String] = [:]) -> HTTPResponse {
        var body = Data(capacity: bytes.count + 1)
        body.append(contentsOf: bytes)
        body.append(UInt8(ascii: "\n"))
        var response = HTTPResponse(statusCode: HTTPStatusCode(status, phrase: phrase(status)),
                                    headers: [.contentType: "application/json; charset=utf-8"], body: body)
        for (name, value) in headers { response.headers[HTTPHeader(name)] = value }
        return response
    }

    static func phrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 202: "Accepted"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status \(status)"
        }
    }
}
