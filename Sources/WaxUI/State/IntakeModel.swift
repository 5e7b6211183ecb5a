import Foundation
import WaxConfig
import WaxPresentation
import WaxStore
import WaxSync

/// Taking stock in from the browser (`a`): a form that walks one record after another through
/// identify → choose the pressing → grade → price → place, and lists it. Plain values: what
/// Discogs answers arrives through the session (`IntakeResult`), never by the form waiting.
public struct IntakeForm: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        case identify, choose, grade, price, place
    }

    /// The place step's fields, in Tab order.
    public enum Field: Sendable, Equatable, CaseIterable {
        case bin, comments, privateComments

        var title: String {
            switch self {
            case .bin: "Bin"
            case .comments: "Comments"
            case .privateComments: "Private"
            }
        }

        var limit: Int {
            switch self {
            case .bin: FieldRules.maximumLocationLength
            case .comments, .privateComments: FieldRules.maximumCommentsLength
            }
        }
    }

    /// How many of this session's records ended how: "12 listed, 2 waiting, 1 failed".
    public struct Tally: Sendable, Equatable {
        public var listed = 0, waiting = 0, failed = 0
        public var text: String { "\(listed) listed, \(waiting) waiting, \(failed) failed" }
    }

    public var step = Step.identify
    public var input = ""
    public var candidates: [ReleaseCandidate] = []
    public var stock: [Int64: ReleaseStock] = [:]
    public var cursor = 0
    /// How the search went when it was not the obvious way.
    public var searchNote: String?
    public var release: ReleaseCandidate?
    /// The chosen release's formats, identifiers and tracklist length, once Discogs said.
    public var releaseFacts: [String] = []
    public var media: ConditionGrade?
    public var sleeve: SleeveGrade?
    public var gradingSleeve = false
    public var advice: PriceAdvice?
    public var price = ""
    /// The price was typed (a suggestion arriving later does not replace it).
    public var priceTyped = false
    public var field = Field.bin
    public var bin = ""
    public var comments = ""
    public var privateComments = ""
    public var allowOffers = false
    public var draft = false
    /// What the form waits on from Discogs ("searching Discogs for barcode …").
    public var waiting: String?
    /// Seconds until the rate window has room for it, when it has none now.
    public var windowWait: Int?
    public var problem: String?
    public var tally = Tally()
    public var rounding: PriceRounding
    public var priceLimit: Double
    public var currency: String?

    public init(rounding: PriceRounding = .step(0.5), priceLimit: Double = FieldRules.defaultPriceLimit, currency: String? = nil) {
        self.rounding = rounding
        self.priceLimit = priceLimit
        self.currency = currency
    }

    /// The grade keys, best first: 1 Mint … 8 Poor; a sleeve also 9 Generic, 0 Not Graded, - No Cover.
    static let mediaKeys: [(Character, ConditionGrade)] = Array(zip("12345678", ConditionGrade.allCases.reversed()))
    static let sleeveKeys: [(Character, SleeveGrade)] = mediaKeys.map { ($0.0, SleeveGrade.graded($0.1)) } + [("9", .generic), ("0", .notGraded), ("-", .noCover)]

    /// The record staff are on (chosen, or under the cursor while choosing).
    var current: ReleaseCandidate? {
        release ?? (step == .choose && candidates.indices.contains(cursor) ? candidates[cursor] : nil)
    }

    var priceValue: Double? { Double(price.replacingOccurrences(of: ",", with: ".")) }

    /// Ready for the next record: what stays for a stack (the bin, the sleeve, the status,
    /// offers, the tally) stays.
    mutating func next() {
        var fresh = IntakeForm(rounding: rounding, priceLimit: priceLimit, currency: currency)
        fresh.bin = bin
        fresh.sleeve = sleeve
        fresh.draft = draft
        fresh.allowOffers = allowOffers
        fresh.tally = tally
        self = fresh
    }
}

/// What the form asks Discogs (through the session, off the key loop) or the mirror.
public enum IntakeRequest: Sendable, Equatable {
    case identify(IntakeInput)
    /// The release's details and the price advice for it.
    case advise(ReleaseCandidate)
    case list(NewListing)
}

/// What came back, posted to the session by the task that asked.
public enum IntakeResult: Sendable, Equatable {
    case identified(Identification, stock: [Int64: ReleaseStock])
    case advised(releaseID: Int64, facts: [String], PriceAdvice)
    case failed(String)
}

