import DrillRegistry
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Answers an anonymous packument GET whose document is already rendered, on the connection's event loop.
///
/// This is the request npm sends most, and the one the benchmark measures. Through Hummingbird it goes from the socket's
/// thread into an async task and back; here the same answer is written at once. It is the same answer: the same
/// route parsing (``Route/parse(rawPath:)``), the same cache keyed on the store's write generation and the base URL
/// (``PackumentCache``), the same headers. Anonymous reads are neither judged nor audited on either path; anything else
/// (a credential, a query, a body, `Connection: close`, a miss) goes on to Hummingbird untouched.
///
/// It also answers requests that are not HTTP at all (a malformed request line, headers over the limit, a broken
/// chunk size: what the HTTP parser refuses before any of the server's code runs) with a 400 and a JSON `error`
/// saying what was wrong, then closes the connection, where Hummingbird would send an empty 400.
///
/// HTTP/1.1 lets a client send requests before the answers to earlier ones: answers must leave in order. The handler
/// counts the requests it passed on whose answers have not ended, and only answers itself when there are none.
///
/// A client may also pipeline requests and never read the answers. Answers written here wait in the channel's
/// outbound buffer; once it is over its high-water mark (the channel is not writable) the handler asks the socket for
/// no more input until the client has read enough, as Hummingbird's own path does. Without that, one client grew the
/// server by gigabytes in seconds (docs/hardening.md, "Connections").
final class CachedPackumentHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let core: ServerCore
    /// Requests passed on to Hummingbird whose answer has not ended yet.
    private var passedOn = 0
    /// A request this handler will answer, waiting for its end (or for a body, which sends it on after all).
    private var held: (head: HTTPRequest, route: Route, document: ByteBuffer, started: ContinuousClock.Instant)?
    private var date = HTTPDate()
    /// A read the channel asked for while it was not writable, to pass on once it is.
    private var readDeferred = false

    init(core: ServerCore) { self.core = core }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if head.method == .connect, passedOn == 0, held == nil {
                // Through Hummingbird a CONNECT got a 400 with neither body nor length, and the client waited for the
                // connection to close. This is a registry, not a proxy.
                answerConnectAndClose(context)
                core.logger.info("CONNECT 405")
                return
            }
            if passedOn == 0, let (route, document) = cachedDocument(for: head) {
                held = (head, route, document, .now)
                return
            }
            passedOn += 1
            context.fireChannelRead(data)
        case .body:
            if let request = held {
                // A GET with a body is unusual: let the ordinary path have all of it.
                held = nil
                passedOn += 1
                context.fireChannelRead(wrapInboundOut(.head(request.head)))
            }
            context.fireChannelRead(data)
        case .end:
            guard let request = held else { return context.fireChannelRead(data) }
            held = nil
            var fields = Reply.jsonHeaders
            fields[.contentLength] = String(request.document.readableBytes)
            fields[.date] = date.now()
            fields[.server] = "regdrill"
            context.write(wrapOutboundOut(.head(HTTPResponse(status: .ok, headerFields: fields))), promise: nil)
            context.write(wrapOutboundOut(.body(request.document)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            core.logger.debug("GET \(request.route.logName) 200 \(NPMResponder.milliseconds(since: request.started))ms")
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard passedOn == 0, held == nil, context.channel.isActive, let message = Self.protocolErrorMessage(error) else {
            return context.fireErrorCaught(error)
        }
        // The parser stops at its first error and reads nothing more: answer once, then close.
        answerAndClose(context, status: .badRequest, ["error": .string(message), "rule": .string(RuleID.httpMalformed.rawValue)])
        core.logger.info("<not HTTP> 400 (\(message))")
    }

    /// A JSON answer with its length, then the connection closed: nothing more is read from it.
    private func answerAndClose(_ context: ChannelHandlerContext, status: HTTPResponse.Status, _ object: [String: JSONValue]) {
        let body = ByteBuffer(bytes: JSONValue.object(object).encoded())
        var fields = Reply.jsonHeaders
        fields[.contentLength] = String(body.readableBytes)
        fields[.connection] = "close"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.close(promise: nil)
    }

    /// The refusal of a CONNECT: a 405 whose JSON `error` says why, then the connection closed.
    ///
    /// NIO's HTTP/1 encoder frames every answer to a CONNECT without a body, since a 2xx one turns the connection into
    /// a tunnel and must not carry one (RFC 9110 §9.3.6); but a refusal is an ordinary answer that may, and through
    /// the encoder it lost its body and its length. So this one answer is written as bytes below the encoder. Nothing
    /// else is written on the connection: it is closed at once, so the encoder's record of the CONNECT does not matter.
    private func answerConnectAndClose(_ context: ChannelHandlerContext) {
        let refusal: [String: JSONValue] = ["error": "CONNECT is not supported: this is an npm registry, not a proxy."]
        let body = JSONValue.object(refusal).encoded()
        guard let encoder = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self) else {
            // Not the pipeline this handler was written for: the encoder's framing (no body) is still a clean answer.
            return answerAndClose(context, status: .methodNotAllowed, refusal)
        }
        let head = "HTTP/1.1 405 Method Not Allowed\r\n" + Reply.jsonHeaders.map { "\($0.name): \($0.value)\r\n" }.joined()
            + "Allow: GET, PUT, POST, DELETE\r\nContent-Length: \(body.count)\r\nConnection: close\r\nDate: \(date.now())\r\n"
            + "Server: regdrill\r\n\r\n"
        var bytes = ByteBuffer(string: head)
        bytes.writeBytes(body)
        encoder.writeAndFlush(NIOAny(bytes), promise: nil)
        context.close(promise: nil)
    }

    /// What to tell a client whose bytes the HTTP parser refused; nil for any other error.
    static func protocolErrorMessage(_ error: any Error) -> String? {
        if let parser = error as? HTTPParserError {
            switch parser {
            case .headerOverflow: return "The request's headers are larger than this server accepts."
            case .invalidContentLength, .unexpectedContentLength: return "The request's Content-Length is not valid."
            case .invalidChunkSize: return "The request's chunked body has an invalid chunk size."
            case .invalidMethod: return "The request's method is not a valid HTTP method."
            case .invalidVersion: return "The request is not HTTP/1.x."
            default: return "The request is not well-formed HTTP/1.1 (\(parser))."
            }
        }
        if error is HTTP1TypeConversionError { return "The request's method or target is not one this server can read." }
        return nil
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), passedOn > 0 { passedOn -= 1 }
        context.write(data, promise: promise)
    }

    /// Reads no more requests while answers are piling up unread.
    func read(context: ChannelHandlerContext) {
        guard context.channel.isWritable else {
            readDeferred = true
            return
        }
        context.read()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, readDeferred {
            readDeferred = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }

    /// The rendered document when `head` is an anonymous GET of a packument the cache holds for the current store.
    func cachedDocument(for head: HTTPRequest) -> (Route, ByteBuffer)? {
        guard head.method == .get, head.headerFields[.authorization] == nil,
              let path = head.path, !path.utf8.contains(UInt8(ascii: "?")),
              !(head.headerFields[.connection]?.lowercased().contains("close") ?? false),
              let route = Self.packumentRoute(path), case .packument(let name) = route
        else { return nil }
        let base = core.baseURL(authority: head.authority)
        guard let document = core.packuments.lookup(name: name, baseURL: base, generation: core.registry.store.generation) else { return nil }
        return (route, document)
    }
}

extension CachedPackumentHandler {
    /// The route of `path`, as ``Route/parse(rawPath:)`` reads it, or nil for a path it refuses. `/<name>` with nothing
    /// to decode and a valid name is read directly (the common case, and the same answer: a package, not the API's `-`).
    static func packumentRoute(_ path: String) -> Route? {
        let rest = path.utf8.dropFirst()
        if path.utf8.first == UInt8(ascii: "/"), !rest.contains(UInt8(ascii: "/")), !rest.contains(UInt8(ascii: "%")) {
            let name = String(path.dropFirst())
            if name != "-", PackageName.problem(with: name) == nil { return .packument(package: name) }
        }
        return try? Route.parse(rawPath: path)
    }
}

/// The `Date` header (``Timestamp/http(_:)``), rendered once per second.
struct HTTPDate {
    private var second: Int64 = -1
    private var text = ""

    mutating func now() -> String {
        let current = SystemClock().now()
        if current != second {
            second = current
            text = Timestamp.http(current)
        }
        return text
    }
}
