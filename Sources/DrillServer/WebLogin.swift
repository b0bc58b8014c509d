import DrillCrypto
import Synchronization

/// Pending web logins (`npm login`, npm-protocol.md §7): the CLI polls `doneUrl` while the person
/// signs in on `loginUrl`. Kept in memory only, never in the registry's store: a pending login is
/// not registry state, and a restart simply makes the CLI's next poll fail.
final class WebLoginSessions: Sendable {
    struct Session: Sendable {
        var create: Bool
        var created: Int64
        var token: String?
        /// The address that started it: each address has its own share of the pending logins.
        var source: String = ""
    }

    enum Poll: Equatable {
        case pending
        case done(token: String)
        case unknown
    }

    private let sessions = Mutex<[String: Session]>([:])
    let lifetime: Int64
    let capacity: Int
    /// Pending logins one source address may hold: one anonymous client used to take all 1,000, and everyone's
    /// `npm login` was refused for ten minutes.
    let capacityPerSource: Int

    init(lifetime: Int64 = 600, capacity: Int = 1_000, capacityPerSource: Int = 20) {
        self.lifetime = lifetime
        self.capacity = capacity
        self.capacityPerSource = capacityPerSource
    }

    /// A new session id (128 random bits, hex), or nil when too many logins are pending.
    func begin(create: Bool, now: Int64, source: String = "") -> String? {
        let id = Hex.encode(SecureRandom.bytes(16))
        return sessions.withLock { all in
            all = all.filter { now - $0.value.created < lifetime }
            guard all.count < capacity, all.values.count(where: { $0.source == source && $0.token == nil }) < capacityPerSource else { return nil }
            all[id] = Session(create: create, created: now, token: nil, source: source)
            return id
        }
    }

    func session(_ id: String, now: Int64) -> Session? {
        sessions.withLock { all in
            guard let s = all[id], now - s.created < lifetime else { all[id] = nil; return nil }
            return s
        }
    }

    /// Records the token a successful sign-in produced; false when the session is gone or already done.
    func approve(_ id: String, token: String, now: Int64) -> Bool {
        sessions.withLock { all in
            guard var s = all[id], now - s.created < lifetime, s.token == nil else { return false }
            s.token = token
            all[id] = s
            return true
        }
    }

    /// What the CLI's poll gets; a finished session hands its token over once and is forgotten
    /// (`consume: false` only looks).
    func poll(_ id: String, now: Int64, consume: Bool = true) -> Poll {
        sessions.withLock { all in
            guard let s = all[id], now - s.created < lifetime else { all[id] = nil; return .unknown }
            guard let token = s.token else { return .pending }
            if consume { all[id] = nil }
            return .done(token: token)
        }
    }

    var pendingCount: Int { sessions.withLock { $0.count } }
}

/// The small, self-contained sign-in page behind `loginUrl`.
enum LoginPage {
    /// The sign-in form. `offersSkip` adds npm's "skip 2FA for the next 5 minutes" box (from 11 Feb 2026).
    static func form(create: Bool, action: String, username: String = "", email: String = "", message: String? = nil, isError: Bool = false,
                     offersSkip: Bool = false) -> String {
        let title = create ? "Create your drill registry account" : "Sign in to the drill registry"
        var fields = """
            <label>Username <input name="username" autocomplete="username" required value="\(Text.html(username))"></label>

            """
        if create {
            fields += """
                <label>Email <input name="email" type="email" autocomplete="email" required value="\(Text.html(email))"></label>

                """
        }
        fields += """
            <label>Password <input name="password" type="password" autocomplete="\(create ? "new-password" : "current-password")" required></label>
            <label>One-time password or emailed login code <small>(if asked)</small>
              <input name="otp" inputmode="numeric" autocomplete="one-time-code"></label>

            """
        if offersSkip {
            fields += """
                <label><input name="skip2fa" type="checkbox" value="on" style="display:inline; width:auto"> Skip 2FA for the next 5 minutes</label>

                """
        }
        let note = message.map { "<p class=\"\(isError ? "error" : "note")\">\(Text.html($0))</p>" } ?? ""
        return page(title: title, body: """
            <h1>\(Text.html(title))</h1>
            <p>This is <strong>regdrill</strong>, a simulated npm registry for security workshops. Nothing here is npmjs.com.</p>
            \(note)
            <form method="post" action="\(Text.html(action))">
            \(fields)  <button type="submit">\(create ? "Create account" : "Sign in")</button>
            </form>
            """)
    }

    static func done(username: String) -> String {
        page(title: "Signed in", body: """
            <h1>Signed in as \(Text.html(username))</h1>
            <p>Go back to your terminal: npm picks the new token up on its next poll.</p>
            """)
    }

    static func gone() -> String {
        page(title: "Login expired", body: """
            <h1>This login link has expired or was already used</h1>
            <p>Run <code>npm login</code> again to get a new one.</p>
            """)
    }

    static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(Text.html(title))</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>
        body { font-family: system-ui, sans-serif; max-width: 34em; margin: 3em auto; padding: 0 1em; color: #222; }
        label { display: block; margin: 0.8em 0; } input { display: block; width: 100%; padding: 0.4em; font-size: 1em; }
        button { padding: 0.5em 1.2em; font-size: 1em; } .error { color: #a00; border-left: 4px solid #a00; padding-left: 0.6em; }
        .note { border-left: 4px solid #06c; padding-left: 0.6em; } code { background: #eee; padding: 0 0.2em; }
        </style></head>
        <body>
        \(body)
        </body></html>
        """
    }
}
