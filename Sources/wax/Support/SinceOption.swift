import Foundation

/// `--since 24h`, `7d`, `90m` or a day (`2026-11-01`, midnight in the server's time zone).
struct SinceOption {
    let date: Date

    init(parsing text: String, now: Date = Date(), zone: TimeZone = .current) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let unit = trimmed.last, let amount = Double(trimmed.dropLast()), amount >= 0, "mhdw".contains(unit) {
            let seconds = ["m": 60.0, "h": 3_600, "d": 86_400, "w": 604_800][String(unit)]!
            date = now.addingTimeInterval(-amount * seconds)
            return
        }
        let parts = trimmed.split(separator: "-").compactMap { Int($0) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        if parts.count == 3, let day = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])) {
            date = day
            return
        }
        throw Failure.configuration("--since \"\(text)\" is not a time: use 90m, 24h, 7d, 2w or a day as 2026-11-01")
    }
}