/// The form's keys, step by step (beside them on screen and in the status bar).
enum IntakeModel {
    static func open(_ state: inout AppState) -> Effects {
        if let refused = CounterModel.refusedWhenOff(&state) { return refused }
        guard state.intakeAvailable else {
            state.notice = .problem("taking stock in searches Discogs' database: it needs the seller's DISCOGS_TOKEN in this wax")
            return .redraw
        }
        if state.intake == nil { state.intake = IntakeForm(rounding: state.priceRounding, priceLimit: state.priceLimit, currency: state.shopCurrency) }
        state.overlay = .intake
        return .redraw
    }

    /// nil: the key is not the form's (Ctrl-C, Ctrl-L go to the commands).
    static func handle(_ key: Key, _ state: inout AppState) -> Effects? {
        guard var form = state.intake else { return nil }
        if case .control(let c) = key, c == "c" || c == "l" { return nil }
        form.problem = nil
        defer { state.intake = form }
        switch form.step {
        case .identify: return identify(key, &form, &state)
        case .choose: return choose(key, &form)
        case .grade: return grade(key, &form)
        case .price: return price(key, &form)
        case .place: return place(key, &form)
        }
    }

    private static func identify(_ key: Key, _ form: inout IntakeForm, _ state: inout AppState) -> Effects {
        switch key {
        case .character(let c):
            if form.waiting == nil { form.input.append(c) }
        case .backspace:
            if !form.input.isEmpty { form.input.removeLast() }
        case .control("u"):
            form.input = ""
        case .enter:
            guard form.waiting == nil, let input = IntakeInput(form.input) else { return .redraw }
            form.candidates = []
            form.searchNote = nil
            form.waiting = "asking Discogs about \(input.description)"
            return Effects(.redraw, intake: .identify(input))
        case .escape:
            if !form.input.isEmpty && form.waiting == nil {
                form.input = ""
            } else {
                state.overlay = .none
                state.notice = .info("taking stock in: \(form.tally.text)\(form.tally.listed + form.tally.waiting > 0 ? " (stickers: wax labels)" : "")")
            }
        default:
            return []
        }
        return .redraw
    }

    private static func choose(_ key: Key, _ form: inout IntakeForm) -> Effects {
        switch key {
        case .down, .character("j"): form.cursor = min(form.candidates.count - 1, form.cursor + 1)
        case .up, .character("k"): form.cursor = max(0, form.cursor - 1)
        case .enter:
            guard form.candidates.indices.contains(form.cursor) else { return [] }
            return pick(form.candidates[form.cursor], &form)
        case .escape, .backspace:
            form.step = .identify
            form.candidates = []
        default: return []
        }
        return .redraw
    }

    /// The pressing is chosen: grade it while Discogs is asked for its details and prices.
    private static func pick(_ release: ReleaseCandidate, _ form: inout IntakeForm) -> Effects {
        form.release = release
        form.step = .grade
        form.gradingSleeve = false
        form.media = nil
        form.advice = nil
        form.releaseFacts = []
        form.price = ""
        form.priceTyped = false
        return Effects(.redraw, intake: .advise(release))
    }

    private static func grade(_ key: Key, _ form: inout IntakeForm) -> Effects {
        switch key {
        case .character(let c):
            if !form.gradingSleeve, let grade = IntakeForm.mediaKeys.first(where: { $0.0 == c })?.1 {
                form.media = grade
                form.gradingSleeve = true
                fillSuggestion(&form)
            } else if form.gradingSleeve, let grade = IntakeForm.sleeveKeys.first(where: { $0.0 == c })?.1 {
                form.sleeve = grade
                form.step = .price
            } else {
                form.problem = form.gradingSleeve ? "a sleeve grade: 1–8, 9 generic, 0 not graded, - no cover" : "a media grade: 1 M … 8 P"
            }
        case .enter where form.gradingSleeve && form.sleeve != nil:
            // The last record's sleeve grade, kept for a stack.
            form.step = .price
        case .escape, .backspace:
            if form.gradingSleeve {
                form.gradingSleeve = false
            } else {
                form.release = nil
                form.step = form.candidates.count > 1 ? .choose : .identify
            }
        default: return []
        }
        return .redraw
    }

    /// The suggestion for the media grade, rounded the shop's way, unless a price was typed.
    static func fillSuggestion(_ form: inout IntakeForm) {
        guard !form.priceTyped, let media = form.media, let advice = form.advice, let suggested = advice.suggested(for: media, rounding: form.rounding) else { return }
        form.price = String(format: "%.2f", suggested.value)
        if let currency = suggested.currency { form.currency = currency }
    }

