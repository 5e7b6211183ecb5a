import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import WaxSync

/// An exchange's answer belongs to its caller once given: nothing keeps it for the rest of a
/// sync (a large shop's thousand pages stayed in memory until the sync's deadline).
@Suite struct ExchangeMemoryTests {
    @Test func theDeadlineTimerDoesNotKeepAnEndedExchangeAlive() {
        weak var ended: Exchange.Pending?
        do {
            let pending = Exchange.Pending(cap: 1 << 20)
            ended = pending
            pending.finish(after: 3_600)   // a whole sync's deadline
            pending.finish(.failure(CancellationError()))
        }
        #expect(ended == nil, "the hour-long timer still holds the exchange")
    }

    @Test func anAnsweredExchangeHoldsNoneOfItsAnswer() async throws {
        let pending = Exchange.Pending(cap: 1 << 20)
        let url = try #require(URL(string: "http://127.0.0.1/page"))
        let response = try #require(HTTPURLResponse(url: url, statusCode: 200, httpVersion: nil, headerFields: nil))
        let (data, _) = try await withCheckedThrowingContinuation { continuation in
            #expect(pending.attach(continuation))
            #expect(pending.received(response))
            pending.received(Data(repeating: 7, count: 150_000))
            #expect(pending.heldBytes == 150_000)
            pending.completed(nil)
        }
        #expect(data.count == 150_000)
        #expect(pending.heldBytes == 0)
    }

    @Test func anExchangeCancelledBeforeItBeganSaysSo() async {
        let pending = Exchange.Pending(cap: 1 << 20)
        pending.finish(.failure(CancellationError()))
        await #expect(throws: CancellationError.self) {
            _ = try await withCheckedThrowingContinuation { continuation in
                #expect(!pending.attach(continuation))
            }
        }
    }
}
