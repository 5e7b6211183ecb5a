import Foundation
import Synchronization
import WaxUI

/// SIGINT, SIGTERM and SIGHUP (a dropped ssh session) only set this flag; the loop sees it
/// within one key timeout, stops the sync and restores the terminal.
public enum Interrupts {
    static let received = Atomic<Int32>(0)

    public static func install() {
        // A parent may have started us with these blocked (Foundation's Process does): unblock.
        var set = sigset_t()
        sigemptyset(&set)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&set, signalNumber) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber) { number in Interrupts.received.store(number, ordering: .relaxed) }
        }
        signal(SIGPIPE, SIG_IGN)
    }

    public static var pending: Int32 { received.load(ordering: .relaxed) }
}

/// The UI loop: a key (or 50 ms of none) → the session → what the terminal must do. Keys
/// already waiting are handled before drawing, so a fast typist or a paste costs one draw, not
/// one per key; and nothing is drawn unless some effect asked for it.
public enum BrowserLoop {
    public static let keyTimeout: Int32 = 50

    public static func run(session: Session, terminal: Terminal) {
        var pending: Effects = .repaint
        while Interrupts.pending == 0, !pending.contains(.quit) {
            act(on: pending, session: session, terminal: terminal)
            pending = []
            var key = terminal.readKey(timeout: keyTimeout)
            while let pressed = key, !pending.contains(.quit) {
                pending.formUnion(attempt(session) { try session.handle(pressed) })
                key = terminal.readKey(timeout: 0)
            }
            pending.formUnion(attempt(session) { try session.tick() })
        }
    }

    /// The terminal's part of the effects: copy, repaint, draw.
    static func act(on effects: Effects, session: Session, terminal: Terminal) {
        if effects.contains(.copyURL), let url = session.state.copyTarget { terminal.copyToClipboard(url) }
        if effects.contains(.repaint) { terminal.repaint() }
        if effects.contains(.redraw) { terminal.draw(session.frame) }
    }

    /// A failure (a locked database, a full disk) is shown in the message line, not fatal.
    private static func attempt(_ session: Session, _ body: () throws -> Effects) -> Effects {
        do {
            return try body()
        } catch {
            session.report(error)
            return .redraw
        }
    }
}
