#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Hummingbird
import HummingbirdCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTPTypes

/// How many connections the server holds at once and how long each may keep it waiting.
///
/// Without these, a client that opens connections and sends nothing (or a request head one byte at a time, or a
/// body that never comes) holds a file descriptor for ever; about 1,100 of them at `ulimit -n 1024` used up the
/// process' descriptors and crashed it (docs/hardening.md, "Connections").
public struct ConnectionLimits: Sendable, Equatable {
    /// The most connections open at once. At the limit, the connection that has waited longest for a request head is
    /// closed to make room; when none is waiting, new connections wait in the listen backlog until one ends.
    public var maximumConnections: Int
    /// How long a connection may take to send a complete request head, counted from when it opened or from the end of
    /// the answer to its previous request. This is the idle timeout of a kept-alive connection and the header timeout
    /// (slowloris) at once: the HTTP parser delivers nothing before a head is complete, so a client that sends a head
    /// slowly gets no longer than one that sends nothing.
    public var requestHeadTimeout: Duration
    /// How long the whole body of a request may take to arrive, from its head.
    public var requestBodyTimeout: Duration

    public init(maximumConnections: Int = ConnectionLimits.maximumConnectionsForDescriptorLimit(),
                requestHeadTimeout: Duration = .seconds(15), requestBodyTimeout: Duration = .seconds(120)) {
        self.maximumConnections = max(1, maximumConnections)
        self.requestHeadTimeout = requestHeadTimeout
        self.requestBodyTimeout = requestBodyTimeout
    }

    /// A connection limit that leaves room under the process' descriptor limit (`ulimit -n`) for everything else the
    /// server opens: the listening socket, the SQLite files, the runtime's own descriptors. An eighth of the limit,
    /// and at least 64, is kept back; never more than 10,000 connections.
    public static func maximumConnectionsForDescriptorLimit() -> Int {
        var limit = rlimit()
        #if canImport(Glibc)
        let ok = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0
        #else
        let ok = getrlimit(RLIMIT_NOFILE, &limit) == 0
        #endif
        // No limit (RLIM_INFINITY is the largest value) or one too large to matter: the cap.
        guard ok, limit.rlim_cur < 1_000_000 else { return 10_000 }
        let descriptors = Int(clamping: limit.rlim_cur)
        return min(10_000, max(16, descriptors - max(64, descriptors / 8)))
    }
}

/// The server's open connections, and which of them are waiting for a request head (and since when).
///
/// Shared by every connection's ``ConnectionDeadlines`` handler and the listening socket's ``ConnectionAdmission``.
final class ConnectionTracker: Sendable {
    private struct Waiting {
        var channel: any Channel
        var since: NIODeadline
    }

    private struct State {
        var open = 0
        var waiting: [ObjectIdentifier: Waiting] = [:]
        /// The listener stopped accepting at the limit with no connection waiting for a request to close: the next
        /// connection that waits for one makes room.
        var admissionPending = false

        /// Takes the connection that has waited longest for a request head out of the waiting set.
        mutating func removeLongestWaiting() -> (any Channel)? {
            guard let oldest = waiting.min(by: { $0.value.since < $1.value.since }) else { return nil }
            waiting.removeValue(forKey: oldest.key)
            return oldest.value.channel
        }
    }

    let limits: ConnectionLimits
    let logger: Logger
    private let state = NIOLockedValueBox(State())

    init(limits: ConnectionLimits, logger: Logger) {
        self.limits = limits
        self.logger = logger
    }

    func opened() { state.withLockedValue { $0.open += 1 } }

    func closed() {
        state.withLockedValue {
            $0.open -= 1
            // The listener accepts again on any close (Hummingbird asks ``admitsNewConnection()`` then).
            $0.admissionPending = false
        }
    }

    func waitingForHead(_ channel: any Channel) {
        let victim: (any Channel)? = state.withLockedValue { state in
            state.waiting[ObjectIdentifier(channel)] = Waiting(channel: channel, since: .now())
            guard state.admissionPending, state.open >= limits.maximumConnections else { return nil }
            state.admissionPending = false
            return state.removeLongestWaiting()
        }
        evict(victim)
    }

    func busy(_ channel: any Channel) {
        _ = state.withLockedValue { $0.waiting.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Whether a new connection may be accepted now. At the limit, closes the connection that has waited longest for a
    /// request head (its close lets the listener accept again) and answers false; when none is waiting (every
    /// connection busy, or too new to have registered), the first that comes to wait for a request makes room.
    func admitsNewConnection() -> Bool {
        let (atLimit, victim): (Bool, (any Channel)?) = state.withLockedValue { state in
            guard state.open >= limits.maximumConnections else { return (false, nil) }
            let victim = state.removeLongestWaiting()
            state.admissionPending = victim == nil
            return (true, victim)
        }
        guard atLimit else { return true }
        evict(victim)
        return false
    }

    private func evict(_ victim: (any Channel)?) {
        guard let victim else { return }
        logger.info("connection limit (\(limits.maximumConnections)) reached: closed the connection that had waited longest for a request")
        victim.close(promise: nil)
    }
}

/// Hummingbird asks this, on the listening socket, whether to accept another connection.
struct ConnectionAdmission: AvailableConnectionsDelegate {
    let tracker: ConnectionTracker

    func connectionOpened() { tracker.opened() }
    func connectionClosed() { tracker.closed() }
    func isAcceptingNewConnections() -> Bool { tracker.admitsNewConnection() }
}

/// Closes a connection that keeps the server waiting: no complete request head within
/// ``ConnectionLimits/requestHeadTimeout`` of opening or of its last answer, or a body not complete within
/// ``ConnectionLimits/requestBodyTimeout`` of its head. A request the server is working on (a held web-login poll)
/// has no deadline: the wait is the server's, not the client's.
final class ConnectionDeadlines: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let tracker: ConnectionTracker
    /// Requests whose head arrived and whose answer has not ended.
    private var unanswered = 0
    private var readingBody = false
    private var timer: Scheduled<Void>?

    init(tracker: ConnectionTracker) { self.tracker = tracker }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { awaitHead(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        awaitHead(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        tracker.busy(context.channel)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
        tracker.busy(context.channel)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            unanswered += 1
            readingBody = true
            tracker.busy(context.channel)
            arm(context, after: tracker.limits.requestBodyTimeout, reason: "its request body was not complete")
        case .body:
            break
        case .end:
            readingBody = false
            cancelTimer()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            unanswered = max(0, unanswered - 1)
            if unanswered == 0, !readingBody { awaitHead(context) }
        }
        context.write(data, promise: promise)
    }

    private func awaitHead(_ context: ChannelHandlerContext) {
        tracker.waitingForHead(context.channel)
        arm(context, after: tracker.limits.requestHeadTimeout, reason: "no complete request head arrived")
    }

    private func arm(_ context: ChannelHandlerContext, after timeout: Duration, reason: String) {
        cancelTimer()
        let channel = context.channel
        let logger = tracker.logger
        timer = context.eventLoop.scheduleTask(in: .init(timeout)) {
            logger.info("closed a connection: \(reason) within \(timeout.components.seconds) s")
            channel.close(promise: nil)
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }
}
