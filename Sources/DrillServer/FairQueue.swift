import NIOConcurrencyHelpers
import NIOPosix

/// Runs work on one thread, taking turns between sources: the next job is the oldest of the next source in a ring.
///
/// Logins hash a password (scrypt: about 40 ms of a core at the interactive cost). On one shared queue, 32 clients
/// guessing passwords from one address put 32 hashes ahead of every participant's `npm login`; here a participant
/// waits for at most one job of each other source that has work queued.
///
/// The pool gets one "run the next job" task per job submitted; which job each task runs is chosen when it runs, so
/// the turn-taking holds however the jobs arrived.
final class FairQueue: Sendable {
    private struct State {
        var queues: [String: [@Sendable () -> Void]] = [:]
        /// Sources with queued work, in the order they take turns.
        var ring: [String] = []
        var next = 0

        mutating func takeNext() -> (@Sendable () -> Void)? {
            guard !ring.isEmpty else { return nil }
            if next >= ring.count { next = 0 }
            let source = ring[next]
            var queue = queues[source] ?? []
            let job = queue.removeFirst()
            if queue.isEmpty {
                queues[source] = nil
                ring.remove(at: next)
            } else {
                queues[source] = queue
                next += 1
            }
            return job
        }
    }

    private let pool: NIOThreadPool
    private let state = NIOLockedValueBox(State())

    /// A queue with a thread of its own, for the life of the process.
    init() {
        pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
    }

    /// Runs `work` on the queue's thread, in `source`'s turn.
    func run<T: Sendable>(source: String, _ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            state.withLockedValue { state in
                if state.queues[source] == nil {
                    state.queues[source] = []
                    state.ring.append(source)
                }
                state.queues[source]!.append { continuation.resume(returning: work()) }
            }
            pool.submit { _ in
                self.state.withLockedValue { $0.takeNext() }?()
            }
        }
    }

    /// How many jobs wait, per source (for tests).
    var waiting: [String: Int] { state.withLockedValue { $0.queues.mapValues(\.count) } }
}
