import Foundation
import WaxPresentation
import WaxStore
import WaxText

/// `R`: the rule, then every listing it changes (old → new, why), the totals and how the run
/// will be sent; nothing goes to Discogs before `y`.
enum RepriceView {
    static func draw(_ state: AppState, into grid: inout ScreenGrid, _ rect: Layout.Rect) {
        guard let form = state.reprice else { return }
        for y in rect.y..<(rect.y + rect.height) { grid.fill(x: 0, y: y, width: rect.width, role: .normal) }
        let width = rect.width - 2
        let selection = FilterSummary.selection(state.query)
        grid.write(fitting: " Reprice \(state.total) listing\(state.total == 1 ? "" : "s") on show (\(selection))", x: 0, y: rect.y, width: rect.width, role: .columns)
        var y = rect.y + 2
        let bottom = rect.y + rect.height
        grid.write("Rule", x: 1, y: y, role: form.plan == nil ? .accent : .label)
        grid.write(DisplayWidth.truncate(form.text + (form.plan == nil ? "█" : ""), to: width - 11), x: 12, y: y, role: .normal)
        y += 1
        guard let plan = form.plan else {
            for line in DisplayWidth.wrap("+10%, -15% or =12.00; then a rounding (.99 ending or 0.50 step), floor N, ceiling N. e.g. -15% .99 floor 1", to: width - 11) where y < bottom {
                grid.write(line, x: 12, y: y, role: .dim)
                y += 1
            }
            if let problem = form.problem { grid.write(DisplayWidth.truncate(problem, to: width - 11), x: 12, y: y + 1, role: .statusError) }
            return
        }
        y += 1
        var footer = [RepriceText.totals(plan)]
        if !plan.items.isEmpty { footer.append(RepriceText.sending(plan, threshold: RepriceStore.jobThreshold) + ": y sends") }
        footer += plan.problems
        let footerLines = footer.flatMap { DisplayWidth.wrap($0, to: width) }
        let room = max(0, bottom - y - footerLines.count - 1)
        if plan.items.isEmpty {
            grid.write("The rule changes no price in this selection.", x: 1, y: y, role: .dim)
        } else {
            let priceWidth = 22, reasonWidth = min(24, max(8, width / 5))
            for item in plan.items.dropFirst(form.scroll).prefix(room) {
                let row = RepriceText.row(item)
                grid.write(DisplayWidth.truncate(row.change, to: priceWidth), x: 1, y: y, role: item.newPrice < item.oldPrice ? .removed : .added)
                grid.write(DisplayWidth.truncate(row.reason, to: reasonWidth), x: 2 + priceWidth, y: y, role: .dim)
                let nameX = 3 + priceWidth + reasonWidth
                grid.write(DisplayWidth.truncate(row.record + (row.bin.isEmpty ? "" : "  (\(row.bin))"), to: max(0, width - nameX)), x: nameX, y: y, role: .normal)
                y += 1
            }
            if plan.items.count > form.scroll + room, y < bottom {
                grid.write("… \(plan.items.count - form.scroll - room) more (↓)", x: 1, y: y, role: .dim)
            }
        }
        var footerY = bottom - footerLines.count
        for (index, line) in footerLines.enumerated() {
            let isProblem = index >= footerLines.count - plan.problems.flatMap { DisplayWidth.wrap($0, to: width) }.count
            grid.write(line, x: 1, y: footerY, role: isProblem && !plan.problems.isEmpty ? .statusError : .label)
            footerY += 1
        }
    }
}
