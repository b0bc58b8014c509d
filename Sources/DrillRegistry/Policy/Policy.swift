/// The one place that decides. The in-process engine and the HTTP server both ask it.
///
/// `decide` walks ``Rule/catalog`` in order; the first rule that refuses decides. A rule that
/// needs a second factor refuses only when none was verified; if a bad one came, the matching
/// rule of ``Rule/secondFactorFailures`` reports it instead (so a relayed security-key assertion
/// is reported as `security-key.wrong-origin`, a replayed code as `otp.reused`).
public enum Policy {
    /// - Parameter rules: the rules to walk, ``Rule/catalog`` unless a caller judges only its first part (see
    ///   ``Registry/judgeCredential(for:_:target:)``).
    public static func decide(_ facts: RequestFacts, rules: [Rule] = Rule.catalog) -> Decision {
        for rule in rules {
            switch rule.kind {
            case .refuses(let refuses):
                if refuses(facts) { return .denied(rule.denial(for: facts)) }
            case .needsSecondFactor(let needs):
                guard needs(facts) else { continue }
                if case .verified = facts.secondFactor { continue }
                if let failure = Rule.secondFactorFailures.first(where: { if case .refuses(let r) = $0.kind { r(facts) } else { false } }) {
                    var denial = failure.denial(for: facts)
                    if case .accountSecondFactor = failure.attribution { denial.defense = rule.defense(for: facts) }
                    return .denied(denial)
                }
                var denial = rule.denial(for: facts)
                denial.liftedBySecondFactor = true
                return .denied(denial)
            }
        }
        return .allowed
    }

    /// Every rule the policy knows, in checking order, followed by the second-factor failure rules.
    public static var allRules: [Rule] { Rule.catalog + Rule.secondFactorFailures }
}
