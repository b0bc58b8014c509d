// Generated from scenarios/ by `UPDATE_EMBEDDED_LIBRARY=1 swift test --filter EmbeddedLibraryTests`: do not edit.
// The library built into the executable, so that an installed regdrill needs no files beside it.

extension ScenarioLibrary {
    static let embeddedFiles: [(name: String, text: String)] = [
        ("axios-2026.yaml", ##"""
# axios (npm, 31 Mar 2026): a maintainer's browser session hijacked, a clean-looking release that adds a
# malicious dependency.
# Facts: axios 1.14.1 and 0.30.4 "were published to the npm registry through my compromised account";
# "both versions injected a dependency called plain-crypto-js@4.2.1 that installed a remote access
# trojan on macOS, Windows, and Linux"; "live for about 3 hours before being removed"; fresh installs
# "between 00:21 and 03:15 UTC on March 31" were affected [F, maintainer's post-mortem, axios#10636].
# "the actor had changed my npm email to their own", and "i am pretty sure they had enough access to
# hijack from my browser" [F, maintainer in axios#10604]. The RAT ran from plain-crypto-js's
# postinstall (setup.js) [S]; axios has ~83M weekly downloads [S]; plain-crypto-js 4.2.1 was published
# from a separate npm account shortly before axios 1.14.1 [S].
# How the attacker passed the account's second factor is not established (axios#10604, axios#10636).
# Assumptions: the session's theft and its 2FA skip (the maintainer's login ticked "skip 2FA for the
# next 5 minutes", which npm offers from 11 Feb 2026, and the stolen cookie carried it); what the
# attacker did inside those minutes (the email change, a password reset whose mail the new address
# receives, since npm asks for the password to create a token, then a granular token with the 2FA
# bypass, the most capable token the era offers); all times of day but 00:21 and 03:15; when npm took
# plain-crypto-js down; the second account's name and 2FA; the consumers; a single latest dist-tag (the model has no second one, so 0.30.4's publish
# takes latest from 1.14.1 and the estimate gives it the later installs).
id: axios-2026
title: "axios: a hijacked browser session and a clean release that brings a RAT"
date: 2026-03-31
summary: >
  A remote access trojan on the axios maintainer's computer gave the attacker his open npm session
  in the browser. They changed the account's email to their own and published axios 1.14.1 and
  0.30.4. Neither had harmful code of its own: each added a dependency, plain-crypto-js 4.2.1,
  published minutes earlier from the attacker's own account, whose postinstall installed a RAT on
  every machine that installed axios for the next three hours.
references:
  - https://github.com/axios/axios/issues/10636
  - https://github.com/axios/axios/issues/10604
techniques: [T1539, T1550.004, T1098, T1195.002, AV-602]
world:
  accounts:
    - name: jasonsaayman
      email: jason@jasonsaayman-mail.example
      twoFactor: auth-and-writes           # the post-mortem speaks of his OTP; the mode is an assumption
      factor: totp
    # The account that published plain-crypto-js: the attacker's own (its name here is an assumption).
    - name: plain-crypto-author
      email: author@plain-crypto.example
      twoFactor: auth-and-writes           # assumption; the attacker holds its factor either way
      factor: totp
      controlledBy: attacker
    - { name: dev-alice, email: alice@dev-alice.example }
  machines:
    - id: jason-laptop
      owner: jasonsaayman
      address: 198.51.100.80
      sessions:
        - { id: jason-browser, started: 2026-03-30T23:39:00Z, skipped2fa: true }
    - id: alice-laptop
      owner: dev-alice
      address: 198.51.100.21
      installs: [axios]
  packages:
    - name: axios
      maintainers: [jasonsaayman]
      versions: [0.30.3, 1.14.0]
      weeklyDownloads: 83000000            # [S] "~83M weekly downloads"
      repository: axios/axios
attacker:
  address: 203.0.113.66
steps:
  - id: steal-browser
    at: 2026-03-30T23:40:00Z
    action: steal-session
    session: jason-browser
    narrative: >
      The trojan on the maintainer's laptop copies his npm session from the browser, a minute after
      he logged in and ticked "skip 2FA for the next 5 minutes" (the theft is his account; the skip is
      assumed).
  - id: lock-out
    at: 2026-03-30T23:41:00Z
    action: change-email
    account: jasonsaayman
    email: jason@attacker-mail.example
    using: step:steal-browser
    narrative: The attacker changes the account's email to their own, so that resets and codes now reach them.
  - id: reset
    at: 2026-03-30T23:42:00Z
    action: reset-password
    account: jasonsaayman
    narrative: The password reset mail now reaches them; they set a password of their own.
  - id: make-token
    at: 2026-03-30T23:43:00Z
    action: create-token
    account: jasonsaayman
    using: step:steal-browser
    kind: granular
    bypass2fa: when-available
    narrative: >
      Still inside the five minutes, they create the most capable token the era offers: a granular
      write token that skips 2FA when publishing.
  - id: own-login
    at: 2026-03-30T23:50:00Z
    action: login
    account: plain-crypto-author
    narrative: On their own account the attacker logs in.
  - id: publish-plain-crypto
    at: 2026-03-30T23:59:00Z
    action: publish
    package: plain-crypto-js
    newPackage: true
    version: 4.2.1
    using: step:own-login
    payload: malware
    narrative: They publish plain-crypto-js@4.2.1, whose postinstall drops a remote access trojan.
  - id: publish-1-14-1
    at: 2026-03-31T00:21:00Z
    action: publish
    package: axios
    version: 1.14.1
    using: step:make-token
    payload: none
    dependencies: [plain-crypto-js]
    narrative: axios@1.14.1 goes out with no harmful code of its own, one new dependency, plain-crypto-js.
  - id: publish-0-30-4
    at: 2026-03-31T01:00:00Z
    action: publish
    package: axios
    version: 0.30.4
    using: step:make-token
    payload: none
    dependencies: [plain-crypto-js]
    narrative: The same for axios@0.30.4, for projects on the 0.x line.
  - id: installs
    at: 2026-03-31T01:30:00Z
    actor: consumers
    action: install
    package: axios
    consumers: [dev-alice]
    narrative: A developer installs axios; npm resolves the new release and, with it, plain-crypto-js.
  - id: remove-1-14-1
    at: 2026-03-31T03:15:00Z
    actor: staff
    action: staff-remove-version
    package: axios
    version: 1.14.1
    narrative: The malicious versions are removed about three hours after the first (axios#10636).
  - id: remove-0-30-4
    at: 2026-03-31T03:15:00Z
    actor: staff
    action: staff-remove-version
    package: axios
    version: 0.30.4
    narrative: (removal, continued)
  - id: remove-plain-crypto
    at: 2026-03-31T03:15:00Z
    actor: staff
    action: staff-remove-version
    package: plain-crypto-js
    version: 4.2.1
    narrative: (removal, continued; when plain-crypto-js itself went is assumed)
goals:
  - id: malicious-axios
    kind: publish-malicious
    packages: [axios]
    description: A version of axios that brings malicious code to its installers reaches the registry.
  - id: owner-locked-out                 # "the actor had changed my npm email to their own" (axios#10604)
    kind: account-control
    account: jasonsaayman
    description: The attacker takes the account from its owner by changing its email.
teaching:
  hints:
    - The maintainer had 2FA. Which of the attacker's steps asked for a second factor, and what stood in for it?
    - axios 1.14.1 has no harmful code. What did it change, and why does every install of it still run the trojan?
    - Try disallow-tokens. Which of the attacker's steps still work, and which goal is still reached?
    - Write a profile with the consumer-side defenses ignore-scripts or minimum-release-age (docs/format.md). Which part of the attack does each stop, and which does neither?
    - Try npm-2027-01. Which safeguard follows the email change, and what does it stop?
  whatHappened: >
    On 31 March 2026 axios 1.14.1 and 0.30.4 were published through the maintainer's compromised account.
    Each added plain-crypto-js@4.2.1, whose install script installed a remote access trojan on macOS,
    Windows and Linux. The versions were live for about three hours; fresh installs between 00:21 and
    03:15 UTC were affected. The attacker had changed the account's email to their own (axios#10636,
    axios#10604).
  remediation:
    - Treat a maintainer's machine as part of the supply chain; a stolen browser session acts as the account.
    - Do not skip the second factor for a session; require it for token creation and account changes each time.
    - Consumers can refuse install scripts of dependencies (npm 12's default, --ignore-scripts) and wait before installing new versions.
    - Lockfiles keep an existing project from taking a new dependency without review.
blastRadius:
  note: >
    Hours live come from the removal steps (00:21 to 03:15 UTC, axios#10636). The weekly downloads are a
    secondary figure; with one latest tag in the model, 0.30.4 takes the installs after its publication.

"""##),
        ("chalk-debug-2025.yaml", ##"""
# chalk, debug and 16 more (npm, 8 Sep 2025): real-time phishing from npmjs.help.
# Facts: the maintainer received mail from "support at npmjs dot help" demanding a 2FA update and
# entered his credentials [F, maintainer on HN]; the page relayed username, password and TOTP in
# real time [S]; 18 packages (chalk 5.6.1, debug 4.4.2, ansi-styles 6.2.2, strip-ansi 7.1.1, ...)
# carried a browser crypto-clipper, live about 2 hours [F chalk#656, debug#1005]; ~2.6B weekly
# downloads combined [S]; the owner was locked out of the account [F]. First malicious versions
# at 13:16 UTC [S]. Four of the 18 packages stand for all of them.
# Assumptions: the 2FA mode (auth-and-writes, npm's recommended mode; he had TOTP); when he was on
# the phishing page (just before the burst of publishes) and for how long; how the lock-out was done
# (here: the attacker changes the account's email, which needs a code the page relays); the minutes
# of the later publishes; weekly downloads of chalk, debug and ansi-styles are rounded secondary
# figures, strip-ansi's is assumed to be of the same order.
id: chalk-debug-2025
title: "chalk and debug: a 2FA-update phishing mail, a relayed TOTP code, 18 packages"
date: 2025-09-08
summary: >
  A prolific maintainer got a convincing mail from npmjs.help asking him to update his 2FA. The page
  behind the link was a live proxy of npm: it passed his username, password and one-time code to
  the attacker as he typed them. The attacker logged in, changed the account's email so he could not
  get back in, and published malicious versions of chalk, debug, ansi-styles, strip-ansi and
  fourteen more packages that rewrote cryptocurrency payments in browsers.
references:
  - https://github.com/chalk/chalk/issues/656
  - https://github.com/debug-js/debug/issues/1005
techniques: [T1566.002, T1111, T1098, T1531, T1195.002, AV-602, AV-606]
world:
  accounts:
    - name: qix
      email: josh@qix-mail.example
      twoFactor: auth-and-writes         # assumption: he used TOTP; the mode is not reported
      factor: totp
  machines:
    - { id: qix-laptop, owner: qix, address: 198.51.100.70 }
  packages:
    - { name: chalk, maintainers: [qix], versions: [5.6.0], weeklyDownloads: 300000000, repository: chalk/chalk }
    - { name: debug, maintainers: [qix], versions: [4.4.1], weeklyDownloads: 358000000, repository: debug-js/debug }
    - { name: ansi-styles, maintainers: [qix], versions: [6.2.1], weeklyDownloads: 370000000, repository: chalk/ansi-styles }
    - { name: strip-ansi, maintainers: [qix], versions: [7.1.0], weeklyDownloads: 260000000, repository: chalk/strip-ansi }
attacker:
  address: 203.0.113.66
steps:
  - id: phish
    at: 2025-09-08T13:05:00Z
    action: phish
    account: qix
    origin: https://npmjs.help
    minutes: 30
    narrative: >
      The maintainer opens the "update your 2FA" link from support@npmjs.help and types his
      username, password and an authenticator code; the proxy relays each one at once and asks
      for "another code" whenever the attacker needs one (time and duration assumed).
  - id: login
    at: 2025-09-08T13:06:00Z
    action: login
    account: qix
    narrative: The attacker logs in as the maintainer with the relayed password and code.
  - id: lock-out
    at: 2025-09-08T13:08:00Z
    action: change-email
    account: qix
    email: recovery@attacker-mail.example
    using: step:login
    narrative: >
      The attacker changes the account's email, so that password resets and login codes now go to
      them: the owner is locked out (mechanism assumed; the lock-out itself is reported).
  - id: publish-chalk
    at: 2025-09-08T13:16:00Z
    action: publish
    package: chalk
    version: 5.6.1
    using: step:login
    payload: malware
    narrative: chalk@5.6.1 is published with a browser crypto-clipper.
  - id: publish-debug
    at: 2025-09-08T13:17:00Z
    action: publish
    package: debug
    version: 4.4.2
    using: step:login
    payload: malware
    narrative: debug@4.4.2 the same.
  - id: publish-ansi-styles
    at: 2025-09-08T13:18:00Z
    action: publish
    package: ansi-styles
    version: 6.2.2
    using: step:login
    payload: malware
    narrative: ansi-styles@6.2.2 the same.
  - id: publish-strip-ansi
    at: 2025-09-08T13:19:00Z
    action: publish
    package: strip-ansi
    version: 7.1.1
    using: step:login
    payload: malware
    narrative: strip-ansi@7.1.1 the same (fourteen more packages follow in the same minutes).
  - id: remove-chalk
    at: 2025-09-08T15:16:00Z
    actor: staff
    action: staff-remove-version
    package: chalk
    version: 5.6.1
    narrative: About two hours later the malicious versions are taken down.
  - id: remove-debug
    at: 2025-09-08T15:16:00Z
    actor: staff
    action: staff-remove-version
    package: debug
    version: 4.4.2
    narrative: (removal, continued)
  - id: remove-ansi-styles
    at: 2025-09-08T15:16:00Z
    actor: staff
    action: staff-remove-version
    package: ansi-styles
    version: 6.2.2
    narrative: (removal, continued)
  - id: remove-strip-ansi
    at: 2025-09-08T15:16:00Z
    actor: staff
    action: staff-remove-version
    package: strip-ansi
    version: 7.1.1
    narrative: (removal, continued)
goals:
  - id: malicious-release
    kind: publish-malicious
    packages: [chalk, debug, ansi-styles, strip-ansi]
    description: A malicious version of one of the maintainer's packages reaches the registry.
  - id: owner-locked-out               # "the owner was locked out of the account" (chalk#656)
    kind: account-control
    account: qix
    description: The attacker takes the account from its owner by changing its email.
teaching:
  hints:
    - The maintainer had 2FA with an authenticator app. What did the phishing page do with the code he typed?
    - Try auth-and-writes and disallow-tokens. Each publish asks for a code. Why does the attacker still have one?
    - Try security-key. The victim touches the key just the same; what is different about what the key signs?
    - Even trusted publishing allows an interactive publish with a second factor. Which defense is left that a relay cannot satisfy?
    - Try npm-2027-01. An email change makes a high-impact account read-only for 72 hours. Which of the attacker's goals does that stop, and which does it not?
  whatHappened: >
    On 8 September 2025, after a phishing mail from npmjs.help asking for a "2FA update", malicious
    versions of 18 packages with about 2.6 billion weekly downloads were published from the
    maintainer's account, starting around 13:16 UTC. They hooked browser APIs to redirect
    cryptocurrency payments, and were removed after about two hours (chalk#656, debug#1005). The
    maintainer was locked out of his own account while it happened.
  remediation:
    - Use security keys (WebAuthn/passkeys) for npm. The signature names the site, so a relay on another domain gets nothing usable.
    - Never log in from a link in a mail; type the registry's address or use a bookmark. A password manager that does not autofill is a warning sign.
    - Consumers can wait before installing new versions (a minimum release age) and pin with lockfiles; most malicious versions are gone within hours.
blastRadius:
  note: >
    Hours live come from the removal steps ("about 2 hours", chalk#656). Weekly downloads per package
    are rounded secondary figures; the 18 packages together had ~2.6B weekly downloads [S].

"""##),
        ("colors-2022.yaml", ##"""
# colors / faker (npm, Jan 2022): a malicious insider, the maintainer's own account.
# Facts: GHSA-5rqg-jm4f-cqx7 [F] (colors 1.4.1, 1.4.2 and 1.4.44-liberty-2, published 7-9 Jan 2022 by
# the maintainer, with an infinite loop). faker 6.6.6 emptied, ~20M weekly downloads for colors [S].
# Assumptions: the hour of each release and the order within 7-9 Jan; the day of faker 6.6.6
# (early January, before the colors releases); how long the versions stayed installable.
id: colors-2022
title: "colors and faker: the maintainer sabotages his own packages"
date: 2022-01-08
summary: >
  In January 2022 the maintainer of colors and faker published versions that broke every program
  using them: colors printed an endless stream of garbage ("LIBERTY LIBERTY LIBERTY") in an infinite
  loop, and faker 6.6.6 was emptied. Nobody stole anything: he used his own account, his own password
  and, had he had one, his own second factor.
references:
  - https://github.com/advisories/GHSA-5rqg-jm4f-cqx7
techniques: [T1078, T1195.002, AV-801]
world:
  accounts:
    # The rightful owner turned attacker: the "attacker" of this scenario holds every credential of the account.
    - name: marak
      email: marak@marak-mail.example
      controlledBy: attacker
    - { name: dev-alice, email: alice@dev-alice.example }
  machines:
    - { id: marak-laptop, owner: marak, address: 198.51.100.50 }
    - { id: alice-laptop, owner: dev-alice, address: 198.51.100.21 }
  packages:
    - name: colors
      maintainers: [marak]
      versions: [1.4.0]
      weeklyDownloads: 20000000     # [S] "~20M weekly downloads"
      repository: Marak/colors.js
    - name: faker
      maintainers: [marak]
      versions: [5.5.3]
      weeklyDownloads: 2500000      # assumption: order of magnitude, not a sourced figure
      repository: Marak/faker.js
attacker:
  address: 198.51.100.50            # the maintainer publishes from his own machine
steps:
  - id: login
    at: 2022-01-04T20:00:00Z
    action: login
    account: marak
    narrative: The maintainer logs in to npm with his own password.
  - id: publish-faker-666
    at: 2022-01-04T20:10:00Z
    action: publish
    package: faker
    version: 6.6.6
    using: step:login
    payload: malware
    narrative: faker@6.6.6 is published with its code removed (day assumed, early January 2022).
  - id: publish-colors-liberty
    at: 2022-01-07T20:00:00Z
    action: publish
    package: colors
    version: 1.4.44-liberty-2
    using: step:login
    payload: malware
    narrative: colors@1.4.44-liberty-2 is published with an infinite loop that prints garbage.
  - id: publish-colors-141
    at: 2022-01-08T20:00:00Z
    action: publish
    package: colors
    version: 1.4.1
    using: step:login
    payload: malware
    narrative: colors@1.4.1 follows with the same sabotage, and is picked up by every ^1.4.0 range.
  - id: publish-colors-142
    at: 2022-01-09T08:00:00Z
    action: publish
    package: colors
    version: 1.4.2
    using: step:login
    payload: malware
    narrative: colors@1.4.2 the same.
goals:
  - id: sabotaged-release
    kind: publish-malicious
    packages: [colors, faker]
    description: A sabotaged version of colors or faker reaches the registry.
teaching:
  hints:
    - Whose account published these versions, and whose password and second factor were used?
    - Run it under security-key. Why does the strongest login defense change nothing here?
    - Some profiles do refuse a step here. Read the rule. Would it stop a maintainer who simply turns 2FA on?
    - Which controls sit with the consumers rather than the registry? Think of lockfiles and of waiting before installing new versions.
  whatHappened: >
    The maintainer published colors 1.4.1, 1.4.2 and 1.4.44-liberty-2 between 7 and 9 January 2022
    (GHSA-5rqg-jm4f-cqx7) and emptied faker in 6.6.6. Applications that installed them without a
    lockfile hung or printed garbage. Secondary reports say npm reverted colors to 1.4.0 and GitHub
    briefly suspended the maintainer's GitHub account; faker was forked by its community.
  remediation:
    - Commit lockfiles and install with npm ci, so a new version arrives only through a reviewed update.
    - Delay new versions (a minimum release age such as pnpm's minimumReleaseAge) so others find sabotage first.
    - Prefer dependencies with several active maintainers or an organisation behind them; watch for maintainer burnout.
blastRadius:
  hoursLive: 48
  note: >
    Not reported precisely: each sabotaged version is assumed installable for 48 hours. colors' ~20M
    weekly downloads are a secondary figure; faker's 2.5M is an assumption.

"""##),
        ("ctx-2022.yaml", ##"""
# ctx (PyPI, May 2022): an expired mail domain, re-registered, then a password reset.
# Facts [F]: PyPI's report "Account Takeover and Malicious Replacement of ctx Project"
# (python-security.readthedocs.io/pypi-vuln/index-2022-05-24-ctx-domain-takeover.html):
# domain registered 2022-05-14T18:40:05Z; password reset 18:52:40Z ("just 12 minutes after domain
# registration"); first malicious upload (0.1.4) 19:18:36Z; 0.2 at 23:52:46Z and 0.2.2 on 15 May
# 00:44:53Z; all removed 2022-05-24T10:07:17Z; ~1,600 downloads a day before the takeover; ~27,000
# malicious downloads, mostly mirrors; "No mechanism for multi factor authentication was enabled".
# Modelled on an npm-like registry, as the design notes ask: PyPI had no separate login step (twine
# uploads with the password), so the login time is an assumption, and the npm rules of 14 May 2022
# apply, including the emailed login code for accounts without 2FA (from 1 Mar 2022).
# Not modelled: the failed reset attempt of 2022-05-10 (before the domain was bought, so the mail
# went nowhere), and the removal of the original 0.1.2 files on 21 May (a PyPI deletion; npm's
# unpublish policy would refuse it for a 2014 version).
id: ctx-2022
title: "ctx: a lapsed mail domain, a password reset, and releases that send away the environment"
date: 2022-05-14
summary: >
  The owner of the ctx package had let the domain of their email address expire. The attacker
  registered it, asked for a password reset, received the reset mail, chose a new password and
  uploaded new versions of ctx whose code sent every environment variable (AWS keys included) to a
  server of theirs. The account had no second factor.
references:
  - https://python-security.readthedocs.io/pypi-vuln/index-2022-05-24-ctx-domain-takeover.html
  - https://github.com/advisories/GHSA-4g82-3jcr-q52w
techniques: [T1583.001, T1078, T1195.002, AV-602, AV-608]
world:
  accounts:
    - name: ctx-owner
      email: owner@ctx-owner-mail.example
      twoFactor: disabled          # [F] "No mechanism for multi factor authentication was enabled"
  packages:
    - name: ctx
      maintainers: [ctx-owner]
      versions: [0.1.2]            # [F] "the original and sole releases prior to the compromise" (2014)
      weeklyDownloads: 11200       # [F] "on average 1600 downloads per day" before the takeover
      # No repository: an untouched 2014 package whose owner's mail had lapsed has no trusted
      # publisher, so the trusted-publishing profile does not configure one.
  mailDomains:
    - domain: ctx-owner-mail.example
      expires: 2022-05-01T00:00:00Z   # [F] "Unknown: Domain hosting email ... expired"; any time before 14 May
attacker:
  address: 203.0.113.66
steps:
  - id: buy-domain
    at: 2022-05-14T18:40:05Z
    action: buy-expired-domain
    domain: ctx-owner-mail.example
    narrative: The attacker registers the owner's lapsed mail domain; mail to it now reaches them.
  - id: reset-password
    at: 2022-05-14T18:52:40Z
    action: reset-password
    account: ctx-owner
    narrative: Twelve minutes later they ask for a password reset; the reset mail arrives in their mailbox.
  - id: login
    at: 2022-05-14T19:10:00Z
    action: login
    account: ctx-owner
    narrative: >
      They log in with the new password (time assumed). The registry emails a login code to the
      account's address, which is now the attacker's own mailbox.
  - id: publish-014
    at: 2022-05-14T19:18:36Z
    action: publish
    package: ctx
    version: 0.1.4
    using: step:login
    payload: malware
    narrative: ctx@0.1.4 sends os.environ, base64-encoded, to anti-theft-web.herokuapp.com.
  - id: publish-020
    at: 2022-05-14T23:52:46Z
    action: publish
    package: ctx
    version: 0.2.0
    using: step:login
    payload: malware
    narrative: ctx 0.2 (0.2.0 here) with the same payload.
  - id: publish-022
    at: 2022-05-15T00:44:53Z
    action: publish
    package: ctx
    version: 0.2.2
    using: step:login
    payload: malware
    narrative: ctx@0.2.2 the same; more versions follow until 21 May.
  - id: pypi-removes-014
    at: 2022-05-24T10:07:17Z
    actor: staff
    action: staff-remove-version
    package: ctx
    version: 0.1.4
    narrative: The registry's administrators remove every malicious release and freeze the account.
  - id: pypi-removes-020
    at: 2022-05-24T10:07:17Z
    actor: staff
    action: staff-remove-version
    package: ctx
    version: 0.2.0
    narrative: (removal, continued)
  - id: pypi-removes-022
    at: 2022-05-24T10:07:17Z
    actor: staff
    action: staff-remove-version
    package: ctx
    version: 0.2.2
    narrative: (removal, continued)
goals:
  - id: malicious-ctx
    kind: publish-malicious
    packages: [ctx]
    description: A version of ctx that exfiltrates the environment reaches the registry.
teaching:
  hints:
    - Where does a password-reset mail go, and who reads it once the domain has a new owner?
    - In 2022 npm emailed a login code to accounts without 2FA. Why does that code not help here?
    - Try auth-only. The reset still works. Which step fails, and why does a TOTP app on the owner's phone not care about the mailbox?
    - Under npm-2025-12 the account still has no 2FA. Which rule refuses the publish, and what could an attacker who owns an account without 2FA do about it?
  whatHappened: >
    The domain was registered at 18:40:05 UTC on 14 May 2022; the password was reset at 18:52:40,
    "just 12 minutes after domain registration"; malicious releases followed from 19:18:36 until
    21 May. PyPI removed them all on 24 May at 10:07 UTC, blocked the project name and froze the
    account. PyPI estimated ~27,000 malicious downloads, mostly by mirrors. "No mechanism for multi
    factor authentication was enabled for the owner user account."
  remediation:
    - Enable 2FA (TOTP or a security key). A password reset then still leaves the attacker one factor short.
    - Keep the mail domain of your registry account renewed, or use an address at a large provider.
    - Registries can watch maintainers' mail domains and unverify addresses whose domain lapses (PyPI has done so since June 2025).
    - Pin versions and use hash-checking installs, so a new upload does not reach you automatically.
blastRadius:
  note: >
    Hours live come from the removal steps (14 to 24 May 2022). Weekly downloads: PyPI's pre-takeover
    average of 1,600 a day; PyPI's own estimate was ~27,000 malicious downloads, mostly mirrors.

"""##),
        ("eslint-config-prettier-2025.yaml", ##"""
# eslint-config-prettier and eslint-plugin-prettier (npm, 18 Jul 2025): a phishing mail from npnjs.com, a
# token made with the relayed login, and publishes that the packages' 2FA requirement let through.
# Facts: "four new versions published with no code changes to repo" [F, prettier/eslint-config-prettier#339,
# 18 Jul 2025]; the new versions added an install script that, on Windows, ran rundll32 on a bundled
# node-gyp.dll [F, a comment in #339 quoting the diff]. On eslint-plugin-prettier "the latest dist tag ...
# points to 4.2.3" though "the latest release was v5.5.1" [F, prettier/eslint-plugin-prettier#752]. The
# maintainer: "we need to contact npm to know whose npm token is leaked first", then "It's this phishing
# email" (from npnjs.com), and, of the publishes, "it seems to be mine mostly, but I have 2FA requirement";
# the answer in the thread: "Automation Token bypasses 2FA requirement" [F, #752]. Malicious versions:
# eslint-config-prettier 8.10.1, 9.1.1, 10.1.6, 10.1.7 and eslint-plugin-prettier 4.2.2, 4.2.3 [S, GHSA-f29h-pxvx-f335
# and others]; the DLL was the Scavenger malware [S]; ~30M weekly downloads together [S].
# Assumptions: how the token was made (the phishing page relays the login and a TOTP code, and the attacker
# creates an automation token with them, which the thread's answer implies); the account's name and 2FA
# mode; the packages' setting ("require 2FA or a token", the one the maintainer's words and the thread's
# answer fit); all times of day; two of the four eslint-config-prettier versions and one of the two
# eslint-plugin-prettier versions stand for the others; downloads split between the two packages; how
# long the versions were live.
id: eslint-config-prettier-2025
title: "eslint-config-prettier: a phished login, an automation token, and a 2FA requirement it bypasses"
date: 2025-07-18
summary: >
  A maintainer of prettier's ESLint packages got a mail from npnjs.com, a look-alike of npmjs.com, and
  logged in on its page. The page relayed his password and code to the attacker, who used them to create
  an automation token. The packages required 2FA for publishing, but that setting lets automation tokens
  through: the attacker published versions of eslint-config-prettier and eslint-plugin-prettier with an
  install script that ran a malicious DLL on Windows, and eslint-plugin-prettier's latest tag moved back
  to its old major line.
references:
  - https://github.com/prettier/eslint-config-prettier/issues/339
  - https://github.com/prettier/eslint-plugin-prettier/issues/752
techniques: [T1566.002, T1111, T1528, T1195.002, AV-602, AV-606]
world:
  accounts:
    - name: jounqin
      email: jounqin@jounqin-mail.example
      twoFactor: auth-and-writes           # assumption: he had 2FA ("I have 2FA requirement"); the mode is not reported
      factor: totp
  machines:
    - { id: jounqin-laptop, owner: jounqin, address: 198.51.100.60 }
  packages:
    - name: eslint-config-prettier
      maintainers: [jounqin]
      versions: [10.1.5]
      weeklyDownloads: 20000000            # assumption: share of the [S] ~30M weekly downloads of the two
      publishing: 2fa-or-token             # assumption, see above
      repository: prettier/eslint-config-prettier
    - name: eslint-plugin-prettier
      maintainers: [jounqin]
      versions: [5.5.1]
      weeklyDownloads: 10000000            # assumption: share of the [S] figure
      publishing: 2fa-or-token
      repository: prettier/eslint-plugin-prettier
attacker:
  address: 203.0.113.66
steps:
  - id: phish
    at: 2025-07-18T09:00:00Z
    action: phish
    account: jounqin
    origin: https://npnjs.com
    minutes: 20
    narrative: >
      The maintainer follows a link in a mail from npnjs.com and logs in on its page, with his password and
      an authenticator code; the page relays both (time assumed).
  - id: login
    at: 2025-07-18T09:01:00Z
    action: login
    account: jounqin
    narrative: The attacker logs in as the maintainer with the relayed password and code.
  - id: make-token
    at: 2025-07-18T09:02:00Z
    action: create-token
    account: jounqin
    using: step:login
    kind: automation
    narrative: >
      With the login they create an automation token, which npm made for CI and which publishes without a
      second factor (the relayed code answers the creation's own 2FA check).
  - id: publish-config-10-1-6
    at: 2025-07-18T10:00:00Z
    action: publish
    package: eslint-config-prettier
    version: 10.1.6
    using: step:make-token
    payload: malware
    narrative: eslint-config-prettier@10.1.6 goes out with an install script that runs node-gyp.dll on Windows.
  - id: publish-config-10-1-7
    at: 2025-07-18T10:05:00Z
    action: publish
    package: eslint-config-prettier
    version: 10.1.7
    using: step:make-token
    payload: malware
    narrative: The same for 10.1.7 (8.10.1 and 9.1.1 follow for the older lines).
  - id: publish-plugin-4-2-3
    at: 2025-07-18T10:10:00Z
    action: publish
    package: eslint-plugin-prettier
    version: 4.2.3
    using: step:make-token
    payload: malware
    narrative: >
      eslint-plugin-prettier@4.2.3 on the old 4.x line takes the latest tag from 5.5.1, so a plain install
      gets it (4.2.2 came before it).
goals:
  - id: malicious-release
    kind: publish-malicious
    packages: [eslint-config-prettier, eslint-plugin-prettier]
    description: A malicious version of one of the maintainer's packages reaches the registry.
teaching:
  hints:
    - The packages required 2FA for publishing. Which credential did the attacker publish with, and what does "require 2FA or a token" let through?
    - Try disallow-tokens. Which step fails now, and what would the attacker need to publish anyway?
    - Try security-key. The maintainer logs in on npnjs.com just the same; what does the key sign that a code does not?
    - Look at eslint-plugin-prettier's latest tag after step 6. Why does a plain install now get the old major version?
    - Try npm-2025-12. No automation token can be created any more. Which token would the attacker ask for instead, and from when does it stop publishing?
  whatHappened: >
    On 18 July 2025 new versions of eslint-config-prettier and eslint-plugin-prettier appeared on npm with no
    matching change in their repositories. They carried an install script that ran a bundled DLL on Windows.
    The maintainer traced it to a phishing mail from npnjs.com; the publishes had gone through although the
    packages required 2FA, because an automation token bypasses that requirement (eslint-config-prettier#339,
    eslint-plugin-prettier#752).
  remediation:
    - Use security keys (WebAuthn/passkeys) for npm. A relay on another domain gets an assertion for that domain, which npm refuses.
    - Set important packages to "require 2FA and disallow tokens", and publish from CI through trusted publishing.
    - Revoke tokens you do not use; list them after any suspected phishing (npm token list).
blastRadius:
  hoursLive: 6
  note: >
    How long the versions were live is not reported; 6 hours is an assumption. The weekly downloads split
    the [S] ~30M of the two packages between them.

"""##),
        ("eslint-scope-2018-harvested-tokens.yaml", ##"""
# The hypothetical second act of eslint-scope-2018: the ~4,500 harvested ~/.npmrc tokens used to publish.
# npm found no evidence that any were used; this act asks what they could have done, defense by defense.
id: eslint-scope-2018-harvested-tokens
title: "eslint-scope, act two: publishing with the harvested ~/.npmrc tokens"
date: 2018-07-12
summary: >
  The eslint-scope postinstall sent installers' ~/.npmrc files to the attacker: publish tokens written
  by `npm login`, which never expire. Before npm revoked them, the attacker tries each token to
  publish a new version of its owner's package. Under auth-only a publish token needs no code; under
  auth-and-writes it does, and the attacker has none.
references:
  - https://eslint.org/blog/2018/07/postmortem-for-malicious-package-publishes
  - "npm blog: Incident report: npm, Inc. operations incident of July 12, 2018"
techniques: [T1552.001, T1528, T1550.001, T1195.002, AV-605]
world:
  accounts:
    - { name: dev-alice, email: alice@dev-alice.example }
    - { name: dev-bob, email: bob@dev-bob.example }
    - { name: dev-carol, email: carol@dev-carol.example }
  machines:
    - id: alice-laptop
      owner: dev-alice
      address: 198.51.100.21
      tokens: [{ id: alice-npmrc, kind: publish, location: npmrc }]
    - id: bob-laptop
      owner: dev-bob
      address: 198.51.100.22
      tokens: [{ id: bob-npmrc, kind: publish, location: npmrc }]
    - id: carol-laptop
      owner: dev-carol
      address: 198.51.100.23
      tokens: [{ id: carol-npmrc, kind: publish, location: npmrc }]
  packages:
    - { name: alice-utils, maintainers: [dev-alice], versions: [1.2.0], weeklyDownloads: 50000, repository: alice/alice-utils }
    - { name: bob-cli, maintainers: [dev-bob], versions: [0.4.1], weeklyDownloads: 20000, repository: bob/bob-cli }
    - { name: carol-http, maintainers: [dev-carol], versions: [2.0.0], weeklyDownloads: 300000, repository: carol/carol-http }
attacker:
  address: 203.0.113.66
  holdsTokens: [alice-npmrc, bob-npmrc, carol-npmrc]   # sent by the eslint-scope@3.7.2 postinstall
steps:
  - id: publish-with-alice-token
    at: 2018-07-12T11:20:00Z
    action: publish
    package: alice-utils
    version: 1.2.1
    using: token:alice-npmrc
    payload: harvest-tokens
    narrative: The attacker publishes alice-utils@1.2.1 with the token from Alice's ~/.npmrc.
  - id: publish-with-bob-token
    at: 2018-07-12T11:22:00Z
    action: publish
    package: bob-cli
    version: 0.4.2
    using: token:bob-npmrc
    payload: harvest-tokens
    narrative: The same with Bob's token and bob-cli.
  - id: publish-with-carol-token
    at: 2018-07-12T11:24:00Z
    action: publish
    package: carol-http
    version: 2.0.1
    using: token:carol-npmrc
    payload: harvest-tokens
    narrative: The same with Carol's token and carol-http.
  - id: npm-revokes-tokens
    at: 2018-07-12T12:30:00Z
    actor: staff
    action: staff-revoke-tokens
    createdBefore: 2018-07-12T12:30:00Z
    narrative: npm revokes every token created before the cutoff.
goals:
  - id: publish-with-stolen-token
    kind: publish-malicious
    packages: [alice-utils, bob-cli, carol-http]
    description: A harvested token publishes a malicious version.
teaching:
  hints:
    - The tokens came from `npm login`. What kind of token is that, and what does it need to publish under each 2FA mode?
    - Would a read-only token in ~/.npmrc have been worth stealing?
    - The attacker publishes from their own address. Which token setting refuses that?
  whatHappened: >
    Hypothetical: npm reported no evidence that any harvested token was used, and revoked all tokens
    created before the cutoff the same day.
  remediation:
    - Use auth-and-writes, so a stolen publish token cannot publish without a code.
    - Keep read-only or CIDR-limited tokens on developer machines.
    - Revoke tokens you no longer need (npm token list / npm token revoke).
blastRadius:
  hoursLive: 24
  note: Hypothetical; 24 hours live assumed for the estimate.

"""##),
        ("eslint-scope-2018.yaml", ##"""
# The reference case: a reused password, no 2FA, a malicious postinstall that stole ~/.npmrc tokens.
# Facts: ESLint post-mortem (eslint.org/blog/2018/07/postmortem-for-malicious-package-publishes),
# npm's incident report of 12 Jul 2018, eslint/eslint-scope#39.
id: eslint-scope-2018
title: "eslint-scope: a reused password, no 2FA, a token-stealing postinstall"
date: 2018-07-12
summary: >
  An ESLint maintainer reused their npm password on other sites and had no 2FA. The attacker
  logged in with the leaked password, generated a token, and published eslint-config-eslint@5.0.2
  and eslint-scope@3.7.2 with a postinstall that sent the installer's ~/.npmrc (npm tokens) away.
references:
  - https://eslint.org/blog/2018/07/postmortem-for-malicious-package-publishes
  - "npm blog: Incident report: npm, Inc. operations incident of July 12, 2018"
  - https://github.com/eslint/eslint-scope/issues/39
techniques: [T1110.004, T1078, T1098, T1195.002, T1546.016, T1552.001, AV-602, AV-603]
world:
  accounts:
    - name: eslint-maintainer
      email: maintainer@eslint-mail.example
      passwordReused: true          # "reused their npm password on several other sites"
      twoFactor: disabled           # "did not have two-factor authentication enabled"
    # Three developers who install eslint-scope: each stands for many of the ~4,500 exposed accounts.
    - name: dev-alice
      email: alice@dev-alice.example
    - name: dev-bob
      email: bob@dev-bob.example
    - name: dev-carol
      email: carol@dev-carol.example
  machines:
    - id: alice-laptop
      owner: dev-alice
      address: 198.51.100.21
      tokens:
        - { id: alice-npmrc, kind: publish, location: npmrc }   # written by `npm login`
    - id: bob-laptop
      owner: dev-bob
      address: 198.51.100.22
      tokens:
        - { id: bob-npmrc, kind: publish, location: npmrc }
    - id: carol-laptop
      owner: dev-carol
      address: 198.51.100.23
      tokens:
        - { id: carol-npmrc, kind: publish, location: npmrc }
  packages:
    - name: eslint-scope
      maintainers: [eslint-maintainer]
      versions: [3.7.1]
      weeklyDownloads: 2000000      # order of magnitude for the estimate; not a first-party figure
      repository: eslint/eslint-scope
      releaseWorkflow: release.yml
    - name: eslint-config-eslint
      maintainers: [eslint-maintainer]
      versions: [5.0.1]
      weeklyDownloads: 10000        # order of magnitude for the estimate; not a first-party figure
      repository: eslint/eslint
      releaseWorkflow: release.yml
    - { name: alice-utils, maintainers: [dev-alice], versions: [1.2.0], repository: alice/alice-utils }
    - { name: bob-cli, maintainers: [dev-bob], versions: [0.4.1], repository: bob/bob-cli }
    - { name: carol-http, maintainers: [dev-carol], versions: [2.0.0], repository: carol/carol-http }
attacker:
  address: 203.0.113.66
steps:
  - id: breached-password
    at: 2018-07-12T09:30:00Z
    action: reuse-breached-password
    account: eslint-maintainer
    narrative: The attacker takes the maintainer's password from another site's breach dump.
  - id: login
    at: 2018-07-12T09:35:00Z
    action: login
    account: eslint-maintainer
    narrative: The attacker logs in to npm as the maintainer with that password.
  - id: create-token
    at: 2018-07-12T09:40:00Z
    action: create-token
    account: eslint-maintainer
    using: step:login
    kind: publish
    narrative: The attacker generates an auth token for the maintainer's account.
  - id: publish-config
    at: 2018-07-12T09:49:00Z
    action: publish
    package: eslint-config-eslint
    version: 5.0.2
    using: step:create-token
    payload: harvest-tokens
    installScripts: { postinstall: "node ./lib/build.js" }
    narrative: eslint-config-eslint@5.0.2 is published with a postinstall that sends ~/.npmrc to the attacker.
  - id: unpublish-config
    at: 2018-07-12T10:25:00Z
    action: unpublish
    package: eslint-config-eslint
    version: 5.0.2
    using: step:create-token
    narrative: The attacker unpublishes it again.
  - id: publish-scope
    at: 2018-07-12T10:40:00Z
    action: publish
    package: eslint-scope
    version: 3.7.2
    using: step:create-token
    payload: harvest-tokens
    installScripts: { postinstall: "node ./lib/build.js" }
    narrative: eslint-scope@3.7.2 is published with the same postinstall.
  - id: installs
    at: 2018-07-12T11:00:00Z
    actor: consumers
    action: install
    package: eslint-scope
    consumers: [dev-alice, dev-bob, dev-carol]
    narrative: Developers install eslint-scope; the postinstall runs on their machines.
  - id: npm-revokes-tokens
    at: 2018-07-12T12:30:00Z
    actor: staff
    action: staff-revoke-tokens
    createdBefore: 2018-07-12T12:30:00Z
    narrative: npm revokes every token created before the cutoff (12:30 UTC per ESLint, 14:30 UTC per npm).
  - id: npm-removes-version
    at: 2018-07-12T12:37:00Z
    actor: staff
    action: staff-remove-version
    package: eslint-scope
    version: 3.7.2
    narrative: eslint-scope@3.7.2 is taken down, 117 minutes after it went live.
goals:
  - id: malicious-eslint-release
    kind: publish-malicious
    packages: [eslint-scope, eslint-config-eslint]
    description: A malicious version of an ESLint package is published.
  - id: tokens-stolen
    kind: harvest-tokens
    description: The attacker collects npm tokens from installers' machines.
teaching:
  hints:
    - Which credential did the attacker start with, and what would a second factor have changed at login?
    - Does 2FA mode matter for this first act? Compare auth-only and auth-and-writes.
    - The payload stole tokens. What could those tokens do under auth-only? (See eslint-scope-2018-harvested-tokens.)
  whatHappened: >
    eslint-scope@3.7.2 was live from 10:40 to 12:37 UTC; a user reported it at 11:17 (eslint-scope#39).
    npm estimated that tokens of approximately 4,500 accounts could have been obtained, found no evidence
    any were used, and revoked every token created before the cutoff. npm: "we encourage every npmjs.com
    user to enable two-factor authentication, with which this morning's incident would have been impossible."
  remediation:
    - Enable 2FA (either mode stops the login with a leaked password).
    - Never reuse the npm password; use a password manager.
    - Keep only read-only or CIDR-limited tokens on developer machines, so a stolen ~/.npmrc cannot publish.
blastRadius:
  hoursLive: 1.95
  tokensExposed: 4500
  note: 3.7.2 was live 10:40-12:37 UTC; npm's figure of ~4,500 accounts whose tokens could have been obtained.

"""##),
        ("event-stream-2018.yaml", ##"""
# event-stream / flatmap-stream (npm, Sep-Nov 2018): a maintainer handover.
# Facts: dominictarr/event-stream#116 (20 Nov 2018) [F]; GHSA-mh6f-8j2x-4483 (event-stream),
# GHSA-9x64-5r7x-2q53 (flatmap-stream) [F]; public timelines [S] for the dates of 3.3.6 (9 Sep),
# flatmap-stream@0.1.1 (5 Oct) and npm's removal (26 Nov). Times of day are assumptions (the sources
# give days only); the day of the handover itself is not reported either: "early September" here.
id: event-stream-2018
title: "event-stream: the owner hands publish rights to a volunteer, who ships a backdoor"
date: 2018-10-05
summary: >
  The author of event-stream no longer used it and gave publish rights to a volunteer, right9ctrl,
  who asked to maintain it. right9ctrl added a dependency on a new package of their own,
  flatmap-stream, and later published flatmap-stream@0.1.1 with an encrypted payload (present only
  in the npm artifact, not in the GitHub source) that stole wallet keys from the Copay build. Every
  request the attacker made was a legitimate maintainer's.
references:
  - https://github.com/dominictarr/event-stream/issues/116
  - https://github.com/advisories/GHSA-mh6f-8j2x-4483
  - https://github.com/advisories/GHSA-9x64-5r7x-2q53
techniques: [T1078, T1195.002, AV-800]
world:
  accounts:
    - name: dominictarr
      email: dominic@dominictarr.example
    # The volunteer: a real npm account, owned and operated by the attacker. Whether it had 2FA is not
    # reported; the profiles decide (an attacker-controlled account holds its own second factor).
    - name: right9ctrl
      email: right9ctrl@right9ctrl-mail.example
      controlledBy: attacker
    # Two developers who depend on event-stream (stand-ins for its ~1.5-2M weekly downloads).
    - { name: dev-alice, email: alice@dev-alice.example }
    - { name: dev-bob, email: bob@dev-bob.example }
  machines:
    - { id: dominic-laptop, owner: dominictarr, address: 198.51.100.40 }
    - { id: alice-laptop, owner: dev-alice, address: 198.51.100.21 }
    - { id: bob-laptop, owner: dev-bob, address: 198.51.100.22 }
  packages:
    - name: event-stream
      maintainers: [dominictarr]
      versions: [3.3.4, 3.3.5]
      weeklyDownloads: 1500000      # [S] "~1.5-2M weekly downloads"; the lower figure is used
      repository: dominictarr/event-stream
attacker:
  address: 203.0.113.66
steps:
  - id: owner-logs-in
    at: 2018-09-04T10:00:00Z
    actor: dominictarr
    action: login
    account: dominictarr
    narrative: The original author logs in to npm (date assumed, early September 2018).
  - id: handover
    at: 2018-09-04T10:02:00Z
    actor: dominictarr
    action: owner-add
    package: event-stream
    user: right9ctrl
    using: step:owner-logs-in
    narrative: He adds the volunteer right9ctrl as a maintainer of event-stream, as asked by email.
  - id: volunteer-logs-in
    at: 2018-09-09T09:00:00Z
    action: login
    account: right9ctrl
    narrative: right9ctrl logs in to their own account.
  - id: publish-flatmap-clean
    at: 2018-09-09T09:10:00Z
    action: publish
    package: flatmap-stream
    newPackage: true
    version: 0.1.0
    using: step:volunteer-logs-in
    payload: none
    narrative: right9ctrl publishes a new package, flatmap-stream@0.1.0, with nothing harmful in it yet.
  - id: publish-event-stream-336
    at: 2018-09-09T09:20:00Z
    action: publish
    package: event-stream
    version: 3.3.6
    using: step:volunteer-logs-in
    payload: none
    narrative: >
      event-stream@3.3.6 adds a dependency on flatmap-stream@^0.1.0. The release itself is clean; it
      is the channel through which the next version of flatmap-stream reaches every installer.
  - id: volunteer-logs-in-again
    at: 2018-10-05T08:55:00Z
    action: login
    account: right9ctrl
    narrative: >
      Weeks later right9ctrl logs in again (as any maintainer would: a short session, where the era has
      them, is no obstacle to the account's rightful holder).
  - id: publish-flatmap-backdoor
    at: 2018-10-05T09:00:00Z
    action: publish
    package: flatmap-stream
    version: 0.1.1
    using: step:volunteer-logs-in-again
    payload: malware
    narrative: >
      flatmap-stream@0.1.1 carries an encrypted payload, only in the npm tarball, that targets the
      Copay wallet's build and steals wallet keys.
  - id: npm-removes-backdoor
    at: 2018-11-26T12:00:00Z
    actor: staff
    action: staff-remove-version
    package: flatmap-stream
    version: 0.1.1
    narrative: Six days after event-stream#116 was opened, npm removes flatmap-stream@0.1.1.
goals:
  - id: backdoor-published
    kind: publish-malicious
    packages: [flatmap-stream]
    description: A backdoored version of flatmap-stream, pulled in by event-stream, reaches the registry.
teaching:
  hints:
    - Which of the attacker's requests used a stolen credential? Look at who owns the right9ctrl account.
    - Compare historical with auth-and-writes and security-key. Why does no login defense change anything?
    - flatmap-stream was a brand-new package. Which profile settings could apply to a package nobody had configured?
    - The payload was only in the npm tarball, not in the GitHub source. What would provenance have shown a consumer?
  whatHappened: >
    The hand-over was voluntary: right9ctrl emailed the author asking to maintain event-stream, and
    was given publish rights (dominictarr on event-stream#116). event-stream@3.3.6 (9 Sep 2018) depended on flatmap-stream, whose
    0.1.1 (5 Oct) carried a payload aimed at the Copay bitcoin wallet's release build. It was found
    through dominictarr/event-stream#116 on 20 Nov and removed by npm on 26 Nov, about two and a half
    months after event-stream@3.3.6 went out.
  remediation:
    - Hand a package over only to people you know; prefer deprecating an unmaintained package, or transferring it to an established organisation.
    - As a consumer, review new maintainers and new dependencies in lockfile diffs; pin versions.
    - Check provenance against the expected repository; an artifact built outside it, or code only in the tarball, is a warning sign (detection, not prevention).
blastRadius:
  hoursLive: 1250
  note: >
    flatmap-stream@0.1.1 was live 5 Oct to 26 Nov 2018 [S], about 1,250 hours (the replay computes it
    from the removal step; times of day assumed). flatmap-stream did not exist before the story, so the simulator has no
    weekly-download figure for it: its reach came through event-stream@3.3.6 (~1.5-2M weekly downloads [S]).

"""##),
        ("nx-s1ngularity-2025.yaml", ##"""
# Nx "s1ngularity" (npm, 26-27 Aug 2025): CI compromised, the publishing token exfiltrated.
# Facts [F, Nx post-mortem nx.dev/blog/s1ngularity-postmortem; GHSA-cxm3-wv7p-598c]: a
# pull_request_target workflow echoed an unsanitized PR title (shell injection); the Actions token
# was read/write; the publish workflow was dispatchable; the attacker ran it with a modified script
# and exfiltrated NPM_TOKEN; the stolen token published malicious nx versions whose postinstall
# harvested secrets (npm and GitHub tokens among them, using local AI CLIs) into public GitHub
# repositories; active about 4 hours; ~6M weekly installs; the versions "lacked NPM provenance";
# npm revoked all Nx tokens; Nx moved to trusted publishing with manual 2FA approval per release.
# First malicious publish 22:32 UTC on 26 Aug [S]. GHSA-cxm3-wv7p-598c lists eight nx versions
# (20.9.0-20.12.0, 21.5.0-21.8.0) and several @nx/* plugins; two nx versions stand for all of them.
# Assumptions: the kind of NPM_TOKEN (the post-mortem does not name it; an automation token, the
# classic CI token that publishes without 2FA; a granular write token behaves the same in Aug 2025),
# the account name, all other times of day, and the three developers who install nx.
id: nx-s1ngularity-2025
title: "Nx s1ngularity: a CI injection leaks the npm token, and nx harvests its users' secrets"
date: 2025-08-26
summary: >
  A shell injection in a pull_request_target workflow let an attacker run code in Nx's CI. They
  dispatched the publish workflow with a modified script that exfiltrated NPM_TOKEN, then published
  malicious nx versions whose postinstall collected npm tokens, GitHub tokens and other secrets from
  every machine that installed them. Human 2FA never came into play: the token was made for CI.
references:
  - https://nx.dev/blog/s1ngularity-postmortem
  - https://github.com/nrwl/nx/security/advisories/GHSA-cxm3-wv7p-598c
techniques: [T1528, T1552.001, T1550.001, T1195.002, T1546.016, AV-605, AV-700]
world:
  accounts:
    - name: nx-release                   # assumption: the account behind NPM_TOKEN
      email: release@nx-team.example
      twoFactor: auth-and-writes         # assumption; the CI token is never asked for a code either way
    # Developers who install nx: each stands for many of its users.
    - { name: dev-alice, email: alice@dev-alice.example }
    - { name: dev-bob, email: bob@dev-bob.example }
    - { name: dev-carol, email: carol@dev-carol.example }
  machines:
    - id: nx-ci
      kind: ci
      owner: nx-release
      repository: nrwl/nx
      address: 192.0.2.20
      tokens:
        - { id: nx-npm-token, kind: automation, location: ci-secret, createdDaysBefore: 120 }
    - id: alice-laptop
      owner: dev-alice
      address: 198.51.100.21
      tokens: [{ id: alice-npmrc, kind: publish, location: npmrc }]     # written by npm login
    - id: bob-laptop
      owner: dev-bob
      address: 198.51.100.22
      tokens: [{ id: bob-npmrc, kind: publish, location: npmrc }]
    - id: carol-laptop
      owner: dev-carol
      address: 198.51.100.23
      tokens: [{ id: carol-env, kind: automation, location: environment }]   # NPM_TOKEN exported for release scripts
  packages:
    - name: nx
      maintainers: [nx-release]
      versions: [20.8.2, 21.4.1]
      weeklyDownloads: 6000000           # [F] "~6M weekly installs"
      repository: nrwl/nx
      releaseWorkflow: publish.yml
    - { name: alice-utils, maintainers: [dev-alice], versions: [1.2.0], repository: alice/alice-utils }
    - { name: bob-cli, maintainers: [dev-bob], versions: [0.4.1], repository: bob/bob-cli }
    - { name: carol-http, maintainers: [dev-carol], versions: [2.0.0], repository: carol/carol-http }
attacker:
  address: 203.0.113.66
steps:
  - id: exfiltrate-token
    at: 2025-08-26T22:00:00Z
    action: compromise-ci                # a poisoned workflow: the PR title reached a shell in pull_request_target
    machine: nx-ci
    narrative: >
      Through the PR-title injection the attacker runs code in Nx's CI, dispatches the publish
      workflow with a modified script, and sends NPM_TOKEN to themselves (time assumed).
  - id: publish-21-5-0
    at: 2025-08-26T22:32:00Z
    action: publish
    package: nx
    version: 21.5.0
    using: token:nx-npm-token
    payload: harvest-tokens
    narrative: nx@21.5.0 is published with a postinstall that collects secrets, npm tokens included, into a public GitHub repository.
  - id: publish-20-9-0
    at: 2025-08-26T22:39:00Z
    action: publish
    package: nx
    version: 20.9.0
    using: token:nx-npm-token
    payload: harvest-tokens
    narrative: nx@20.9.0 the same (six more nx versions and several @nx/* plugins follow).
  - id: developers-install
    at: 2025-08-26T23:30:00Z
    actor: consumers
    action: install
    package: nx
    version: 21.5.0
    consumers: [dev-alice, dev-bob, dev-carol]
    narrative: Developers install nx; the postinstall runs and uploads what it finds.
  - id: npm-removes-21-5-0
    at: 2025-08-27T02:32:00Z
    actor: staff
    action: staff-remove-version
    package: nx
    version: 21.5.0
    narrative: About four hours after the first one, the malicious versions are removed.
  - id: npm-removes-20-9-0
    at: 2025-08-27T02:32:00Z
    actor: staff
    action: staff-remove-version
    package: nx
    version: 20.9.0
    narrative: (removal, continued)
  - id: npm-revokes-nx-tokens
    at: 2025-08-27T03:00:00Z
    actor: staff
    action: staff-revoke-tokens
    createdBefore: 2025-08-27T03:00:00Z
    accounts: [nx-release]
    narrative: npm revokes every token of the Nx publishing account.
goals:
  - id: malicious-nx
    kind: publish-malicious
    packages: [nx]
    description: A malicious version of nx reaches the registry.
  - id: secrets-harvested
    kind: harvest-tokens
    description: The postinstall collects npm tokens from installers' machines.
teaching:
  hints:
    - Which credential published nx@21.5.0? Was a person asked for anything?
    - Compare no-2fa, auth-only, auth-and-writes and security-key. Why are all four the same?
    - Try disallow-tokens and trusted-publishing. Where does each one stop the attack?
    - The attacker could run the publish workflow itself. Under trusted publishing, what could that workflow still do? (Nx now requires a manual 2FA approval per release.)
  whatHappened: >
    From 22:32 UTC on 26 August 2025, malicious nx versions were published with a token exfiltrated
    from Nx's CI; their postinstall searched developer machines for secrets, using locally installed
    AI CLIs, and uploaded them to public GitHub repositories. They were live about four hours. Nx
    noticed that "the malicious packages lacked NPM provenance signing. Unfortunately, provenance
    doesn't block unsigned packages from being installed." npm revoked all Nx tokens; Nx moved to
    trusted publishing with a manual 2FA approval per release.
  remediation:
    - Publish with trusted publishing and set the package to disallow tokens; add a protected environment with manual approval for the release workflow.
    - Never run pull_request_target workflows that interpolate untrusted input into shell; keep the Actions token read-only.
    - As a consumer, check provenance against the expected repository and workflow before installing.
    - Keep read-only tokens on developer machines and install with --ignore-scripts where possible.
blastRadius:
  hoursLive: 4
  note: >
    Hours live from the removal steps ([F] "about 4 hours"); ~6M weekly installs of nx [F]. The three
    developers stand for the many installers whose secrets were uploaded.

"""##),
        ("rspack-2024.yaml", ##"""
# rspack (npm, 19 Dec 2024): a stolen npm publishing token.
# Facts: web-infra-dev/rspack#8767 [F]: "@rspack/core and @rspack/cli 1.1.7 are vulnerable versions
# released by the attacker"; the team "deprecated 1.1.7 and pointed the latest dist-tag to 1.1.6" and
# "invalidated all existing npm tokens and GitHub tokens"; described as npm-token compromise and the
# payload as an XMRig miner [S].
# Which token: the team's response (npm tokens revoked together with GitHub tokens) says the token
# served the project's GitHub-based release automation. A token that publishes from CI for a team
# whose accounts have 2FA is, in 2024, an automation token (npm's documented way to publish from CI
# without a code; a granular write token would behave the same before 5 Nov 2025). A classic
# publish token would have needed an OTP under auth-and-writes, which CI cannot type. So: an
# automation token in a CI secret, stolen from the CI system. How it left CI is not reported.
# Assumptions: the account name, its 2FA mode, all times of day, download figures, hours live.
id: rspack-2024
title: "rspack: a CI publishing token stolen and used to ship a miner"
date: 2024-12-19
summary: >
  An attacker obtained the npm token that rspack's release automation used, and published
  @rspack/core and @rspack/cli 1.1.7 with a cryptocurrency miner. A token made for CI publishing
  (an automation token here) never asks for a second factor, so the maintainers' 2FA played no part. The team moved latest back to 1.1.6,
  deprecated 1.1.7 and invalidated every npm and GitHub token.
references:
  - https://github.com/web-infra-dev/rspack/issues/8767
techniques: [T1528, T1550.001, T1195.002, AV-602, AV-605]
world:
  accounts:
    - name: rspack-release               # assumption: the account behind the CI token
      email: release@rspack-team.example
      twoFactor: auth-and-writes         # assumption; an automation token is never asked for a code either way
    - { name: dev-alice, email: alice@dev-alice.example }
  machines:
    - id: rspack-ci
      kind: ci
      owner: rspack-release
      repository: web-infra-dev/rspack
      address: 192.0.2.10
      tokens:
        - { id: rspack-npm-token, kind: automation, location: ci-secret, createdDaysBefore: 200 }
    - { id: alice-laptop, owner: dev-alice, address: 198.51.100.21 }
  packages:
    - name: "@rspack/core"
      maintainers: [rspack-release]
      versions: [1.1.6]
      weeklyDownloads: 300000            # assumption: order of magnitude for Dec 2024, not a sourced figure
      repository: web-infra-dev/rspack
      releaseWorkflow: release.yml
    - name: "@rspack/cli"
      maintainers: [rspack-release]
      versions: [1.1.6]
      weeklyDownloads: 100000            # assumption: order of magnitude, not a sourced figure
      repository: web-infra-dev/rspack
      releaseWorkflow: release.yml
attacker:
  address: 203.0.113.66
steps:
  - id: steal-token
    at: 2024-12-19T01:00:00Z
    action: steal-token
    token: rspack-npm-token
    narrative: The attacker obtains the npm token stored as a secret of rspack's CI (how is not reported).
  - id: publish-core
    at: 2024-12-19T01:30:00Z
    action: publish
    package: "@rspack/core"
    version: 1.1.7
    using: token:rspack-npm-token
    payload: malware
    narrative: From their own machine the attacker publishes @rspack/core@1.1.7 with an XMRig miner in a postinstall.
  - id: publish-cli
    at: 2024-12-19T01:32:00Z
    action: publish
    package: "@rspack/cli"
    version: 1.1.7
    using: token:rspack-npm-token
    payload: malware
    narrative: The same for @rspack/cli@1.1.7.
  - id: team-logs-in
    at: 2024-12-19T03:00:00Z
    actor: rspack-release
    action: login
    account: rspack-release
    narrative: Alerted by a user's report (rspack#8767), the team logs in.
  - id: latest-back-core
    at: 2024-12-19T03:05:00Z
    actor: rspack-release
    action: dist-tag
    package: "@rspack/core"
    tag: latest
    version: 1.1.6
    using: step:team-logs-in
    narrative: The team points @rspack/core's latest back to 1.1.6.
  - id: latest-back-cli
    at: 2024-12-19T03:06:00Z
    actor: rspack-release
    action: dist-tag
    package: "@rspack/cli"
    tag: latest
    version: 1.1.6
    using: step:team-logs-in
    narrative: The same for @rspack/cli.
  - id: team-revokes-token
    at: 2024-12-19T03:10:00Z
    actor: rspack-release
    action: revoke-token
    token: rspack-npm-token
    using: step:team-logs-in
    narrative: The team invalidates the npm token (and, outside this registry, its GitHub tokens).
goals:
  - id: malicious-rspack
    kind: publish-malicious
    packages: ["@rspack/core", "@rspack/cli"]
    description: A malicious version of an rspack package reaches the registry.
teaching:
  hints:
    - The account had 2FA. Which credential did the attacker present, and does that kind of token ever ask for a code?
    - Try auth-and-writes. What would have changed if CI had held a classic publish token instead? Could CI have typed the code?
    - Which limits belong to the token itself? Try cidr-tokens and granular-short-lived-tokens and compare.
    - Try trusted-publishing. Which step fails, and why is there nothing to steal?
  whatHappened: >
    On 19 December 2024 @rspack/core and @rspack/cli 1.1.7 were published by an attacker with a
    cryptocurrency miner. The team deprecated 1.1.7, pointed latest back to 1.1.6, invalidated all npm
    and GitHub tokens, and released 1.1.8, a re-release of 1.1.6 (rspack#8767).
  remediation:
    - Publish from CI with trusted publishing (OIDC), so that no long-lived npm token exists to steal.
    - Set packages to "require 2FA and disallow tokens" once trusted publishing works.
    - If a token must exist, limit it to the packages it publishes, to CI's addresses (CIDR) and to a short lifetime.
blastRadius:
  hoursLive: 1.5
  note: >
    Not reported: 1.1.7 is assumed to have been latest for about 1.5 hours (the replay's publish to
    the team's dist-tag change). Weekly downloads are assumptions, not sourced figures.

"""##),
        ("shai-hulud-2025.yaml", ##"""
# Shai-Hulud (npm, from 14-16 Sep 2025): a self-propagating worm running on stolen tokens.
# Facts: the install script harvested npm tokens (~/.npmrc, environment, CI secrets) and cloud
# secrets, published them to public GitHub repositories, and with each npm token enumerated the
# packages it could publish, injected itself, bumped the patch version and published, spreading from
# maintainer to maintainer [S Wiz, Unit 42, Socket]; GitHub removed 500+ packages [F github.blog,
# 22 Sep 2025]; later tallies ~800 [S]. How the first token was obtained is not established.
# This world is representative, not a roster of real victims: six fictional maintainers whose
# credentials are of the kinds the reports describe. Assumptions: patient zero's token is a classic
# publish token from npm login in ~/.npmrc (the commonest kind on a developer machine); among the
# other maintainers one has such a token, one an automation token exported as NPM_TOKEN for release
# scripts, one a granular write token in the environment; nobody has 2FA in the historical world
# (not reported); all times; all download figures.
# The dependency graph is representative too [I]: the reports say the worm reached machines that
# installed an infected package, directly or as a dependency; which packages depend on which here, and
# what each machine's projects install, are assumptions chosen so that the spread runs through both.
id: shai-hulud-2025
title: "Shai-Hulud: a worm that publishes itself with every npm token it finds"
date: 2025-09-15
summary: >
  A stolen npm token publishes a version of a popular package with a postinstall worm. On every
  machine that installs it, the worm collects npm tokens, publishes an infected patch release of
  every package each token can publish, and moves on to the machines that install those. Whether it
  spreads depends entirely on what each harvested token is allowed to do without a person present.
references:
  - https://github.blog/security/supply-chain-security/our-plan-for-a-more-secure-npm-supply-chain/
  - https://www.wiz.io/blog/shai-hulud-npm-supply-chain-attack
techniques: [T1528, T1552.001, T1550.001, T1195.002, T1546.016, AV-605]
world:
  accounts:
    - { name: pz-maint, email: pz@pz-maint.example }
    - { name: dev-bob, email: bob@dev-bob.example }
    - { name: dev-carol, email: carol@dev-carol.example }
    - { name: dev-dave, email: dave@dev-dave.example }
    - { name: dev-erin, email: erin@dev-erin.example }
    - { name: dev-frank, email: frank@dev-frank.example }   # installs packages, maintains none
  machines:
    - id: pz-laptop
      owner: pz-maint
      address: 198.51.100.80
      tokens: [{ id: pz-npmrc, kind: publish, location: npmrc }]
      installs: [http-lite]
    - id: bob-laptop
      owner: dev-bob
      address: 198.51.100.81
      tokens: [{ id: bob-npmrc, kind: publish, location: npmrc }]
      installs: [color-helpers]
    - id: carol-laptop
      owner: dev-carol
      address: 198.51.100.82
      tokens: [{ id: carol-env, kind: automation, location: environment }]
      installs: [color-helpers]
    - id: dave-laptop
      owner: dev-dave
      address: 198.51.100.83
      tokens: [{ id: dave-env, kind: granular, location: environment }]
      installs: [color-helpers]
    - id: erin-laptop
      owner: dev-erin
      address: 198.51.100.84
      tokens: [{ id: erin-npmrc, kind: publish, location: npmrc }]
      installs: [log-tiny]                 # which depends on date-bits
    - id: frank-laptop
      owner: dev-frank
      address: 198.51.100.85
      tokens: [{ id: frank-npmrc, kind: publish, location: npmrc }]
      installs: [env-config]               # which depends on http-lite
  packages:
    - { name: color-helpers, maintainers: [pz-maint], versions: [4.1.0], weeklyDownloads: 2000000, repository: pz/color-helpers }
    - { name: date-bits, maintainers: [dev-bob], versions: [3.1.0], weeklyDownloads: 400000, repository: bob/date-bits, dependencies: [color-helpers] }
    - { name: http-lite, maintainers: [dev-carol], versions: [1.8.2], weeklyDownloads: 250000, repository: carol/http-lite }
    - { name: log-tiny, maintainers: [dev-dave], versions: [0.9.0], weeklyDownloads: 90000, repository: dave/log-tiny, dependencies: [date-bits] }
    - { name: env-config, maintainers: [dev-erin], versions: [2.2.0], weeklyDownloads: 60000, repository: erin/env-config, dependencies: [http-lite] }
attacker:
  address: 203.0.113.66
steps:
  - id: steal-patient-zero-token
    at: 2025-09-15T10:00:00Z
    action: steal-token
    token: pz-npmrc
    narrative: The attacker holds the npm token from patient zero's ~/.npmrc (how they got it is not established).
  - id: publish-patient-zero
    at: 2025-09-15T10:30:00Z
    action: publish
    package: color-helpers
    version: 4.1.1
    using: token:pz-npmrc
    payload: worm
    narrative: With it, the attacker publishes color-helpers@4.1.1 with the worm in a postinstall script.
  - id: first-installs
    at: 2025-09-15T12:00:00Z
    actor: consumers
    action: install
    package: color-helpers
    consumers: [dev-bob, dev-carol, dev-dave]
    narrative: Three maintainers of other packages install color-helpers for their projects; the worm reads their npm tokens.
  - id: worm-spreads
    at: 2025-09-15T12:05:00Z
    action: worm-spread
    generations: 2
    narrative: >
      On each infected machine the worm takes every npm token it found, lists the packages that token
      can publish, and publishes an infected patch release of each; the machines whose projects install
      them, by name or through a dependency, are harvested in turn (two generations).
goals:
  - id: patient-zero
    kind: publish-malicious
    packages: [color-helpers]
    description: The first infected version reaches the registry.
  - id: worm-propagates
    kind: publish-malicious
    packages: [date-bits, http-lite, log-tiny, env-config]
    description: The worm publishes itself into another maintainer's package.
  - id: tokens-harvested
    kind: harvest-tokens
    description: The worm collects npm tokens from installers' machines.
teaching:
  hints:
    - The worm runs inside npm install, on a machine nobody is watching. Which tokens can publish without a person typing a code?
    - Under auth-and-writes the attack stops at the very first publish. Why? Would it have stopped there had the stolen token been an automation token?
    - Under cidr-tokens the attacker's own publish fails, because it comes from the attacker's address. The worm publishes from the infected machine itself. Would the CIDR limit stop it there?
    - Which setting of the package itself refuses every token, whatever its kind?
    - Nobody here installs http-lite or date-bits by name, yet the worm reaches the machines of erin and frank. Through which packages?
  whatHappened: >
    From 14-16 September 2025 a worm spread through npm: its install script harvested npm tokens and
    cloud secrets, published them to public GitHub repositories, and with each npm token injected
    itself into every package the token could publish. GitHub removed more than 500 packages; later
    tallies reached about 800. On 22 September GitHub announced its plan: 2FA for local publishing,
    short-lived granular tokens and trusted publishing, and the end of classic tokens.
  remediation:
    - Set packages to "require 2FA and disallow tokens" and publish through trusted publishing; a harvested token then publishes nothing.
    - Keep only read-only tokens on developer machines; never export a publishing token into the shell environment.
    - Use 2FA in auth-and-writes mode and avoid automation or bypass tokens on laptops.
    - Install with --ignore-scripts, or wait before installing new versions, so the worm never runs.
blastRadius:
  hoursLive: 12
  note: >
    Representative world: download figures and the 12 hours each infected version is assumed to stay
    live are assumptions; the real worm reached 500+ packages [F] (~800 by later counts [S]).

"""##),
        ("solana-web3js-2024.yaml", ##"""
# @solana/web3.js (npm, 3 Dec 2024): a phished publish-access account, the 2FA code relayed.
# Facts: GHSA-jcxm-7wvp-g6p5 / CVE-2024-54134 [F]: "a publish-access account was compromised";
# 1.95.6 and 1.95.7 stole private keys; affected window 15:20-20:25 UTC; both unpublished; fixed in
# 1.95.8. Root cause per the project's RCA: spear-phishing captured username, password and 2FA
# details [S]. Weekly downloads ~450,000 [S, order of magnitude].
# Assumptions, marked where used: the account name; its 2FA mode (TOTP, auth-and-writes: npm's
# recommended mode; with a relayed code the mode does not change the verdict here); when the victim
# was on the phishing page (before 15:20, and over before the first publish: the attacker minted a
# token precisely so that publishing later needed no further codes); the time of 1.95.7.
id: solana-web3js-2024
title: "@solana/web3.js: a phished maintainer, a relayed 2FA code, a token minted on the spot"
date: 2024-12-03
summary: >
  A maintainer with publish access to @solana/web3.js was spear-phished. The phishing page passed
  username, password and one-time codes to the attacker in real time; the attacker logged in, created
  a granular write token while the victim was still on the page, and later published 1.95.6 and
  1.95.7, which sent private keys to the attacker. Until 5 Nov 2025 such a token published without
  any further code.
references:
  - https://github.com/solana-labs/solana-web3.js/security/advisories/GHSA-jcxm-7wvp-g6p5
  - https://nvd.nist.gov/vuln/detail/CVE-2024-54134
techniques: [T1566.002, T1111, T1195.002, AV-602, AV-606]
world:
  accounts:
    - name: solana-maintainer             # assumption: the account is not named in the advisory
      email: maintainer@solana-maint.example
      twoFactor: auth-and-writes          # [S] the RCA says 2FA details were captured; mode assumed
      factor: totp
  machines:
    - { id: maintainer-laptop, owner: solana-maintainer, address: 198.51.100.60 }
  packages:
    - name: "@solana/web3.js"
      maintainers: [solana-maintainer]
      versions: [1.95.5]
      weeklyDownloads: 450000             # [S] order of magnitude
      repository: solana-labs/solana-web3.js
      releaseWorkflow: release.yml
attacker:
  address: 203.0.113.66
steps:
  - id: phish
    at: 2024-12-03T14:40:00Z
    action: phish
    account: solana-maintainer
    origin: https://npmjs-support.example
    minutes: 15
    narrative: >
      The maintainer follows a spear-phishing link to a copy of the npm login page (time assumed) and
      types the password and, when asked, codes from the authenticator. The page relays every one
      of them to the attacker as it is typed.
  - id: login
    at: 2024-12-03T14:42:00Z
    action: login
    account: solana-maintainer
    narrative: The attacker logs in to npm as the maintainer with the relayed password and code.
  - id: create-token
    at: 2024-12-03T14:45:00Z
    action: create-token
    account: solana-maintainer
    using: step:login
    kind: granular
    narrative: >
      Still within the victim's visit, the attacker creates a granular write token (the page asks
      for "one more code"). In 2024 such a token publishes without a second factor.
  - id: publish-1956
    at: 2024-12-03T15:20:00Z
    action: publish
    package: "@solana/web3.js"
    version: 1.95.6
    using: step:create-token
    payload: malware
    narrative: With the token, after the victim has left the page, the attacker publishes 1.95.6, which steals private keys.
  - id: publish-1957
    at: 2024-12-03T15:45:00Z
    action: publish
    package: "@solana/web3.js"
    version: 1.95.7
    using: step:create-token
    payload: malware
    narrative: 1.95.7 follows with the same backdoor (time assumed).
  - id: unpublish-1956
    at: 2024-12-03T20:25:00Z
    actor: staff
    action: staff-remove-version
    package: "@solana/web3.js"
    version: 1.95.6
    narrative: Both versions are unpublished (modelled as a removal); the affected window closes at 20:25 UTC.
  - id: unpublish-1957
    at: 2024-12-03T20:25:00Z
    actor: staff
    action: staff-remove-version
    package: "@solana/web3.js"
    version: 1.95.7
    narrative: (removal, continued)
goals:
  - id: malicious-web3js
    kind: publish-malicious
    packages: ["@solana/web3.js"]
    description: A key-stealing version of @solana/web3.js reaches the registry.
teaching:
  hints:
    - The maintainer had 2FA. What exactly did the phishing page capture, and how fast did it pass it on?
    - Compare auth-only and auth-and-writes. Why does neither stop a code that is relayed while the victim types it?
    - Why did the attacker create a token instead of publishing straight away? Look at the times of the publishes.
    - Try security-key. For which web address does the key sign, and which address does the registry expect?
    - Try npm-2025-12. The same token, created after 5 Nov 2025, would lack the bypass-2FA flag. What happens at the publish?
  whatHappened: >
    On 3 December 2024 @solana/web3.js 1.95.6 and 1.95.7 were published from a compromised
    publish-access account; they exfiltrated private keys from applications that handled them
    directly. Projects that updated between 15:20 and 20:25 UTC were affected; the versions were
    unpublished and 1.95.8 released (GHSA-jcxm-7wvp-g6p5). The project's RCA names spear-phishing
    that captured username, password and 2FA details.
  remediation:
    - Use a security key (WebAuthn) as the second factor. Its signature names the site it was made for, so a phishing page cannot relay it.
    - Publish from CI with trusted publishing and set packages to disallow tokens, so a token minted in a phished session cannot publish.
    - Review the account's tokens after any suspicious login (npm token list) and revoke unknown ones.
blastRadius:
  note: >
    Hours live come from the removal steps (the advisory's 15:20-20:25 UTC window); ~450,000 weekly
    downloads is a secondary, order-of-magnitude figure.

"""##),
        ("tutorial.yaml", ##"""
# First workshop exercise: a reused password, no second factor, one malicious publish.
# Fictional: the people, package and dates are invented to keep the first run short. It follows the
# pattern of eslint-scope-2018 (a leaked password reused on npm), without the token-stealing payload.
id: tutorial
title: "Tutorial: one reused password, one malicious release"
date: 2019-04-02
summary: >
  Sam maintains a small but popular package, tiny-format. Sam used the same password on a forum
  whose user database leaked, and has no two-factor authentication on npm. The attacker tries the
  leaked password on npm, logs in, and publishes a new version of tiny-format with malware in it.
  Your job: find which defenses would have stopped this, and at which step.
references:
  - https://eslint.org/blog/2018/07/postmortem-for-malicious-package-publishes   # the real case this pattern comes from
techniques: [T1110.004, T1078, T1195.002, AV-602, AV-603]
world:
  accounts:
    - name: sam
      email: sam@sam-dev.example
      passwordReused: true      # the same password as on the breached forum
      twoFactor: disabled       # Sam never turned 2FA on
  packages:
    - name: tiny-format
      maintainers: [sam]
      versions: [2.3.0]
      weeklyDownloads: 120000   # invented for the exercise
      repository: sam/tiny-format
      releaseWorkflow: release.yml
attacker:
  address: 203.0.113.66
steps:
  - id: leaked-password
    at: 2019-04-02T08:00:00Z
    action: reuse-breached-password
    account: sam
    narrative: >
      The attacker finds Sam's email and password in a leaked forum database and guesses that Sam
      uses the same password on npm.
  - id: login
    at: 2019-04-02T08:05:00Z
    action: login
    account: sam
    narrative: The attacker logs in to npm as Sam with that password. npm hands out a token for the session.
  - id: publish
    at: 2019-04-02T08:10:00Z
    action: publish
    package: tiny-format
    version: 2.3.1
    using: step:login
    payload: malware
    narrative: With the token from the login, the attacker publishes tiny-format@2.3.1 with malware inside.
  - id: npm-removes-version
    at: 2019-04-02T12:10:00Z
    actor: staff
    action: staff-remove-version
    package: tiny-format
    version: 2.3.1
    narrative: Four hours later a user reports the odd release and npm takes it down.
goals:
  - id: malicious-release
    kind: publish-malicious
    packages: [tiny-format]
    description: A malicious version of tiny-format reaches the registry.
teaching:
  hints:
    - Look at the attacker's first step. What did they start with, and what else would they have needed to log in?
    - Run the scenario under auth-only and under auth-and-writes. Does the 2FA mode matter here? Why not?
    - The package's own publishing setting can also refuse the publish. Try disallow-tokens and see which step fails.
    - Try npm-2025-12. Sam still has no 2FA there, yet the login fails. Which code does npm email, and to whom?
  whatHappened: >
    This story is invented for the workshop, but it is how eslint-scope was compromised on 12 July 2018:
    a maintainer "had reused their npm password on several other sites and did not have two-factor
    authentication enabled". Here the malicious tiny-format@2.3.1 stays live for four hours before npm
    removes it.
  remediation:
    - Turn on two-factor authentication for npm (either mode stops a login with a leaked password).
    - Use a password manager and a unique password for npm.
    - Set your packages to require 2FA for publishing (npm access set mfa=publish).
blastRadius:
  hoursLive: 4
  note: Invented figures for the exercise (120,000 weekly downloads, four hours live).

"""##),
        ("ua-parser-js-2021.yaml", ##"""
# ua-parser-js (npm, 22 Oct 2021): a hijacked maintainer account, three malicious versions, and the
# packages that depend on it carrying them to their installers.
# Facts: "The npm package ua-parser-js had three versions published with malicious code. Users of affected
# versions (0.7.29, 0.8.0, 1.0.0) should upgrade as soon as possible"; "Any computer that has this package
# installed or running should be considered fully compromised" [F, GHSA-pjwm-rvh2-c87w]. npm's warning on
# the package read "This package has been hijacked. Please revert to 0.7.28" [F, faisalman/ua-parser-js#536].
# The versions ran a preinstall script that downloaded a miner (preinstall.bat fetching jsextension.exe
# [F, faisalman/ua-parser-js#538]; "installing xmrig miners on machines that tries to install it"
# [F, karma-runner/karma#3713]); a credential stealer came with it [S]. Dependents carried it: fbjs
# ("fbjs > ua-parser-js@0.7.29", facebook/fbjs#464) and karma (karma-runner/karma#3712). The maintainer
# published clean 0.7.30, 0.8.1 and 1.0.1 and the malicious versions were removed after about four hours
# [S]; ~7M weekly downloads [S].
# How the account was taken is not reported. Assumptions: a password the attacker knew and no 2FA on the
# account (npm did not require it in 2021, and login verification by email came in December); all times;
# the owner's and the dependents' account names; the consumers; fbjs's and karma's downloads; the model's
# single latest tag (a dependent takes ua-parser-js's newest release, as a caret range takes a new patch [I]).
id: ua-parser-js-2021
title: "ua-parser-js: a hijacked account, a miner in a preinstall, and the dependents that spread it"
date: 2021-10-22
summary: >
  Someone took over the npm account of ua-parser-js's maintainer and published 0.7.29, 0.8.0 and
  1.0.0 with a preinstall script that downloaded a cryptocurrency miner and a credential stealer.
  Few people install ua-parser-js by name: it reached machines through the packages that depend on
  it, such as fbjs and karma. npm flagged the package as hijacked; the maintainer published clean
  releases and the malicious ones were removed hours later.
references:
  - https://github.com/advisories/GHSA-pjwm-rvh2-c87w
  - https://github.com/faisalman/ua-parser-js/issues/536
  - https://github.com/faisalman/ua-parser-js/issues/538
  - https://github.com/facebook/fbjs/issues/464
  - https://github.com/karma-runner/karma/issues/3713
techniques: [T1078, T1195.002, T1496, AV-602]
world:
  accounts:
    - name: faisalman
      email: faisal@faisalman-mail.example
      passwordReused: true                 # assumption: how the attacker got in is not reported
    - { name: fbjs-team, email: fbjs@fbjs-team.example }
    - { name: karma-team, email: karma@karma-team.example }
    - { name: dev-alice, email: alice@dev-alice.example }
    - { name: dev-bob, email: bob@dev-bob.example }
  machines:
    - { id: faisal-laptop, owner: faisalman, address: 198.51.100.90 }
    - { id: alice-laptop, owner: dev-alice, address: 198.51.100.21, installs: [karma] }
    - { id: bob-laptop, owner: dev-bob, address: 198.51.100.22, installs: [fbjs] }
  packages:
    - name: ua-parser-js
      maintainers: [faisalman]
      versions: [0.7.28]
      weeklyDownloads: 7000000             # [S] "~7 million weekly downloads"
      repository: faisalman/ua-parser-js
    - name: fbjs
      maintainers: [fbjs-team]
      versions: [3.0.0]
      weeklyDownloads: 4000000             # assumption: order of magnitude
      dependencies: [ua-parser-js]         # facebook/fbjs#464
    - name: karma
      maintainers: [karma-team]
      versions: [6.3.4]
      weeklyDownloads: 2000000             # assumption: order of magnitude
      dependencies: [ua-parser-js]         # karma-runner/karma#3712
attacker:
  address: 203.0.113.66
steps:
  - id: breach
    at: 2021-10-22T12:00:00Z
    action: reuse-breached-password
    account: faisalman
    narrative: The attacker has the maintainer's password (how is not reported; a reused one is assumed).
  - id: login
    at: 2021-10-22T12:05:00Z
    action: login
    account: faisalman
    narrative: They log in to npm as the maintainer; in October 2021 npm asks nothing more of an account without 2FA.
  - id: publish-0-7-29
    at: 2021-10-22T12:15:00Z
    action: publish
    package: ua-parser-js
    version: 0.7.29
    using: step:login
    payload: malware
    installScripts: { preinstall: "start preinstall.bat" }
    narrative: ua-parser-js@0.7.29 goes out with a preinstall that downloads a miner and a credential stealer.
  - id: publish-0-8-0
    at: 2021-10-22T12:16:00Z
    action: publish
    package: ua-parser-js
    version: 0.8.0
    using: step:login
    payload: malware
    installScripts: { preinstall: "start preinstall.bat" }
    narrative: The same for 0.8.0.
  - id: publish-1-0-0
    at: 2021-10-22T12:17:00Z
    action: publish
    package: ua-parser-js
    version: 1.0.0
    using: step:login
    payload: malware
    installScripts: { preinstall: "start preinstall.bat" }
    narrative: The same for 1.0.0.
  - id: installs-karma
    at: 2021-10-22T13:00:00Z
    actor: consumers
    action: install
    package: karma
    consumers: [dev-alice]
    narrative: A developer installs karma, which depends on ua-parser-js; npm resolves its newest release.
  - id: installs-fbjs
    at: 2021-10-22T13:30:00Z
    actor: consumers
    action: install
    package: fbjs
    consumers: [dev-bob]
    narrative: Another installs fbjs, which depends on ua-parser-js too.
  - id: remove-0-7-29
    at: 2021-10-22T16:15:00Z
    actor: staff
    action: staff-remove-version
    package: ua-parser-js
    version: 0.7.29
    narrative: About four hours later the malicious versions are removed.
  - id: remove-0-8-0
    at: 2021-10-22T16:15:00Z
    actor: staff
    action: staff-remove-version
    package: ua-parser-js
    version: 0.8.0
    narrative: (removal, continued)
  - id: remove-1-0-0
    at: 2021-10-22T16:15:00Z
    actor: staff
    action: staff-remove-version
    package: ua-parser-js
    version: 1.0.0
    narrative: (removal, continued)
goals:
  - id: malicious-ua-parser
    kind: publish-malicious
    packages: [ua-parser-js]
    description: A malicious version of ua-parser-js reaches the registry.
teaching:
  hints:
    - Nobody in this world installs ua-parser-js by name. How does the miner reach their machines?
    - The account had no 2FA. Try auth-only. Which step fails, and would the attacker have needed more than the password?
    - Write a profile with the consumer-side defense ignore-scripts (docs/format.md). Which steps does it stop, and what does it leave to the registry?
    - The dependents' maintainers did nothing wrong. What could they, and their installers, have done to take a new release of a dependency more slowly?
  whatHappened: >
    On 22 October 2021 ua-parser-js 0.7.29, 0.8.0 and 1.0.0 were published from the hijacked account of
    its maintainer, with a preinstall script that downloaded a cryptocurrency miner and, reportedly, a
    credential stealer (GHSA-pjwm-rvh2-c87w, ua-parser-js#538). Packages that depend on it, such as fbjs
    and karma, carried it to their installers. npm marked the package as hijacked; the maintainer
    published 0.7.30, 0.8.1 and 1.0.1, and the malicious versions were removed.
  remediation:
    - Turn on 2FA for the account (npm began requiring it for high-impact maintainers in 2022).
    - Consumers can install with --ignore-scripts, use lockfiles, and wait before taking new releases of their dependencies.
    - A package that many others depend on is worth a publishing setting that requires 2FA for every publish.
blastRadius:
  note: >
    Hours live come from the removal steps (about four hours [S]). ua-parser-js's weekly downloads are a
    secondary figure; those of fbjs and karma are assumptions.

"""##),
        ("profiles/auth-and-writes.yaml", #"""
id: auth-and-writes
title: 2FA in auth-and-writes mode
description: >
  Every account has a TOTP authenticator in auth-and-writes mode: a code at login, for account
  changes and for every publish and other write, whatever token is used (automation tokens excepted).
era: scenario
defenses:
  - id: two-factor
    mode: auth-and-writes
    factor: totp

"""#),
        ("profiles/auth-only.yaml", #"""
id: auth-only
title: 2FA in auth-only mode
description: >
  Every account has a TOTP authenticator in auth-only mode: a code at login and for account
  changes (and for token management from 29 Aug 2022), but not for publishing.
era: scenario
defenses:
  - id: two-factor
    mode: auth-only
    factor: totp

"""#),
        ("profiles/cidr-tokens.yaml", #"""
id: cidr-tokens
title: CIDR-limited tokens
description: >
  Every token is limited to the network of the machine it lives on (npm token create --cidr=...):
  a stolen token used from the attacker's address is refused.
era: scenario
defenses:
  - id: cidr-tokens
    prefix: 24

"""#),
        ("profiles/disallow-tokens.yaml", #"""
id: disallow-tokens
title: Packages require 2FA and disallow tokens
description: >
  Every package is set to "Require two-factor authentication and disallow tokens"
  (npm access set mfa=publish): only an interactive publish with a second factor works.
era: scenario
defenses:
  - id: disallow-tokens

"""#),
        ("profiles/granular-short-lived-tokens.yaml", #"""
id: granular-short-lived-tokens
title: Granular, short-lived tokens
description: >
  Every token is a granular access token limited to the packages it is meant for, expiring
  7 days after creation (so the token on a machine is at most a few days old).
era: scenario
defenses:
  - id: granular-short-lived-tokens
    lifetimeDays: 7

"""#),
        ("profiles/historical.yaml", #"""
id: historical
title: As it happened
description: >
  The registry rules of the scenario's own date and the defenses the victims really had.
  Every bundled incident reaches its goal here, as it did in reality.
era: scenario
defenses: []

"""#),
        ("profiles/no-2fa.yaml", #"""
id: no-2fa
title: No two-factor authentication
description: Every account without a second factor; the rules of the scenario's date.
era: scenario
defenses:
  - id: two-factor
    mode: disabled

"""#),
        ("profiles/npm-2025-12.yaml", #"""
id: npm-2025-12
title: npm's rules after 9 Dec 2025
description: >
  The registry's own defaults from 10 Dec 2025 applied to the world as it was: classic tokens
  revoked, npm login yields a 2-hour session, publishing needs 2FA or a bypass-2FA granular token.
era: 2025-12-10
defenses: []

"""#),
        ("profiles/npm-2027-01.yaml", #"""
id: npm-2027-01
title: npm's rules announced for January 2027
description: >
  The registry's rules as npm announced them for January 2027, applied to the world as it was: bypass-2FA tokens
  read and stage only, on top of everything of 2026 (sessions, 2FA for publishing, staged publishing).
era: 2027-01-15
defenses: []

"""#),
        ("profiles/read-only-tokens.yaml", #"""
id: read-only-tokens
title: Read-only tokens on developer machines
description: >
  The tokens in developers' ~/.npmrc files and environments are read-only
  (npm token create --read-only); only CI holds a token that can publish.
era: scenario
defenses:
  - id: read-only-tokens

"""#),
        ("profiles/security-key.yaml", #"""
id: security-key
title: Security keys, auth-and-writes
description: >
  Every account's second factor is a security key (WebAuthn) in auth-and-writes mode. Its
  signature is bound to the site's origin, so a phishing page cannot relay it.
era: scenario
defenses:
  - id: two-factor
    mode: auth-and-writes
    factor: security-key

"""#),
        ("profiles/staged-publishing.yaml", #"""
id: staged-publishing
title: Staged publishing with stage-only tokens
description: >
  Every token that writes, on developers' machines and in CI, can only stage: a version goes live when a
  maintainer approves it with 2FA. The world keeps its own date's rules; the tokens are what changes.
defenses:
  - id: stage-only-tokens

"""#),
        ("profiles/trusted-publishing.yaml", #"""
id: trusted-publishing
title: Trusted publishing (OIDC)
description: >
  Packages with a repository publish only from their release workflow with short-lived OIDC
  credentials; CI stores no npm token; the packages disallow tokens, as npm recommends.
era: scenario
defenses:
  - id: trusted-publishing

"""#),
    ]
}
