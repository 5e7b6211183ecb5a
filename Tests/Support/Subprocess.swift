import Foundation
import Synchronization

/// Runs a built executable of this package to completion and captures what it printed.
public struct Subprocess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// `.build/<config>/NAME`, next to the test bundle.
    public static func builtExecutable(_ name: String) -> URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = bundle.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir.deleteLastPathComponent()
        }
        return bundle.deletingLastPathComponent().appendingPathComponent(name)
    }

    /// Runs a built executable to completion. It waits without holding a thread: tests run on
    /// the cooperative pool (two threads here), and a blocked thread starves the fake Discogs
    /// servers other tests run in this process.
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String],
                           timeout: TimeInterval = 120) async throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let collected = Mutex((out: Data(), err: Data(), done: 0))
        DispatchQueue.global().async {
            let data = out.fileHandleForReading.readDataToEndOfFile()
            collected.withLock { $0.out = data; $0.done += 1 }
        }
        DispatchQueue.global().async {
            let data = err.fileHandleForReading.readDataToEndOfFile()
            collected.withLock { $0.err = data; $0.done += 1 }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while (process.isRunning || collected.withLock({ $0.done }) < 2) && Date() < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        let (stdout, stderr, _) = collected.withLock { $0 }
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// An environment that isolates wax from the user's own files.
    public static func isolatedEnvironment(home: URL, extra: [String: String] = [:]) -> [String: String] {
        var env = [
            "HOME": home.path,
            "XDG_DATA_HOME": home.appendingPathComponent("data").path,
            "XDG_CONFIG_HOME": home.appendingPathComponent("config").path,
            "XDG_STATE_HOME": home.appendingPathComponent("state").path,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "LANG": "C.UTF-8",
        ]
        env.merge(extra) { _, new in new }
        return env
    }
}
