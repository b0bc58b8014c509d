import DrillRegistry
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// The per-request context: Hummingbird's core storage plus the peer's socket address.
///
/// The source address the registry judges (CIDR allowlists) comes from the socket only; headers
/// such as `X-Forwarded-For` are never read.
public struct DrillRequestContext: Hummingbird.RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// What the registry said about this request once allowed; sent back as `npm-notice` headers.
    let notices = RequestNotices()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Publish bodies carry a base64 tarball; the server enforces its own limits when it reads a body.
    public var maxUploadSize: Int { 64 * 1024 * 1024 }
}

/// `regdrill serve`: the simulated registry over the npm registry HTTP protocol, so the real npm CLI
/// (10.8.2) can log in, manage tokens and 2FA, publish, install, tag, own and unpublish against it.
///
/// The server has no rules of its own: it turns each HTTP request into a registry request
/// (credential, second factor, source address from the socket), and turns the registry's answer or
/// refusal into exactly the status and headers npm understands (npm-protocol.md §10).
public struct RegistryServer: Sendable {
    public struct Configuration: Sendable {
        /// The address to bind. Loopback by default; anything else only when asked (see ``bindWarning(host:)``).
        public var host: String
        /// The port to bind; 0 picks a free one (``RunningRegistryServer/port`` tells which).
        public var port: Int
        /// The largest JSON body of ordinary API calls.
        public var maximumJSONBytes: Int
        /// The largest package document (a publish carries the tarball in base64; a deprecate sends back the whole packument).
        public var maximumDocumentBytes: Int
        /// How long a pending web login waits for its sign-in, in seconds.
        public var webLoginLifetime: Int64
        /// How long a `doneUrl` poll is held open waiting for the sign-in before it answers 202.
        ///
        /// npm 10.8.2 waits out `Retry-After` on an unreferenced timer: with `--browser=false`, or when
        /// stdin is not a TTY, nothing else keeps node running and npm dies with "Exit handler never
        /// called!" unless the sign-in already happened. A held poll keeps its socket (and so npm) alive,
        /// and answers the moment the form is submitted. Two minutes stays well inside npm's own
        /// `fetch-timeout` (five minutes).
        public var webLoginPollHold: Duration
        /// The address a request is judged from when the transport reports none (only in-process tests, never a socket).
        public var sourceAddressWhenUnknown: IPAddress
        /// Where the simulated mail system delivers (emailed login codes): the facilitator's console by default.
        public var deliverMail: @Sendable (Mail) -> Void
        /// How many connections at once, and how long each may keep the server waiting.
        public var connectionLimits: ConnectionLimits

        public init(host: String = "127.0.0.1", port: Int = 4873, maximumJSONBytes: Int = 1 << 20,
                    maximumDocumentBytes: Int? = nil, webLoginLifetime: Int64 = 600, webLoginPollHold: Duration = .seconds(120),
                    sourceAddressWhenUnknown: IPAddress = .loopback,
                    deliverMail: @escaping @Sendable (Mail) -> Void = RegistryServer.printMail,
                    connectionLimits: ConnectionLimits = .init()) {
            self.host = host
            self.port = port
            self.maximumJSONBytes = maximumJSONBytes
            self.maximumDocumentBytes = maximumDocumentBytes ?? 0
            self.webLoginLifetime = webLoginLifetime
            self.webLoginPollHold = webLoginPollHold
            self.sourceAddressWhenUnknown = sourceAddressWhenUnknown
            self.deliverMail = deliverMail
            self.connectionLimits = connectionLimits
        }
    }

    public let registry: Registry
    public let configuration: Configuration
    public let logger: Logger

    public init(registry: Registry, configuration: Configuration = .init(), logger: Logger? = nil) {
        self.registry = registry
        var configuration = configuration
        if configuration.maximumDocumentBytes <= 0 {
            // base64 of the largest tarball the registry takes, plus room for the manifest and readme.
            configuration.maximumDocumentBytes = registry.configuration.maximumTarballBytes / 3 * 4 + 4 * 1024 * 1024
        }
        self.configuration = configuration
        self.logger = logger ?? Logger(label: "regdrill.serve") { ConsoleLogHandler(label: $0) }
    }

