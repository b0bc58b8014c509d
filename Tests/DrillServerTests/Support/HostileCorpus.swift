import Foundation

/// What one request of the hostile corpus expects (its `.json` file, next to the `.http` request).
///
/// The format is described in `Hostile/README.md`.
struct HostileManifest: Decodable, Sendable {
    /// The kind of hostility; the figures are counted per kind.
    var kind: String
    /// What the request tries, in one sentence.
    var why: String
    /// The exact status the server must answer with, or
    var status: Int?
    /// an inclusive range, when more than one refusal is right (for example 401 before a rate limit, 403 after).
    var statusRange: [Int]?
    /// The JSON `error` of the answer must contain one of these.
    var error: [String]
    /// The HTTP parser may refuse the request before the registry's code sees it: either a bare 400 without a JSON
    /// body (Hummingbird's answer to a parse error) or a connection closed without an answer.
    var parserMayRefuse: Bool?
    /// Shut down the client's side after sending: the request is cut short and the client is gone.
    var halfClose: Bool?
    /// Send the file's bytes exactly as they are (by default the head's line feeds become CRLF).
    var verbatim: Bool?
    /// `crlf`: the body's line feeds become CRLF too (chunked framing).
    var bodyLineEndings: String?
    /// A large part made at run time rather than checked in.
    var generate: Generation?

    struct Generation: Decodable, Sendable {
        /// The text repeated `count` times in place of `{{GENERATED}}`.
        var text: String
        var count: Int
        /// Frame the whole body as `Transfer-Encoding: chunked` with chunks of this size.
        var chunkSize: Int?

        enum CodingKeys: String, CodingKey { case text = "repeat", count, chunkSize }
    }

    var acceptedStatuses: ClosedRange<Int> {
        if let status { return status...status }
        if let r = statusRange, r.count == 2 { return r[0]...r[1] }
        return 400...499
    }
}

/// One request of the corpus: its name (`kind/file`), what it expects, and its raw template.
struct HostileCase: Sendable, CustomStringConvertible {
    var name: String
    var manifest: HostileManifest
    var template: [UInt8]

    var description: String { name }

    /// The bytes to send: placeholders replaced with `values`, the generated part made, line endings and length fixed.
    func request(_ values: [String: String]) throws -> [UInt8] {
        let verbatim = manifest.verbatim ?? false
        var head = template
        var body: [UInt8] = []
        var separator: [UInt8] = []
        if !verbatim, let blank = RawHTTPClient.find(Array("\n\n".utf8), in: template) {
            head = Array(template[..<blank])
            body = Array(template[(blank + 2)...])
            separator = Array("\r\n\r\n".utf8)
            if manifest.bodyLineEndings == "crlf" {
                body = crlf(body)
            } else if body.last == UInt8(ascii: "\n") {
                body.removeLast()   // the file's final newline
            }
        }
        if !verbatim { head = crlf(head) }
        let generated = manifest.generate.map { Array(String(repeating: $0.text, count: $0.count).utf8) } ?? []
        body = try substitute(body, values, generated: generated)
        if let size = manifest.generate?.chunkSize { body = Self.chunked(body, size: size) }
        var all = values
        all["CONTENT_LENGTH"] = String(body.count)
        head = try substitute(head, all, generated: generated)
        return head + separator + body
    }

    private func crlf(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 16)
        for b in bytes {
            if b == UInt8(ascii: "\n") { out.append(UInt8(ascii: "\r")) }
            out.append(b)
        }
        return out
    }

    /// Replaces `{{NAME}}` placeholders: named values, `{{GENERATED}}`, `{{CR}}`, `{{LF}}`, `{{NUL}}` and `{{BYTES:hex hex}}`.
    private func substitute(_ bytes: [UInt8], _ values: [String: String], generated: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + generated.count)
        var i = 0
        let open = Array("{{".utf8), close = Array("}}".utf8)
        while i < bytes.count {
            guard bytes[i] == open[0], i + 1 < bytes.count, bytes[i + 1] == open[1],
                  let end = RawHTTPClient.find(close, in: bytes, from: i + 2) else {
                out.append(bytes[i]); i += 1; continue
            }
            let key = String(decoding: bytes[(i + 2)..<end], as: UTF8.self)
            switch key {
            case "GENERATED": out += generated
            case "CR": out.append(0x0d)
            case "LF": out.append(0x0a)
            case "NUL": out.append(0)
            case _ where key.hasPrefix("BYTES:"):
                for hex in key.dropFirst("BYTES:".count).split(separator: " ") {
                    guard let b = UInt8(hex, radix: 16) else { throw CorpusError("\(name): bad byte '\(hex)' in {{\(key)}}") }
                    out.append(b)
                }
            default:
                guard let value = values[key] else { throw CorpusError("\(name): unknown placeholder {{\(key)}}") }
                out += Array(value.utf8)
            }
            i = end + 2
        }
        return out
    }

    static func chunked(_ body: [UInt8], size: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count + body.count / size * 10 + 16)
        var offset = 0
        while offset < body.count {
            let n = min(size, body.count - offset)
            out += Array((String(n, radix: 16) + "\r\n").utf8)
            out += body[offset..<offset + n]
            out += Array("\r\n".utf8)
            offset += n
        }
        return out + Array("0\r\n\r\n".utf8)
    }
}

struct CorpusError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

enum HostileCorpus {
    /// Every case under `Hostile/`, sorted by name; each `.http` must have its `.json` and the other way round.
    static func load() throws -> [HostileCase] {
        guard let root = Bundle.module.url(forResource: "Hostile", withExtension: nil) else {
            throw CorpusError("the Hostile resource folder is missing from the test bundle")
        }
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        let requests = files.filter { $0.pathExtension == "http" }
        let manifests = files.filter { $0.pathExtension == "json" }
        let requestNames = Set(requests.map { $0.deletingPathExtension().path })
        if let orphan = manifests.first(where: { !requestNames.contains($0.deletingPathExtension().path) }) {
            throw CorpusError("\(orphan.lastPathComponent) has no .http request next to it")
        }
        var cases: [HostileCase] = []
        for url in requests {
            let manifestURL = url.deletingPathExtension().appendingPathExtension("json")
            let name = url.deletingLastPathComponent().lastPathComponent + "/" + url.deletingPathExtension().lastPathComponent
            guard let data = try? Data(contentsOf: manifestURL) else { throw CorpusError("\(name).http has no .json manifest") }
            let manifest: HostileManifest
            do { manifest = try JSONDecoder().decode(HostileManifest.self, from: data) } catch {
                throw CorpusError("\(name).json: \(error)")
            }
            guard manifest.kind == url.deletingLastPathComponent().lastPathComponent else {
                throw CorpusError("\(name).json says kind \(manifest.kind) but lives in another folder")
            }
            cases.append(HostileCase(name: name, manifest: manifest, template: [UInt8](try Data(contentsOf: url))))
        }
        return cases.sorted { $0.name < $1.name }
    }
}
