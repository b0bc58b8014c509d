/// The scenario that `regdrill new` writes: small, commented, and valid, and it reaches its goal under `historical`
/// (a token stolen from a laptop publishes, as in 2024 it could), so an author starts from an attack that works and
/// sees a defense stop it (`regdrill compare`: auth-only lets it through, auth-and-writes stops the publish). It
/// used to log in with a reused password, which the emailed login code of its date stopped.
public enum ScenarioTemplate {
    public static func text(id: String) -> String {
        """
        # A registry-drill scenario. Check it with `regdrill validate FILE`; replay it as it happened with
        # `regdrill run FILE`, and under auth-only against auth-and-writes with `regdrill compare FILE`.
        # Every key and an example of every action: docs/format.md, or `regdrill schema scenario --format markdown`.
        # For an editor's checks and completion: `regdrill schema scenario --output scenario.schema.json`.
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
          - id: steal-token
            at: 2024-01-15T09:00:00Z
            action: steal-token
            token: laptop-npmrc
            narrative: Malware on the maintainer's laptop copies the npm token from ~/.npmrc.
          - id: publish
            at: 2024-01-15T09:10:00Z
            action: publish
            package: \(id)-package
            version: 1.0.1
            using: token:laptop-npmrc
            payload: malware
            narrative: From their own machine, the attacker publishes a malicious version with the stolen token.
        goals:
          - id: malicious-release
            kind: publish-malicious
            packages: [\(id)-package]
            description: A malicious version is published.
        teaching:
          hints:
            - What did the attacker need to publish, and what would have asked for more?
          whatHappened: Describe the real outcome here.
          remediation:
            - Require 2FA for writes (auth-and-writes), or publish with short-lived granular tokens or trusted publishing.
        blastRadius:
          hoursLive: 2
          note: Say where the figures come from.

        """
    }
}