    public init(registry: Registry, host: String = "127.0.0.1", port: Int = 4873, logger: Logger? = nil) {
        self.init(registry: registry, configuration: .init(host: host, port: port), logger: logger)
    }

    /// The Hummingbird application; `onRunning` gets the bound port once the socket listens.
    ///
    /// Tests use it with HummingbirdTesting (`.router` for in-process requests, `.live` for a socket).
    public func makeApplication(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let core = ServerCore(registry: registry, configuration: configuration, logger: logger)
        let connections = ConnectionTracker(limits: configuration.connectionLimits, logger: logger)
        return Application(
            responder: NPMResponder(core: core),
            // Deadlines first, so they see every request and answer; then cached anonymous packument GETs are answered
            // on the event loop, before Hummingbird (CachedPackumentHandler).
            server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionDeadlines(tracker: connections),
                                                                             CachedPackumentHandler(core: core)])),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "regdrill",
                                 availableConnectionsDelegate: ConnectionAdmission(tracker: connections)),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    /// Runs until SIGINT or SIGTERM; `onRunning` gets the bound port (useful with port 0).
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await makeApplication(onRunning: onRunning).runService()
    }

    /// Starts serving in the background and returns once the socket listens (for tests and embedding).
    public func start() async throws -> RunningRegistryServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = makeApplication { port in
            continuation.yield(port)
            continuation.finish()
        }
        let task = Task {
            defer { continuation.finish() }
            try await app.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            // The application stopped before it listened: surface why.
            try await task.value
            throw ServerStartError(message: "the server stopped before it started listening on \(configuration.host):\(configuration.port)")
        }
        return RunningRegistryServer(host: configuration.host, port: port, task: task)
    }

    /// Makes Swift concurrency run its tasks on the server's event loops, so a request's handler does not hop from
    /// the socket's thread to another and back. Call it first thing in the process, before any other task runs;
    /// false means it could not be done (the server works either way, a little slower).
    public static func runTasksOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// A warning to print when `host` is not a loopback address: the registry would be reachable from the network.
    public static func bindWarning(host: String) -> String? {
        if isLoopback(host: host) { return nil }
        return """
            WARNING: binding \(host), not loopback: anyone who can reach this machine can use the simulated registry, \
            and tokens and passwords travel in clear over http. Use it only on a network you control.
            """
    }

    /// The URL to hand to npm for a server bound to `host`: a wildcard bind is reached through loopback here.
    public static func displayURL(host: String, port: Int) -> String {
        let reachable = host == "0.0.0.0" ? "127.0.0.1" : (host == "::" || host == "[::]" ? "::1" : host)
        let shown = reachable.contains(":") && !reachable.hasPrefix("[") ? "[\(reachable)]" : reachable
        return "http://\(shown):\(port)"
    }

    public static func isLoopback(host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        guard let ip = IPAddress(host), ip.isIPv4 else { return false }
        return ip.bytes[0] == 127
    }

    /// Prints a delivered mail on the console: in the simulation, the console is the facilitator's view of every mailbox.
    public static let printMail: @Sendable (Mail) -> Void = { mail in
        var line = "[mail] to \(mail.address): \(mail.subject)"
        if let code = mail.code { line += ": \(code)" }
        // One line: an address with a line break in it cannot print a second, forged mail line.
        FileHandle.standardOutput.write(Data((UntrustedText.line(line, limit: ConsoleLogHandler.lineLimit) + "\n").utf8))
    }
}

public struct ServerStartError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A server started with ``RegistryServer/start()``.
public struct RunningRegistryServer: Sendable {
    public let host: String
    public let port: Int
    let task: Task<Void, any Error>

    /// `http://host:port`, without a trailing slash.
    public var baseURL: String {
        let h = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "http://\(h):\(port)"
    }

    /// Stops serving and waits until the socket is closed.
    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
