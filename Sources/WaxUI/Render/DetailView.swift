import Foundation
import WaxPresentation
import WaxStore
import WaxText

enum DetailView {
    enum Line: Equatable {
        case field(String, String, StyleRole)
        case heading(String)
        case text(String)
        case blank
    }

    static let labelWidth = 10

    static func lines(_ listing: Listing, width: Int, time: LocalTime) -> [Line] {
        var lines: [Line] = []
        for fact in ListingFacts.of(listing, time: time) {
            for (index, part) in DisplayWidth.wrap(fact.value, to: max(8, width - labelWidth - 1)).enumerated() {
                lines.append(.field(index == 0 ? fact.label : "", part, fact.isRemoval ? .removed : .value))
            }
        }
        if let comments = listing.record.comments {
            lines.append(.blank)
            lines.append(.heading("Comments"))
            for part in DisplayWidth.wrap(comments, to: max(8, width)) { lines.append(.text(part)) }
        }
        if let tracks = listing.release?.tracklist, !tracks.isEmpty {
            lines.append(.blank)
            lines.append(.heading("Tracklist"))
            for track in tracks {
                let duration = track.duration.map { $0.isEmpty ? "" : "  \($0)" } ?? ""
                for (index, part) in DisplayWidth.wrap(track.title + duration, to: max(8, width - labelWidth - 1)).enumerated() {
                    lines.append(.field(index == 0 ? track.position : "", part, .value))
                }
            }
        }
        return lines
    }

    /// The furthest the full-screen details can scroll (their lines less one screen).
    static func maxScroll(_ state: AppState) -> Int {
        guard let listing = state.detail ?? state.selected else { return 0 }
        let rect = state.layout.side
        return max(0, lines(listing, width: rect.width - 2, time: state.time).count - (rect.height - 1))
    }

    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        let x = rect.x + 1
        let width = rect.width - 2
        guard let listing = state.detail ?? state.selected else {
            grid.write("No listing selected", x: x, y: rect.y + 1, role: .dim, limit: width)
            return
        }
        grid.write(fitting: " " + ListingFormat.name(listing), x: rect.x, y: rect.y, width: rect.width,
                   role: state.focus == .detail ? .selected : .columns)
        let all = lines(listing, width: width, time: state.time)
        let visible = rect.height - 1
        let scroll = state.layout.split ? 0 : min(state.detailScroll, max(0, all.count - visible))
        for (row, line) in all.dropFirst(scroll).prefix(visible).enumerated() {
            let y = rect.y + 1 + row
            switch line {
            case .field(let label, let value, let role):
                grid.write(label, x: x, y: y, role: .label, limit: labelWidth)
                grid.write(value, x: x + labelWidth + 1, y: y, role: role, limit: width - labelWidth - 1)
            case .heading(let title):
                grid.write(title, x: x, y: y, role: .label, limit: width)
            case .text(let text):
                grid.write(text, x: x, y: y, role: .value, limit: width)
            case .blank:
                break
            }
        }
    }
}
