/// The scenario that `regdrill new` writes: small, commented, and valid.
public enum ScenarioTemplate {
    public static func text(id: String) -> String {
        """
        # A registry-drill scenario. Check it with `regdrill validate FILE`; replay it with
        # `regdrill run FILE --profile auth-only`. The JSON Schema is scenarios/scenario.schema.json.
        id: \(id)
        title: "\(id): describe the incident in one line"
        date: 2024-01-15                 # the day of the incident: the registry rules of that day apply
        summary: >
          What happened, in two or three sentences.
        references:
          - https://example.com/post-mortem
        techniques: [T1078, T1195.002, AV-602]
        world:
          accounts:
            - name: maintainer
              email: maintainer@maintainer-mail.example
              passwordReused: true       # the password also leaked from another site
              twoFactor: disabled        # disabled | auth-only | auth-and-writes
          machines:
            - id: maintainer-laptop
              owner: maintainer
              address: 198.51.100.7
              tokens:
                - { id: laptop-npmrc, kind: publish, location: npmrc }
          packages:
            - name: \(id)-package
              maintainers: [maintainer]
              versions: [1.0.0]
              weeklyDownloads: 10000
              repository: example/\(id)-package
        attacker:
          address: 203.0.113.66
        steps:
          - id: breached-password
            at: 2024-01-15T09:00:00Z
            action: reuse-breached-password
            account: maintainer
            narrative: The attacker finds the maintainer's password in a breach dump.
          - id: login
            at: 2024-01-15T09:05:00Z
            action: login
            account: maintainer
            narrative: The attacker logs in with it.
          - id: publish
            at: 2024-01-15T09:10:00Z
            action: publish
            package: \(id)-package
            version: 1.0.1
            using: step:login
            payload: malware
            narrative: The attacker publishes a malicious version.
        goals:
          - id: malicious-release
            kind: publish-malicious
            packages: [\(id)-package]
            description: A malicious version is published.
        teaching:
          hints:
            - What did the attacker need to log in?
          whatHappened: Describe the real outcome here.
          remediation:
            - Enable 2FA.
        blastRadius:
          hoursLive: 2
          note: Say where the figures come from.

        """
    }
}
