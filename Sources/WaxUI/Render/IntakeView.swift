import Foundation
import WaxPresentation
import WaxStore
import WaxText

/// `a`: the intake form over the body. Each step shows what staff decide it by: the candidate
/// pressings with the shop's stock of each, the grade keys with their guide, the price beside
/// Discogs' suggestion, the market and the shop's last sale; then the bin and comments.
enum IntakeView {
    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        guard let form = state.intake else { return }
        for y in rect.y..<(rect.y + rect.height) { grid.fill(x: 0, y: y, width: rect.width, role: .normal) }
        let width = rect.width - 2
        grid.write(fitting: " Taking stock in · \(form.tally.text)", x: 0, y: rect.y, width: rect.width, role: .columns)
        var y = rect.y + 2
        let bottom = rect.y + rect.height
        func line(_ label: String, _ text: String, role: StyleRole = .normal, active: Bool = false) {
            guard y < bottom else { return }
            grid.write(DisplayWidth.truncate(label, to: 10), x: 1, y: y, role: active ? .accent : .label)
            grid.write(DisplayWidth.truncate(text, to: max(0, width - 11)), x: 12, y: y, role: role)
            y += 1
        }
        func note(_ text: String, role: StyleRole = .dim) {
            for part in DisplayWidth.wrap(text, to: max(10, width - 11)) where y < bottom {
                grid.write(part, x: 12, y: y, role: role)
                y += 1
            }
        }

        let typingRecord = form.step == .identify
        line("Record", form.input + (typingRecord && form.waiting == nil ? "█" : ""), active: typingRecord)
        if typingRecord && form.input.isEmpty && form.waiting == nil {
            note("scan a barcode, or type a catalogue number, a release (r123 or its URL) or words")
        }
        if let waiting = form.waiting {
            note(waiting + (form.windowWait.map { $0 > 0 ? " · waiting for Discogs' rate window, \($0) s" : "" } ?? "") + "…", role: .accent)
        }
        if let searchNote = form.searchNote { note(searchNote) }

        if form.step == .choose {
            y += 1
            grid.write(DisplayWidth.truncate("\(form.candidates.count) pressings match: which is it?", to: width), x: 1, y: y, role: .label)
            y += 1
            let room = max(1, bottom - y - 1)
            let scroll = max(0, min(form.cursor - room / 2, form.candidates.count - room))
            for (index, candidate) in form.candidates.enumerated().dropFirst(scroll).prefix(room) {
                let selected = index == form.cursor
                let stock = form.stock[candidate.id].map(IntakeText.stock) ?? ""
                let text = "r\(candidate.id)  \(IntakeText.candidate(candidate))"
                if selected { grid.fill(x: 1, y: y, width: width, role: .selected) }
                let stockWidth = min(DisplayWidth.of(stock), width / 3)
                grid.write(DisplayWidth.truncate(text, to: max(4, width - stockWidth - 2)), x: 2, y: y, role: selected ? .selected : .normal)
                grid.write(DisplayWidth.truncate(stock, to: stockWidth), x: width - stockWidth, y: y, role: selected ? .selected : .dim)
                y += 1
            }
            return
        }

        guard let release = form.release else {
            if let problem = form.problem { y += 1; note(problem, role: .statusError) }
            return
        }
        line("Pressing", "r\(release.id)  \(IntakeText.candidate(release))")
        if let stock = form.advice?.stock ?? form.stock[release.id] { note(IntakeText.stock(stock)) }
        for fact in form.releaseFacts { note(fact) }
        y += 1

        let gradingMedia = form.step == .grade && !form.gradingSleeve
        let gradingSleeve = form.step == .grade && form.gradingSleeve
        line("Media", gradingMedia ? keys(IntakeForm.mediaKeys.map { ($0.0, $0.1.code) }) : form.media.map { "\($0.code)  \($0.discogsText)" } ?? "",
             active: gradingMedia)
        if gradingMedia { note(IntakeForm.mediaKeys.map { "\($0.1.code): \(IntakeText.guide($0.1))" }.joined(separator: " · ")) }
        if form.step != .grade || form.gradingSleeve {
            line("Sleeve", gradingSleeve ? keys(IntakeForm.sleeveKeys.map { ($0.0, $0.1.code) }) + (form.sleeve.map { "   Enter: \($0.code) again" } ?? "")
                 : form.sleeve.map { "\($0.code)  \($0.discogsText)" } ?? "", active: gradingSleeve)
        }
        if form.step == .price || form.step == .place {
            let pricing = form.step == .price
            line("Price", form.price + (pricing ? "█" : "") + (form.currency.map { " \($0)" } ?? ""), active: pricing)
            if let advice = form.advice, let media = form.media {
                for text in IntakeText.advice(advice, grade: media, rounding: form.rounding, time: state.time).dropLast() { note(text) }
            } else {
                note("asking Discogs for its price suggestion and the market…")
            }
        }
        if form.step == .place {
            y += 1
            for field in IntakeForm.Field.allCases {
                let value = switch field {
                case .bin: form.bin
                case .comments: form.comments
                case .privateComments: form.privateComments
                }
                line(field.title, value + (form.field == field ? "█" : ""), active: form.field == field)
            }
            line("Listed as", "\(form.draft ? "Draft (not for sale yet)" : "For Sale") · offers \(form.allowOffers ? "allowed" : "not allowed")")
            note("Enter lists it on Discogs; the next record keeps this bin, sleeve and status")
        }
        if let problem = form.problem {
            y += 1
            note(problem, role: .statusError)
        }
    }

    /// `[1] M  [2] NM  [3] VG+ …`
    private static func keys(_ pairs: [(Character, String)]) -> String {
        pairs.map { "[\($0.0)] \($0.1)" }.joined(separator: "  ")
    }
}
