import Foundation

/// What an action acts on.
public enum ActionTarget: Sendable, Equatable, Hashable, CustomStringConvertible {
    case listing(Int64)
    case order(String)
    /// A reprice run (its listings are the run's items).
    case run(Int64)

    /// "listing 1234", "order 42-3", "reprice run 7": how logs and messages name it.
    public var description: String {
        switch self {
        case .listing(let id): "listing \(id)"
        case .order(let id): "order \(id)"
        case .run(let id): "reprice run \(id)"
        }
    }
}

/// One row of the outbox.
public struct CounterAction: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var kind: ActionKind
    /// What it acts on: a listing, or an order.
    public var target: ActionTarget
    /// The Unix login of the staff member who did it.
    public var user: String
    public var createdAt: Date
    /// The values the staff member saw when they acted: Discogs must still hold them, or the
    /// action is refused as a conflict.
    public var expected: ListingFields
    /// The values the action puts on Discogs.
    public var change: ListingFields
    public var note: String?
    public var state: ActionState
    public var attempts: Int
    public var nextAttemptAt: Date?
    /// Why it is where it is: a conflict's two values, a failure's reason, a retry's cause.
    public var message: String?
    public var updatedAt: Date
    /// The action this one undoes.
    public var undoes: Int64?
    /// For display (from the listing).
    public var artist: String?
    public var title: String?
    public var location: String?

    public init(id: Int64, kind: ActionKind, target: ActionTarget, user: String, createdAt: Date, expected: ListingFields,
                change: ListingFields, note: String? = nil, state: ActionState = .queued, attempts: Int = 0,
                nextAttemptAt: Date? = nil, message: String? = nil, updatedAt: Date? = nil, undoes: Int64? = nil,
                artist: String? = nil, title: String? = nil, location: String? = nil) {
        self.id = id
        self.kind = kind
        self.target = target
        self.user = user
        self.createdAt = createdAt
        self.expected = expected
        self.change = change
        self.note = note
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.message = message
        self.updatedAt = updatedAt ?? createdAt
        self.undoes = undoes
        self.artist = artist
        self.title = title
        self.location = location
    }

    /// The listing acted on; nil for an order's action.
    public var listingID: Int64? {
        if case .listing(let id) = target { return id }
        return nil
    }

    /// The order acted on; nil for a listing's action.
    public var orderID: String? {
        if case .order(let id) = target { return id }
        return nil
    }

    /// The reprice run acted on; nil for any other action.
    public var runID: Int64? {
        if case .run(let id) = target { return id }
        return nil
    }
}

/// An outbox row the mirror can't read as an action (a kind or state no wax knows): named, never
/// guessed at.
public struct UnreadableAction: Error, Sendable, CustomStringConvertible {
    public let id: Int64
    public let problem: String
    public var description: String { "outbox row #\(id) can't be read: \(problem) (written by a newer wax?)" }
}
