import ArgumentParser
import Foundation
import WaxTerminal

/// A command's failure: one line on stderr, then the documented exit code.
enum Failure: Error {
    case failed(String)
    case configuration(String)
    case syncBusy(String)
    case tokenRejected(String)

    var status: ExitStatus {
        switch self {
        case .failed: .failure
        case .configuration: .usage
        case .syncBusy: .busy
        case .tokenRejected: .tokenRejected
        }
    }

    var message: String {
        switch self {
        case .failed(let m), .configuration(let m), .syncBusy(let m), .tokenRejected(let m): m
        }
    }
}

extension Failure {
    /// Runs `body`, turning any error into one line on stderr and its exit code: a `Failure`
    /// its own, a terminal that can't be set up 2, anything else 1.
    static func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            throw exitCode(reporting: error)
        }
    }

    /// The same for the commands that own the terminal and run on the main thread (the
    /// browser, the demo).
    static func reporting(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch {
            throw exitCode(reporting: error)
        }
    }

    private static func exitCode(reporting error: any Error) -> ExitCode {
        switch error {
        case let exit as ExitCode:
            return exit
        case let failure as Failure:
            Console.error(failure.message)
            return failure.status.code
        case let terminal as TerminalError:
            Console.error(terminal.description)
            return ExitStatus.usage.code
        default:
            Console.error("\(error)")
            return ExitStatus.failure.code
        }
    }
}

enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("wax: \(message)\n".utf8))
    }

    /// What a long-running command is doing (stderr, so stdout stays for data).
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("wax: \(message)\n".utf8))
    }

    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("wax: warning: \(message)\n".utf8))
    }

    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// The terminal's width when stdout is one, else nil (pipes get full rows).
    static var terminalWidth: Int? {
        guard isTerminal else { return nil }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100
    }
}

/// Foundation's file errors as a person reads them ("No such file or directory", not
/// "NSCocoaErrorDomain error 260").
enum FileErrorText {
    static func describe(_ error: any Error) -> String {
        let ns = error as NSError
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        switch CocoaError.Code(rawValue: ns.code) {
        case .fileReadNoSuchFile, .fileNoSuchFile: return "no such file"
        case .fileReadNoPermission: return "permission denied"
        default: return ns.localizedDescription
        }
    }
}
