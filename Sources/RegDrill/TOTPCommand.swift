import ArgumentParser
import DrillCrypto
import Foundation

extension HashAlgorithm: ExpressibleByArgument {}

/// `regdrill totp SECRET`: prints the current RFC 6238 code for a base32 secret.
///
/// For workshop participants without an authenticator app; `--at` makes the output reproducible.
struct TOTPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "totp",
        abstract: "Print the current TOTP code for a base32 secret (for participants without an authenticator app)."
    )

    @Argument(help: "The shared secret in base32 (RFC 4648), as in an otpauth URI; case and spaces are ignored.")
    var secret: String

    @Option(help: ArgumentHelp("The Unix time to compute the code for (default: now).", valueName: "UNIX_SECONDS"))
    var at: Int64?

    @Option(help: ArgumentHelp("The number of digits, 6 to 8.", valueName: "N"))
    var digits: Int = 6

    @Option(help: "The HMAC hash function.")
    var algorithm: HashAlgorithm = .sha1

    func run() throws {
        let totp: TOTP
        do {
            totp = try TOTP(base32Secret: secret, digits: digits, algorithm: algorithm)
        } catch {
            throw ValidationError(error.description)
        }
        let now = at ?? Int64(Date().timeIntervalSince1970.rounded(.down))
        print(totp.code(at: now))
    }
}
