import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import WaxStore

/// Discogs' bulk inventory jobs: one request changes any number of listings
/// (`POST /inventory/upload/change`, a CSV), and the job's status is read until it is done.
extension DiscogsClient {
    public struct UploadStatus: Sendable, Equatable {
        /// `pending`, `processing`, `success`, `failure`…, as Discogs says it.
        public var status: String
        /// Discogs' words on the rows (`CSV file contains 3 records.<p>Processed 3 records.`).
        public var results: String?

        public var finished: Bool { !["pending", "processing", "queued", "in progress", "started"].contains(status.lowercased()) }
        public var failed: Bool { ["failure", "failed", "error"].contains(status.lowercased()) }
    }

    /// Posts a change job (multipart field `upload`, a CSV with a lowercase header) and returns
    /// where its status is read. Sent once: the sender decides on a retry, after reading Discogs.
    public func uploadChanges(csv: String) async throws -> URL {
        let boundary = "wax-" + UUID().uuidString
        var request = self.request(url("/inventory/upload/change"))
        request.httpMethod = "POST"
        request.setValue("multipart/form-data; boundary=\(boundary)", forHTTPHeaderField: "Content-Type")
        var body = "--\(boundary)\r\n"
        body += "Content-Disposition: form-data; name=\"upload\"; filename=\"wax-reprice.csv\"\r\n"
        body += "Content-Type: text/csv\r\n\r\n"
        body += csv
        body += "\r\n--\(boundary)--\r\n"
        request.httpBody = Data(body.utf8)
        let (_, headers) = try await send(request, attempts: 1) { _ in () }
        guard let location = headers["location"], let url = URL(string: location, relativeTo: configuration.baseURL)?.absoluteURL,
              TokenSafety.sameOrigin(url, configuration.baseURL) else {
            throw DiscogsError.badResponse(url: "/inventory/upload/change", status: 200, detail: "no Location header naming the job")
        }
        return url
    }

    public func uploadStatus(_ url: URL) async throws -> UploadStatus {
        try await get(url) { data in
            let json = try JSONReader.parse(data)
            return UploadStatus(status: try json.string("status") ?? "pending", results: try json.string("results"))
        }
    }

    /// Every listing's price and status as Discogs holds them now, from an inventory export:
    /// a few requests whatever the shop's size (what a job is checked against, before and after).
    public func currentPrices(timeout: TimeInterval = 600, pollInterval: TimeInterval = 5) async throws -> [Int64: RepriceStore.DiscogsPrice] {
        let statusURL = try await startExport()
        let deadline = Date().addingTimeInterval(timeout)
        var status = try await exportStatus(statusURL)
        while !status.finished {
            guard Date() < deadline else { throw DiscogsError.badResponse(url: "/inventory/export", status: 200, detail: "the export did not finish within \(Int(timeout)) s") }
            try await Task.sleep(for: .seconds(pollInterval))
            status = try await exportStatus(statusURL)
        }
        guard let link = status.downloadURL else { throw DiscogsError.badResponse(url: "/inventory/export", status: 200, detail: "an export without a download link") }
        let parsed = try CSVImport.parse(try await download(link))
        var prices: [Int64: RepriceStore.DiscogsPrice] = [:]
        prices.reserveCapacity(parsed.records.count)
        for record in parsed.records { prices[record.listingID] = RepriceStore.DiscogsPrice(price: record.priceValue, status: record.status) }
        return prices
    }

    /// The change job's CSV: `listing_id,release_id,price` (which column Discogs matches on is
    /// not documented: both are sent).
    public static func changeCSV(_ items: [RepriceItem]) -> String {
        var lines = ["listing_id,release_id,price"]
        lines.reserveCapacity(items.count + 1)
        for item in items {
            lines.append("\(item.listingID),\(item.releaseID.map(String.init) ?? ""),\(String(format: "%.2f", item.newPrice))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
