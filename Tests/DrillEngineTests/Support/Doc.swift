/// Small scenario documents for tests, assembled from YAML fragments. Fragments may hold markers
/// (see ``MarkedText``): positions are taken from the assembled text.
enum Doc {
    /// Two accounts (a maintainer who reuses a password and whose mail domain lapsed, a developer), a laptop
    /// and a CI machine with publish tokens, two packages.
    static let world = """
    world:
      accounts:
        - name: maintainer
          email: maintainer@maint.example
          passwordReused: true
        - name: dev
          email: dev@dev.example
      machines:
        - id: dev-laptop
          owner: dev
          address: 198.51.100.21
          tokens:
            - { id: dev-npmrc, kind: publish }
        - id: ci
          kind: ci
          owner: maintainer
          address: 192.0.2.10
          repository: acme/widget
          tokens:
            - { id: ci-token, kind: publish }
      packages:
        - name: widget
          maintainers: [maintainer]
          versions: [1.0.0]
          weeklyDownloads: 16800
          repository: acme/widget
        - { name: dev-lib, maintainers: [dev], versions: [0.1.0] }
      mailDomains:
        - { domain: maint.example, expires: 2018-01-01T00:00:00Z }

    """

    static let goals = """
    goals:
      - { id: malicious-widget, kind: publish-malicious, packages: [widget] }

    """

    /// The baseline's first two steps: the maintainer's breached password, and a login with it (step `login`).
    static let breachAndLogin = """
      - id: breach
        at: 2018-07-12T09:30:00Z
        action: reuse-breached-password
        account: maintainer
      - id: login
        at: 2018-07-12T09:35:00Z
        action: login
        account: maintainer

    """

    /// The baseline attack: a breached password, a login, a publish with a token-harvesting postinstall.
    static let steps = breachAndLogin + """
      - id: publish
        at: 2018-07-12T09:40:00Z
        action: publish
        package: widget
        version: 1.0.1
        using: step:login
        payload: harvest-tokens

    """

    static func header(id: String = "inline-test", date: String = "2018-07-12") -> String {
        """
        id: \(id)
        title: Inline test
        date: \(date)
        summary: A small world for tests.

        """
    }

    static func scenario(id: String = "inline-test", date: String = "2018-07-12", world: String = Doc.world, attacker: String = "",
                         steps: String = Doc.steps, goals: String = Doc.goals, extra: String = "") -> String {
        header(id: id, date: date) + world + attacker + "steps:\n" + steps + goals + extra
    }
}
