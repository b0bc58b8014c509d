import DrillRegistry
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// Login (web and legacy), logout, whoami and the user document (npm-protocol.md §2 rows 1-6, §7).
extension ServerCore {
    // MARK: Web login

    /// `POST /-/v1/login`: a new pending login; npm opens `loginUrl` and polls `doneUrl`.
    func webLoginStart(_ request: Request, _ context: DrillRequestContext) async throws -> Response {
        let body = try await jsonObject(request, context, for: .login, allowEmpty: true)
        let create = body["create"]?.boolValue ?? false
        guard let id = webLogins.begin(create: create, now: registry.clock.now(), source: sourceAddress(context).description) else {
            // A 4xx makes npm fall back to the legacy prompts, which still work.
            return Reply.error(.badRequest, "Too many web logins are pending; try again in a few minutes, or use npm login --auth-type=legacy.")
        }
        let base = baseURL(request)
        return Reply.json(["loginUrl": .string("\(base)/-/v1/login/web/\(id)"), "doneUrl": .string("\(base)/-/v1/login/done/\(id)")])
    }

    func webLoginPage(id: String) -> Response {
        guard let session = webLogins.session(id, now: registry.clock.now()) else { return Reply.html(LoginPage.gone(), status: .notFound) }
        if session.token != nil { return Reply.html(LoginPage.page(title: "Signed in", body: "<h1>Already signed in</h1><p>Go back to your terminal.</p>")) }
        return Reply.html(LoginPage.form(create: session.create, action: "/-/v1/login/web/\(id)", offersSkip: offersSkip))
    }

