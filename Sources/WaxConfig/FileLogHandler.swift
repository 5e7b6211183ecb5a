import Foundation
import Logging
import Synchronization

/// A swift-log handler that appends one line per message to a file.
///
/// wax's logs never go to the terminal (the UI owns it); they go to `$XDG_STATE_HOME/wax/wax.log`.
/// Each line is passed through `redact` so that a token quoted by a server can't reach the file.
public struct FileLogHandler: LogHandler {
    final class Sink: Sendable {
        private let handle: Mutex<FileHandle?>
        let redact: @Sendable (String) -> String

        init(url: URL, redact: @escaping @Sendable (String) -> String) throws {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: url.path) {
                _ = FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            let handle = try FileHandle(forWritingTo: url)
            handle.seekToEndOfFile()
            self.handle = Mutex(handle)
            self.redact = redact
        }

        func write(_ line: String) {
            let data = Data(redact(line).utf8)
            handle.withLock { $0?.write(data) }
        }
    }

    private let sink: Sink
    private let label: String
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level

    init(label: String, sink: Sink, level: Logger.Level) {
        self.label = label
        self.sink = sink
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let meta = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let stamp = UTCTimestamp.string(Date(), fractional: true)
        sink.write("\(stamp) \(event.level) [\(label)] pid=\(getpid())\(meta) \(event.message)\n")
    }
}

public enum WaxLogging {
    private static let bootstrapped = Atomic<Bool>(false)

    /// Points swift-log at the log file. Call once, before any `Logger` is made.
    /// When the file can't be opened, logging is off (it must never fall back to the terminal).
    public static func bootstrap(file: URL, level: String, redact: @escaping @Sendable (String) -> String) {
        let level = Logger.Level(rawValue: level) ?? .info
        let sink = try? FileLogHandler.Sink(url: file, redact: redact)
        LoggingSystem.bootstrap { label in
            guard let sink else { return SwiftLogNoOpLogHandler() }
            return FileLogHandler(label: label, sink: sink, level: level)
        }
        bootstrapped.store(true, ordering: .releasing)
    }

    /// A library's logger: the log file once a wax program has bootstrapped it, else nothing.
    /// swift-log's own default would print to the terminal (the test output filled with the
    /// app's DOUBLE SALE warnings), and wax's logs never go there.
    public static func logger(_ label: String) -> Logger {
        bootstrapped.load(ordering: .acquiring) ? Logger(label: label) : Logger(label: label) { _ in SwiftLogNoOpLogHandler() }
    }
}
