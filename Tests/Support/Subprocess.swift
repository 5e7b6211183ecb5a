import Foundation
import Synchronization

struct SubprocessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a built executable of this package to completion and captures what it printed.
public struct Subprocess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// The child's peak resident memory (VmHWM) in KiB, when `run` was asked to watch it.
        public var peakKiB: Int = 0
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

    /// Runs a program to completion and captures its output. Children are spawned with an
    /// empty signal mask and default handlers: Foundation's `Process` passes on the test
    /// runner's blocked signals, and a child that can't receive SIGCHLD or SIGTERM (a tmux
    /// server, a wax told to stop) hangs. It waits without holding a thread: tests run on the
    /// cooperative pool (two threads here), and a blocked thread starves the fake Discogs
    /// servers other tests run in this process.
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String],
                           timeout: TimeInterval = 300, watchingPeak: Bool = false) async throws -> Result {
        try await start(executable, arguments, environment: environment).wait(timeout: timeout, watchingPeak: watchingPeak)
    }

    /// Starts a program and returns at once; its output is collected as it comes.
    public static func start(_ executable: URL, _ arguments: [String], environment: [String: String]) throws -> Running {
        let (pid, output, errors) = try spawn(executable, arguments, environment: environment)
        return Running(pid: pid, output: output[0], errors: errors[0])
    }

    /// A program started by `start`: read what it printed so far, signal it, wait for it.
    public final class Running: Sendable {
        public let pid: pid_t
        private let collected = Mutex((out: Data(), err: Data(), done: 0))

        init(pid: pid_t, output: Int32, errors: Int32) {
            self.pid = pid
            // A thread per pipe, not Dispatch: a long-lived child (`wax serve`) would hold two
            // of the global queue's few threads (one per core) in `read`, and FlyingFox's
            // socket pools, which wait for events on that queue, would starve.
            for (fd, isError) in [(output, false), (errors, true)] {
                Thread.detachNewThread { [self] in
                    var buffer = [UInt8](repeating: 0, count: 16_384)
                    while true {
                        let count = read(fd, &buffer, buffer.count)
                        if count < 0 && errno == EINTR { continue }
                        guard count > 0 else { break }
                        self.collected.withLock { state in
                            if isError { state.err.append(contentsOf: buffer[0..<count]) } else { state.out.append(contentsOf: buffer[0..<count]) }
                        }
                    }
                    close(fd)
                    self.collected.withLock { $0.done += 1 }
                }
            }
        }

        public var stderrSoFar: String { String(decoding: collected.withLock { $0.err }, as: UTF8.self) }
        public var stdoutSoFar: String { String(decoding: collected.withLock { $0.out }, as: UTF8.self) }

        public func signal(_ number: Int32) { kill(pid, number) }

        /// Waits until stderr contains `text` (or the deadline passes) and returns stderr. The
        /// deadlines here only end a test that already failed: they are minutes, as no load on a
        /// CI machine should reach them (30 s did, with both cores busy).
        public func waitForError(containing text: String, timeout: TimeInterval = 300) async throws -> String {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                let err = stderrSoFar
                if err.contains(text) { return err }
                try await Task.sleep(for: .milliseconds(20))
            }
            throw SubprocessError("\"\(text)\" never appeared on stderr; it said: \(stderrSoFar)")
        }

        /// Waits for the program to end (killing it after `timeout`). It waits without holding
        /// a thread: tests run on the cooperative pool (two threads here), and a blocked thread
        /// starves the fake Discogs servers other tests run in this process.
        ///
        /// `watchingPeak` reads the child's VmHWM while it runs (its last value is the peak):
        /// `wait4`'s `ru_maxrss` is no use, since exec records the spawning process's own peak
        /// into it (the child shares its address space until then).
        public func wait(timeout: TimeInterval = 300, watchingPeak: Bool = false) async throws -> Result {
            var status: Int32 = 0
            var peakKiB = 0
            let deadline = Date().addingTimeInterval(timeout)
            var exited = false
            while !exited {
                if watchingPeak, let peak = ProcStatus.kibibytes("VmHWM:", of: pid) { peakKiB = peak }
                if waitpid(pid, &status, WNOHANG) == pid {
                    exited = true
                } else if Date() > deadline {
                    kill(pid, SIGKILL)
                } else {
                    do {
                        try await Task.sleep(for: .milliseconds(10))
                    } catch {
                        // Cancelled: the child must not outlive whoever waited for it.
                        kill(pid, SIGKILL)
                        waitpid(pid, &status, 0)
                        throw error
                    }
                }
            }
            // A daemon the child started (tmux's server) may keep the pipes open: once the child
            // is gone, give its output a moment to arrive, no more.
            let drained = Date().addingTimeInterval(2)
            while collected.withLock({ $0.done }) < 2 && Date() < drained {
                try await Task.sleep(for: .milliseconds(5))
            }
            let (stdout, stderr, _) = collected.withLock { $0 }
            // As Foundation's Process reports it: the exit code, or the signal that ended it.
            let code = status & 0x7F == 0 ? (status >> 8) & 0xFF : status & 0x7F
            return Result(status: code, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self),
                          peakKiB: peakKiB)
        }
    }

    /// An environment that isolates wax from the user's own files.
    /// Held from creating a child's pipes until their write ends are closed here: a child
    /// another test spawns meanwhile (a tmux server lives long) would otherwise inherit them,
    /// and our reads would see no end of file until it exits. (`pipe2(O_CLOEXEC)` is not
    /// exported by Glibc's Swift module; this lock covers every spawn in the test process.)
    private static let spawning = Mutex(())

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 on), which Glibc's Swift module
    /// does not export; nil on an older libc (children then inherit what is not close-on-exec).
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    private static func spawn(_ executable: URL, _ arguments: [String], environment: [String: String]) throws -> (pid_t, [Int32], [Int32]) {
        try spawning.withLock { _ in
        var output: [Int32] = [0, 0], errors: [Int32] = [0, 0]
        guard pipe(&output) == 0, pipe(&errors) == 0 else { throw SubprocessError("pipe: \(String(cString: strerror(errno)))") }
        for fd in output + errors { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
        for fd in output + errors { posix_spawn_file_actions_addclose(&actions, fd) }
        // Nothing else of the test process's: its sockets (other tests' fakes and connections)
        // would count against a child's descriptor limit (`prlimit --nofile=64` ran out at once).
        _ = closeFrom?(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
        close(output[1])
        close(errors[1])
        guard spawned == 0 else {
            close(output[0])
            close(errors[0])
            throw SubprocessError("cannot start \(executable.path): \(String(cString: strerror(spawned)))")
        }
        return (pid, output, errors)
        }
    }

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
