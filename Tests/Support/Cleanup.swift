/// Runs `body`, then `cleanup`, and waits for it, whether `body` threw or not: a test's fake
/// server or harness is stopped before the test ends (a `defer { Task { … } }` left it running
/// into the next tests, unawaited).
public func withCleanup(_ cleanup: () async -> Void, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        await cleanup()
        throw error
    }
    await cleanup()
}