    /// The sign-in form's POST: the registry checks the password and second factor exactly as for any login.
    func webLoginSubmit(id: String, _ request: Request, _ context: DrillRequestContext) async throws -> Response {
        guard let session = webLogins.session(id, now: registry.clock.now()), session.token == nil else {
            return Reply.html(LoginPage.gone(), status: .notFound)
        }
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            throw BadInput(.unsupportedMediaType, "Send the login form as application/x-www-form-urlencoded.")
        }
        guard let fields = Text.formFields(try await body(request, limit: 16 * 1024)) else {
            throw BadInput.badRequest("The login form is not valid urlencoded UTF-8.")
        }
        let action = "/-/v1/login/web/\(id)"
        let username = (fields["username"] ?? "").trimmingCharacters(in: .whitespaces)
        let email = (fields["email"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = fields["password"] ?? ""
        guard !username.isEmpty, !password.isEmpty, !session.create || !email.isEmpty else {
            return Reply.html(LoginPage.form(create: session.create, action: action, username: username, email: email,
                                             message: "Fill in every field.", isError: true, offersSkip: offersSkip), status: .badRequest)
        }
        do {
            let token = try await login(username: username, password: password, email: session.create ? email : nil,
                                        otp: fields["otp"], context: context, skipsSecondFactorBriefly: offersSkip && fields["skip2fa"] == "on")
            guard webLogins.approve(id, token: token, now: registry.clock.now()) else { return Reply.html(LoginPage.gone(), status: .notFound) }
            return Reply.html(LoginPage.done(username: username))
        } catch let refusal as Refusal {
            let status: HTTPResponse.Status = switch refusal.response {
            case .otpChallenge, .ipAddress, .badPassword, .badToken: .unauthorized
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .badRequest: .badRequest
            case .serverFault: .internalServerError
            }
            var message = "\(refusal.message) [rule \(refusal.rule), defense \(refusal.defense.rawValue)]"
            if refusal.response == .otpChallenge { message += " Enter it in the last field and submit again." }
            return Reply.html(LoginPage.form(create: session.create, action: action, username: username, email: email,
                                             message: message, isError: true, offersSkip: offersSkip), status: status)
        }
    }

    /// `GET <doneUrl>`: 202 with `Retry-After` until the sign-in succeeded, then the token, once.
    /// The poll is held open for a while first (see ``RegistryServer/Configuration/webLoginPollHold``).
    func webLoginDone(id: String) async -> Response {
        let deadline = ContinuousClock.now + configuration.webLoginPollHold
        // Stop holding when the server shuts down (Ctrl-C), so a waiting `npm login` never delays it.
        while webLogins.poll(id, now: registry.clock.now(), consume: false) == .pending, ContinuousClock.now < deadline,
              !Task.isShuttingDownGracefully {
            do { try await Task.sleep(for: .milliseconds(100)) } catch { break }
        }
        switch webLogins.poll(id, now: registry.clock.now()) {
        case .pending:
            return Reply.json([:], status: .accepted, headers: [.retryAfter: "1"])
        case .done(let token):
            return Reply.json(["token": .string(token)])
        case .unknown:
            return Reply.error(.notFound, "This login session has expired or already finished; run npm login again.")
        }
    }

    // MARK: Legacy login and adduser

    /// `PUT /-/user/org.couchdb.user:<name>`: `npm login --auth-type=legacy` (or with `--otp`), and legacy adduser (with `email`).
    func legacyLogin(name: String, _ request: Request, _ context: DrillRequestContext) async throws -> Response {
        let body = try await jsonObject(request, context, for: .login)
        if let bodyName = body["name"]?.stringValue, bodyName != name {
            throw BadInput.badRequest("The body's name '\(bodyName.prefix(60))' does not match the user in the path '\(name.prefix(60))'.")
        }
        guard let password = body["password"]?.stringValue, !password.isEmpty else {
            throw BadInput.badRequest("A login needs a non-empty \"password\" string in the body.")
        }
        let email = body["email"]?.stringValue
        do {
            let token = try await login(username: name, password: password, email: email, otp: request.headers[.npmOTP], context: context)
            return Reply.json(["ok": true, "id": .string("org.couchdb.user:\(name)"), "rev": "_we_dont_use_revs_any_more", "token": .string(token)],
                              status: .created)
        } catch let refusal as Refusal where refusal.rule == .unknownAccount {
            // npm turns a 400 into `There is no user with the username "<name>".` (npm-protocol.md §7).
            return Reply.error(.badRequest, "There is no user with the username \"\(name)\". [rule \(refusal.rule), defense \(refusal.defense.rawValue)]",
                               extra: ["rule": .string(refusal.rule.rawValue), "defense": .string(refusal.defense.rawValue)])
        }
    }

    /// Logs in (creating the account first when an email is given for a new name); returns the token.
    /// Whether the website's 2FA prompt offers "skip 2FA for the next 5 minutes" in this registry's era.
    var offersSkip: Bool { registry.era.has(.webSecondFactorGrace) }

    func login(username: String, password: String, email: String?, otp: String?, context: DrillRequestContext,
               skipsSecondFactorBriefly: Bool = false) async throws -> String {
        let source = sourceAddress(context)
        if let email, try await read({ try $0.account(username) }) == nil {
            _ = try await callHashing(from: source) { registry throws(Refusal) in
                try registry.createAccount(name: username, email: email, password: password, context: .anonymous(from: source))
            }
        }
        let request = RegistryRequest(credential: .password(username: username, password: password),
                                      secondFactor: Self.secondFactor(otp), sourceAddress: source, skipsSecondFactorBriefly: skipsSecondFactorBriefly)
        do {
            return try await callHashing(from: source) { registry throws(Refusal) in try registry.login(request).token }
        } catch let refusal as Refusal where refusal.isEmailedCodeChallenge {
            // The registry mails a new code only when none was presented; deliver exactly that one.
            if request.secondFactor == .none { await deliverLoginCode(account: username) }
            throw refusal
        }
    }

    // MARK: Logout, whoami, user documents

    /// `DELETE /-/user/token/<token>`: the token in the path stops working.
    func logout(token: String, _ request: Request, _ context: DrillRequestContext) async throws -> Response {
        let ctx = RegistryRequest(credential: .bearer(token), secondFactor: Self.secondFactor(request.headers[.npmOTP]), sourceAddress: sourceAddress(context),
                                  notices: context.notices)
        try await call { registry throws(Refusal) in try registry.logout(ctx) }
        return Reply.json(["ok": true])
    }

    func whoami(_ request: Request, _ context: DrillRequestContext) async throws -> Response {
        let ctx = try registryRequest(request, context)
        let profile = try await call { registry throws(Refusal) in try registry.profile(ctx) }
        return Reply.json(["username": .string(profile.name)])
    }

    /// `GET /-/user/org.couchdb.user:<name>`: what `npm owner add` looks up (name and email, as npmjs shows them).
    func userDocument(_ name: String) async throws -> Response {
        guard let account = try await read({ try $0.account(name) }) else {
            return Reply.error(.notFound, "There is no user with the username \"\(name)\".")
        }
        return Reply.json(["_id": .string("org.couchdb.user:\(account.name)"), "name": .string(account.name), "email": .string(account.email)])
    }
}
