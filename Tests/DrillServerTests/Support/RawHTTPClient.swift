#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What came back for one raw request: an HTTP answer, or the server closing the connection without one.
struct RawAnswer: Sendable {
    /// The status code, or nil when the connection closed (or timed out) before a complete status line.
    var status: Int?
    /// Header fields in the order received, names lowercased.
    var headers: [(name: String, value: String)] = []
    var body: [UInt8] = []
    /// The server ended the connection before a complete answer arrived.
    var closedWithoutAnswer = false
    /// Nothing (or only part of an answer) arrived within the read timeout.
    var timedOut = false
    /// Bytes of the request the client managed to write before the server answered or closed.
    var bytesWritten = 0

    func header(_ name: String) -> String? { headers.first { $0.name == name.lowercased() }?.value }
    var text: String { String(decoding: body, as: UTF8.self) }
    /// The JSON `error` string of the body, or nil when the body is not a JSON object with one.
    var errorText: String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        return object["error"] as? String
    }
    /// The JSON `rule` string of the body: which rule or check refused the request.
    var ruleText: String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        return object["rule"] as? String
    }
    /// Everything received (status line excluded), as text: for searching answers for secrets.
    var wholeText: String {
        headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n") + "\n" + text
    }
}

struct RawHTTPError: Error, CustomStringConvertible {
    var description: String
}

/// Sends bytes exactly as given over a plain TCP socket to 127.0.0.1 and reads one HTTP/1.1 answer.
///
/// The server tests need what no HTTP client library sends: truncated requests, bad chunk sizes,
/// CR bytes inside header values, lengths that lie. Blocking POSIX sockets with timeouts keep it
/// simple; each call runs on its own thread so the server's event loops are never blocked.
enum RawHTTPClient {
    /// - Parameters:
    ///   - request: the bytes to send, verbatim.
    ///   - halfClose: shut down the write side after sending (a client that died mid-request).
    ///   - timeout: how long to wait for the answer once the request is written.
    static func exchange(_ request: [UInt8], port: Int, halfClose: Bool = false, timeout: Double = 5) async throws -> RawAnswer {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try exchangeBlocking(request, port: port, halfClose: halfClose, timeout: timeout) })
            }
        }
    }

    /// A blocking TCP socket connected to 127.0.0.1:`port`, with send and receive timeouts.
    static func connected(port: Int, timeout: Double) throws -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw RawHTTPError(description: "socket() failed: errno \(errno)") }
        #if canImport(Darwin)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var tv = timeval()
        tv.tv_sec = .init(Int(timeout))
        tv.tv_usec = .init(Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw RawHTTPError(description: "connect to port \(port) failed: errno \(errno)") }
        return fd
    }

    /// Sends `requests` in one write (HTTP/1.1 pipelining; the last should say `Connection: close`) and reads every
    /// answer, in the order they came, until the server closes. Answers are read by `Content-Length`.
    ///
    /// On a thread of its own, like ``exchange(_:port:halfClose:timeout:)``: a blocking read on one of Swift
    /// concurrency's few threads could starve the server under test of the threads it needs to answer.
    static func pipelined(_ requests: [[UInt8]], port: Int, timeout: Double = 5) async throws -> [RawAnswer] {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try pipelinedBlocking(requests, port: port, timeout: timeout) })
            }
        }
    }

    static func pipelinedBlocking(_ requests: [[UInt8]], port: Int, timeout: Double) throws -> [RawAnswer] {
        let fd = try connected(port: port, timeout: timeout)
        defer { close(fd) }
        _ = writeUntilAnswered(fd, requests.flatMap { $0 })
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        var answers: [RawAnswer] = []
        var offset = 0
        while let end = find(Array("\r\n\r\n".utf8), in: received, from: offset) {
            var answer = RawAnswer()
            parseHead(Array(received[offset..<end]), into: &answer)
            let length = answer.header("content-length").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
            let bodyEnd = min(end + 4 + length, received.count)
            answer.body = Array(received[(end + 4)..<bodyEnd])
            answers.append(answer)
            offset = bodyEnd
        }
        return answers
    }

    static func exchangeBlocking(_ request: [UInt8], port: Int, halfClose: Bool, timeout: Double) throws -> RawAnswer {
        let fd = try connected(port: port, timeout: timeout)
        defer { close(fd) }
        var answer = RawAnswer()
        answer.bytesWritten = writeUntilAnswered(fd, request)
        if halfClose { shutdown(fd, Int32(SHUT_WR)) }
        readAnswer(fd, into: &answer)
        return answer
    }

    /// Writes in slices, stopping early when the server has already answered (a 413 before the body) or closed.
    ///
    /// A server that refuses a large body answers and closes while the client is still writing; if the client
    /// kept writing, the kernel would reset the connection and the answer would be lost.
    static func writeUntilAnswered(_ fd: Int32, _ bytes: [UInt8]) -> Int {
        let slice = 64 * 1024
        var offset = 0
        while offset < bytes.count {
            if offset > 0 {
                var probe = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                if poll(&probe, 1, 0) > 0 { break }
            }
            let n = bytes.withUnsafeBytes { raw -> Int in
                let end = min(offset + slice, bytes.count)
                #if canImport(Glibc)
                return send(fd, raw.baseAddress! + offset, end - offset, Int32(MSG_NOSIGNAL))
                #else
                return send(fd, raw.baseAddress! + offset, end - offset, 0)
                #endif
            }
            if n <= 0 { break }
            offset += n
        }
        return offset
    }

    static func readAnswer(_ fd: Int32, into answer: inout RawAnswer) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var headEnd: Int?
        var bodyLength: Int?
        var chunked = false
        while true {
            if let headEnd {
                let body = received.count - headEnd
                if let bodyLength, body >= bodyLength { break }
                if chunked, Array(received.suffix(5)) == Array("0\r\n\r\n".utf8) { break }
                if bodyLength == nil, !chunked, answer.status.map({ $0 == 204 || $0 == 304 || $0 < 200 }) == true { break }
            }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n == 0 { if headEnd == nil { answer.closedWithoutAnswer = true }; break }
            if n < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK { answer.timedOut = true } else if headEnd == nil { answer.closedWithoutAnswer = true }
                break
            }
            received += buffer[0..<n]
            if headEnd == nil, let end = find(Array("\r\n\r\n".utf8), in: received) {
                headEnd = end + 4
                parseHead(Array(received[0..<end]), into: &answer)
                bodyLength = answer.header("content-length").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                chunked = answer.header("transfer-encoding")?.lowercased().contains("chunked") == true
            }
        }
        guard let headEnd else { answer.status = nil; return }
        let raw = Array(received[headEnd...])
        answer.body = chunked ? dechunk(raw) : Array(raw.prefix(bodyLength ?? raw.count))
        if let bodyLength, answer.body.count < bodyLength { answer.closedWithoutAnswer = !answer.timedOut }
    }

    static func parseHead(_ head: [UInt8], into answer: inout RawAnswer) {
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ", maxSplits: 2) ?? []
        answer.status = statusParts.count >= 2 ? Int(statusParts[1]) : nil
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            answer.headers.append((line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
    }

    static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while let lineEnd = find(Array("\r\n".utf8), in: bytes, from: i),
              let size = Int(String(decoding: bytes[i..<lineEnd], as: UTF8.self).split(separator: ";").first ?? "", radix: 16), size > 0 {
            let start = lineEnd + 2
            guard start + size <= bytes.count else { break }
            out += bytes[start..<start + size]
            i = start + size + 2
        }
        return out
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for i in start...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<i + needle.count]) == needle { return i }
        }
        return nil
    }
}
