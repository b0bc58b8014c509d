@testable import DrillServer
import Foundation
import Synchronization
import Testing

/// The login queue takes turns between sources: a source with many logins queued does not hold up another's.
@Suite struct FairQueueTests {
    @Test func aSecondSourceIsServedNextNotLast() async throws {
        let queue = FairQueue()
        let order = Ordered<String>()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<20 {
                group.addTask {
                    await queue.run(source: "192.0.2.1") {
                        Thread.sleep(forTimeInterval: 0.02)
                        order.append("guess \(i)")
                    }
                }
            }
            // Once most of the guesses wait in the queue, the owner's login arrives.
            let deadline = ContinuousClock.now + .seconds(10)
            while (queue.waiting["192.0.2.1"] ?? 0) < 15, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(2)) }
            // Under a loaded machine fewer may be waiting by the deadline; the property below is relative to what
            // had run and what waited when the owner arrived, so it holds either way, and a first-come queue fails it.
            let doneWhenOwnerArrived = order.all.count
            let waitingWhenOwnerArrived = queue.waiting["192.0.2.1"] ?? 0
            try #require(waitingWhenOwnerArrived >= 3, "too few guesses queued to tell a fair queue from a first-come one")
            await queue.run(source: "198.51.100.7") { order.append("owner") }
            // The owner ran after at most the guess running when it arrived, one that may have started while it was being
            // queued, and one more (the ring's turn); a first-come queue would run every waiting guess first.
            let guessesBefore = try #require(order.all.firstIndex(of: "owner"))
            #expect(guessesBefore <= doneWhenOwnerArrived + 3, "order: \(order.all)")
            try await group.waitForAll()
        }
        #expect(order.all.count == 21)
    }

    @Test func eachSourceKeepsItsOwnOrder() async {
        let queue = FairQueue()
        let order = Ordered<Int>()
        for i in 0..<10 { await queue.run(source: "a") { order.append(i) } }
        #expect(order.all == Array(0..<10))
    }
}

/// What ran, in order, from any thread.
final class Ordered<Element: Sendable>: Sendable {
    private let items = Mutex<[Element]>([])
    func append(_ item: Element) { items.withLock { $0.append(item) } }
    var all: [Element] { items.withLock { $0 } }
}