    private static func price(_ key: Key, _ form: inout IntakeForm) -> Effects {
        switch key {
        case .character(let c) where c.isNumber || c == "." || c == ",":
            if !form.priceTyped { form.price = "" }
            form.priceTyped = true
            form.price.append(c)
        case .backspace:
            form.priceTyped = true
            if !form.price.isEmpty { form.price.removeLast() }
        case .control("u"):
            form.priceTyped = true
            form.price = ""
        case .enter:
            guard let value = form.priceValue else {
                form.problem = "a price: a positive number, e.g. 12.50"
                return .redraw
            }
            if let problem = FieldRules.price(value, currency: form.currency, limit: form.priceLimit) {
                form.problem = FieldProblemText.sentence(problem)
                return .redraw
            }
            form.step = .place
            form.field = .bin
        case .escape:
            form.step = .grade
            form.gradingSleeve = true
        default: return []
        }
        return .redraw
    }

    private static func place(_ key: Key, _ form: inout IntakeForm) -> Effects {
        func edit(_ change: (inout String) -> Void) {
            switch form.field {
            case .bin: change(&form.bin)
            case .comments: change(&form.comments)
            case .privateComments: change(&form.privateComments)
            }
        }
        switch key {
        case .character(let c):
            edit { if $0.count < form.field.limit { $0.append(c) } }
        case .backspace:
            edit { if !$0.isEmpty { $0.removeLast() } }
        case .control("u"):
            edit { $0 = "" }
        case .tab, .down:
            let all = IntakeForm.Field.allCases
            form.field = all[(all.firstIndex(of: form.field)! + 1) % all.count]
        case .up:
            let all = IntakeForm.Field.allCases
            form.field = all[(all.firstIndex(of: form.field)! + all.count - 1) % all.count]
        case .control("d"):
            form.draft.toggle()
        case .control("o"):
            form.allowOffers.toggle()
        case .enter:
            guard let release = form.release, let media = form.media, let price = form.priceValue else { return [] }
            let listing = NewListing(release: release, media: media, sleeve: form.sleeve, price: price, currency: form.currency,
                                     location: form.bin, comments: form.comments, privateComments: form.privateComments,
                                     allowOffers: form.allowOffers, status: form.draft ? .draft : .forSale)
            form.next()
            return Effects(.redraw, intake: .list(listing))
        case .escape:
            form.step = .price
        default: return []
        }
        return .redraw
    }

    /// What Discogs answered, into the form (if it is still waiting for it).
    static func apply(_ result: IntakeResult, _ state: inout AppState) {
        guard var form = state.intake else { return }
        defer { state.intake = form }
        switch result {
        case .identified(let found, let stock):
            guard form.step == .identify, form.waiting != nil else { return }
            form.waiting = nil
            form.windowWait = nil
            form.candidates = found.candidates
            form.stock = stock
            form.searchNote = found.note
            form.cursor = 0
            if found.candidates.count == 1 {
                _ = pick(found.candidates[0], &form)
                // The session asks for the advice when it sees the form chose.
            } else if !found.candidates.isEmpty {
                form.step = .choose
            }
        case .advised(let releaseID, let facts, let advice):
            guard form.release?.id == releaseID else { return }
            form.releaseFacts = facts
            form.advice = advice
            fillSuggestion(&form)
        case .failed(let message):
            form.waiting = nil
            form.windowWait = nil
            form.problem = message
        }
    }

    /// The keys of the step the form is on, for the status bar.
    static func hints(_ form: IntakeForm) -> [(String, String)] {
        switch form.step {
        case .identify: [("Enter", "find"), ("Esc", form.input.isEmpty ? "close" : "clear")]
        case .choose: [("↑↓", "move"), ("Enter", "this pressing"), ("Esc", "back")]
        case .grade: form.gradingSleeve
            ? [("1-8", "sleeve"), ("9", "generic"), ("0", "not graded"), ("-", "no cover")] + (form.sleeve != nil ? [("Enter", "keep")] : []) + [("Esc", "back")]
            : [("1-8", "media M…P"), ("Esc", "back")]
        case .price: [("Enter", "next"), ("Esc", "back")]
        case .place: [("Tab", "field"), ("^D", form.draft ? "for sale" : "draft"), ("^O", "offers"), ("Enter", "list it"), ("Esc", "back")]
        }
    }
}
