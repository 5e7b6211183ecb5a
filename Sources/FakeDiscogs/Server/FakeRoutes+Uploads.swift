import FlyingFox
import Foundation
import WaxJSON

/// A bulk inventory job as the fake keeps it: what it was asked, how many status reads are
/// left before it is done, and Discogs' words on the rows.
struct FakeUpload {
    var id: Int
    var type: String
    var rows: [[String: String]]
    var pollsLeft: Int
    var status = "pending"
    var results: String?
    var created = FakeState.nowPosted()
    var finished: String?
}

/// Discogs' bulk inventory jobs: `POST /inventory/upload/add|change|delete` (multipart field
/// `upload`, a CSV with a lowercase header row), answered 200 with the job in `Location`;
/// `GET /inventory/upload` and `/inventory/upload/{id}`. A job takes `uploadPolls` status
/// reads to finish, and is applied when it does: rows that can't be applied are failed and
/// named in its results, the others are.
extension FakeRoutes {
    func upload(_ type: String, request: HTTPRequest, body: Data, caller: Caller, state: inout FakeState) -> Reply {
        switch caller {
        case .owner: break
        case .visitor: return forbidden()
        case .anonymous:
            return Reply(status: .unauthorized, headers: [.contentType: "application/json"], body: Render.message("You must authenticate to access this resource."))
        }
        guard ["add", "change", "delete"].contains(type) else { return notFound("The requested resource was not found.") }
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("multipart/form-data"), let boundary = Self.boundary(contentType) else {
            return Reply(status: HTTPStatusCode(415, phrase: "Unsupported Media Type"), headers: [.contentType: "application/json"],
                         body: Render.message("Upload must be multipart/form-data with an 'upload' file."))
        }
        if state.uploads.values.contains(where: { $0.pollsLeft > 0 }) {
            return Reply(status: .conflict, headers: [.contentType: "application/json"], body: Render.message("An upload is already in progress."))
        }
        if state.faults.rejectUploads {
            return unprocessable("The uploaded file could not be processed.")
        }
        guard let csv = Self.part(named: "upload", in: body, boundary: boundary) else { return unprocessable("No file was uploaded ('upload').") }
        let table = Self.csvRows(csv)
        guard let header = table.first, !header.isEmpty else { return unprocessable("The CSV file is empty.") }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces) }
        guard names.allSatisfy({ $0 == $0.lowercased() }) else { return unprocessable("The CSV header must be lowercase.") }
        let required: [String] = switch type {
        case "add": ["release_id", "price", "media_condition"]
        case "delete": ["listing_id"]
        default: ["release_id"]
        }
        for column in required where !names.contains(column) { return unprocessable("The CSV is missing the required column '\(column)'.") }
        if type == "change", names.filter({ !["listing_id", "release_id"].contains($0) }).isEmpty {
            return unprocessable("A change needs at least one field to change.")
        }
        let rows = table.dropFirst().filter { !$0.allSatisfy(\.isEmpty) }.map { values in
            Dictionary(zip(names, values).map { ($0, $1) }, uniquingKeysWith: { first, _ in first })
        }
        let id = state.nextUploadID
        state.nextUploadID += 1
        state.uploads[id] = FakeUpload(id: id, type: type, rows: rows, pollsLeft: max(1, configuration.uploadPolls))
        return ok(Data("{}".utf8), headers: [.location: "\(server.baseString)/inventory/upload/\(id)",
                                             HTTPHeader("Access-Control-Expose-Headers"): "Location"])
    }

    func uploadStatus(_ id: Int?, caller: Caller, state: inout FakeState) -> Reply {
        guard case .owner = caller else { return Reply(status: .unauthorized, headers: [.contentType: "application/json"], body: Render.message("You must authenticate to access this resource.")) }
        guard let id, var job = state.uploads[id] else { return notFound("The requested resource was not found.") }
        if job.pollsLeft > 0 {
            job.pollsLeft -= 1
            job.status = job.pollsLeft > 0 ? "processing" : "success"
            if job.pollsLeft == 0 { apply(&job, &state) }
            state.uploads[id] = job
        }
        return ok(Render.json(Self.render(job, server.baseString)))
    }

    func uploads(caller: Caller, state: FakeState) -> Reply {
        guard case .owner = caller else { return Reply(status: .unauthorized, headers: [.contentType: "application/json"], body: Render.message("You must authenticate to access this resource.")) }
        let jobs = state.uploads.values.sorted { $0.id > $1.id }.map { Self.render($0, server.baseString) }
        return ok(Render.json(.object(["pagination": .object(["page": .int(1), "pages": .int(1), "per_page": .int(50), "items": .int(Int64(jobs.count)), "urls": .object([:])]),
                                      "items": .array(jobs)])))
    }

    private static func render(_ job: FakeUpload, _ base: String) -> JSONValue {
        var object: [String: JSONValue] = ["id": .int(Int64(job.id)), "status": .string(job.status), "type": .string(job.type),
                                           "created_ts": .string(job.created), "url": .string("\(base)/inventory/upload/\(job.id)"),
                                           "filename": .string("upload-\(job.id).csv")]
        object["results"] = job.results.map(JSONValue.string) ?? .null
        object["finished_ts"] = job.finished.map(JSONValue.string) ?? .null
        return .object(object)
    }

    /// The job is done: each row applied, or failed and named.
    private func apply(_ job: inout FakeUpload, _ state: inout FakeState) {
        var failures: [String] = []
        var processed = 0
        for (index, row) in job.rows.enumerated() {
            let line = index + 2
            let listingID = row["listing_id"].flatMap { Int64($0) }
            if let listingID, state.faults.uploadFailingListings.contains(listingID) {
                failures.append("Row \(line): listing \(listingID) could not be updated.")
                continue
            }
            switch job.type {
            case "delete":
                guard let listingID, state.inventory.remove(listingID, as: .deleted) else {
                    failures.append("Row \(line): listing not found.")
                    continue
                }
            case "add":
                guard let release = row["release_id"].flatMap({ Int64($0) }), state.inventory.release(id: release) != nil,
                      let price = row["price"].flatMap(Double.init), price > 0, let condition = row["media_condition"], Self.grades.contains(condition) else {
                    failures.append("Row \(line): invalid release_id, price or media_condition.")
                    continue
                }
                let listing = FakeListing(id: 0, releaseID: release, status: "For Sale", condition: condition, sleeveCondition: row["sleeve_condition"] ?? "",
                                          posted: FakeState.nowPosted(), price: price, currency: configuration.currency, shippingPrice: nil,
                                          comments: row["comments"] ?? "", location: row["location"] ?? "", externalID: row["external_id"] ?? "",
                                          weight: 0, formatQuantity: 1, allowOffers: row["accept_offer"]?.uppercased() == "Y", quantity: 1, shipsFrom: "United States")
                _ = state.inventory.create(listing, draft: false)
            default:
                guard let listingID, let found = state.inventory.listing(id: listingID), found.removal == nil || found.removal == .draft,
                      case .listing(let before) = found.item else {
                    failures.append("Row \(line): listing \(listingID.map(String.init) ?? "?") not found or not editable.")
                    continue
                }
                if let release = row["release_id"].flatMap({ Int64($0) }), release != before.releaseID {
                    failures.append("Row \(line): release_id does not match listing \(listingID).")
                    continue
                }
                var after = before
                if let text = row["price"] {
                    guard let price = Double(text), price > 0 else {
                        failures.append("Row \(line): invalid price.")
                        continue
                    }
                    after.price = (price * 100).rounded() / 100
                }
                if let comments = row["comments"] { after.comments = comments }
                if let location = row["location"] { after.location = location }
                _ = state.inventory.update(listingID) { $0 = after }
                state.stats.writes.append(FakeWrite(method: "UPLOAD", listingID: listingID, body: row.mapValues(JSONValue.string), before: before, after: after,
                                                    status: found.removal == .draft ? "Draft" : "For Sale"))
            }
            processed += 1
        }
        job.results = (["CSV file contains \(job.rows.count) records.", "Processed \(processed) records."] + failures).joined(separator: "<p>")
        job.finished = FakeState.nowPosted()
        if processed == 0 && !job.rows.isEmpty { job.status = "failure" }
    }

    static func boundary(_ contentType: String) -> String? {
        for part in contentType.split(separator: ";") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.lowercased().hasPrefix("boundary=") { return String(trimmed.dropFirst(9)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }

    /// The content of the form field `name` in a multipart body.
    static func part(named name: String, in body: Data, boundary: String) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        for section in text.components(separatedBy: "--\(boundary)") {
            guard let split = section.range(of: "\r\n\r\n") else { continue }
            let head = section[..<split.lowerBound]
            guard head.contains("name=\"\(name)\"") else { continue }
            var content = String(section[split.upperBound...])
            if content.hasSuffix("\r\n") { content.removeLast(2) }
            return content
        }
        return nil
    }

    /// CSV rows: quoted fields with doubled quotes, LF or CRLF.
    static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var characters = Array(text).makeIterator()
        var pending: Character?
        while let c = pending ?? characters.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let next = characters.next(), next == "\"" { field.append("\"") } else { quoted = false; pending = nil; continue }
                } else { field.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\n" || c == "\r\n" {
                row.append(field); field = ""
                rows.append(row); row = []
            } else if c != "\r" {
                field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
