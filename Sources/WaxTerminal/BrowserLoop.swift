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

/// The UI loop: a key (or 50 ms of none) → the session → a frame. Keys already waiting are
/// handled before drawing, so a fast typist or a paste costs one draw, not one per key.
public enum BrowserLoop {
    public static let keyTimeout: Int32 = 50

    public static func run(session: Session, terminal: Terminal) {
        var dirty = true
        while Interrupts.pending == 0 {
            if dirty {
                terminal.draw(session.frame)
                if let text = session.clipboard {
                    terminal.copyToClipboard(text)
                    session.clipboard = nil
                }
                dirty = false
            }
            var key = terminal.readKey(timeout: keyTimeout)
            while let pressed = key {
                do {
                    if pressed == .resize { try session.resize(columns: terminal.columns, rows: terminal.rows) }
                    try session.handle(pressed)
                } catch {
                    session.report(error)
                }
                if session.state.quit { return }
                dirty = true
                key = terminal.readKey(timeout: 0)
            }
            do {
                if try session.tick() { dirty = true }
            } catch {
                session.report(error)
                dirty = true
            }
        }
    }
}
