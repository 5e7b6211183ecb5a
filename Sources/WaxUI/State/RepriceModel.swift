import Foundation
import WaxStore

/// `R`: a rule over the list on show, previewed in a pane before anything is sent.
public struct RepriceForm: Sendable, Equatable {
    /// The rule as typed (`-15% .99 floor 1`).
    public var text = ""
    /// The preview of the rule last entered; nil while the rule is being typed.
    public var plan: RepricePlan?
    public var scroll = 0
    public var problem: String?
    public init() {}
}

/// What the reprice pane asks the session for.
public enum RepriceRequest: Sendable, Equatable {
    /// The rule over the current selection (the browser's filters and search).
    case preview(RepriceRule)
    case send(RepricePlan)
}

enum RepriceModel {
    static func open(_ state: inout AppState) -> Effects {
        if let refused = CounterModel.refusedWhenOff(&state) { return refused }
        state.reprice = RepriceForm()
        state.overlay = .reprice
        return .redraw
    }

    static func handle(_ key: Key, _ state: inout AppState) -> Effects? {
        guard var form = state.reprice else { return nil }
        if case .control(let c) = key, c == "c" || c == "l" { return nil }
        defer { state.reprice = form }
        form.problem = nil
        if let plan = form.plan {
            switch key {
            case .character("y"):
                guard plan.problems.isEmpty, !plan.items.isEmpty else { return [] }
                state.overlay = .none
                return Effects(.redraw, reprice: .send(plan))
            case .down, .character("j"): form.scroll = min(max(0, plan.items.count - 1), form.scroll + 1)
            case .up, .character("k"): form.scroll = max(0, form.scroll - 1)
            case .pageDown, .character(" "): form.scroll = min(max(0, plan.items.count - 1), form.scroll + 10)
            case .pageUp: form.scroll = max(0, form.scroll - 10)
            case .escape, .character("n"), .backspace:
                form.plan = nil     // back to the rule
            default: return []
            }
            return .redraw
        }
        switch key {
        case .character(let c):
            form.text.append(c)
        case .backspace:
            if !form.text.isEmpty { form.text.removeLast() }
        case .control("u"):
            form.text = ""
        case .enter:
            guard let rule = RepriceRule(parsing: form.text) else {
                form.problem = "a rule: +10%, -15%, =12.00, then a rounding (.99 or 0.50), floor N, ceiling N"
                return .redraw
            }
            if rule.needsSuggestions || rule.needsMarket {
                form.problem = "rules that ask Discogs about every release (to-suggestion, min-market) run with `wax reprice`, which says what they cost first"
                return .redraw
            }
            return Effects(.redraw, reprice: .preview(rule))
        case .escape:
            state.overlay = .none
            state.reprice = nil
            return .redraw
        default:
            return []
        }
        return .redraw
    }

    static func hints(_ form: RepriceForm) -> [(String, String)] {
        guard let plan = form.plan else { return [("Enter", "preview"), ("Esc", "cancel")] }
        return (plan.problems.isEmpty && !plan.items.isEmpty ? [("y", "send")] : []) + [("↑↓", "scroll"), ("Esc", "change the rule")]
    }
}
