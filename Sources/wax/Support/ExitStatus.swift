import ArgumentParser

/// wax's exit statuses, declared once: the code each failure exits with, `wax --help`'s list and
/// the man page's EXIT STATUS section (a test keeps the page equal to this).
enum ExitStatus: Int32, CaseIterable {
    case success = 0
    case failure = 1
    case usage = 2
    case busy = 3
    case tokenRejected = 4
    case queued = 5

    var meaning: String {
        switch self {
        case .success: "success"
        case .failure: "failure (a bad CSV row, a failed sync: the mirror is left as it was; an action Discogs refused or that conflicts with what Discogs holds)"
        case .usage: "usage or configuration error (a bad price, an unknown listing or order, actions not allowed here)"
        case .busy: "another wax process is syncing this database (or sending its outbox)"
        case .tokenRejected: "Discogs rejected the token"
        case .queued: "an action is queued but Discogs has not confirmed it yet (--wait ran out): it will be sent, see wax outbox"
        }
    }

    var code: ExitCode { ExitCode(rawValue) }

    /// The list `wax --help` ends with, wrapped for a terminal.
    static var helpText: String {
        "EXIT CODES\n" + allCases.map { status in
            var lines: [String] = []
            var line = "  \(status.rawValue)  "
            for word in status.meaning.split(separator: " ") {
                if line.count + word.count + 1 > 78 {
                    lines.append(line)
                    line = "     "
                }
                line += (line.hasSuffix(" ") ? "" : " ") + word
            }
            lines.append(line)
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
