import Foundation
import Synchronization
import WaxConfig
import WaxUI

/// The UI loop: a key (or 50 ms of none) → the session → what the terminal must do. Keys
/// already waiting are handled before drawing, so a fast typist or a paste costs one draw, not
/// one per key; and nothing is drawn unless some effect asked for it.
public enum BrowserLoop {
    public static let keyTimeout: Int32 = 50

    public static func run(session: Session, terminal: Terminal) {
        var pending: Effects = .repaint
        // A signal (SIGINT, SIGTERM, SIGHUP: a dropped ssh session) ends the loop within a key
        // timeout; so does a terminal gone without a signal (reads that return at once).
        while SignalWatch.shared.pending == 0, !pending.contains(.quit), !terminal.hungUp {
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
