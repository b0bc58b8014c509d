import DrillRegistry

// Public initialisers for the model and outcome values, so other modules (reports, golden-file tests,
// the CLI's tests) can build them inline without loading scenario files.
//
// Swift synthesises memberwise initialisers as internal, and an extension cannot redeclare one with the
// same labels ("invalid redeclaration of synthesized memberwise init"). So each public initialiser here
// differs from the memberwise one on purpose: it leaves out a field with an obvious default (a source
// position, a file path), or takes the fields in reading order (when, who, what, then the outcome).
// Fields left out are public `var`s: set them after construction.

extension Scenario {
    /// A scenario with no file (`file` is empty; set it if you need one).
    public init(id: String, title: String, date: RegistryEra, summary: String, references: [String] = [], techniques: [String] = [],
                world: World = World(), attacker: Attacker = Attacker(), steps: [Step] = [], goals: [Goal] = [],
                teaching: Teaching = Teaching(), blastRadius: BlastRadiusInputs? = nil) {
        self.id = id; self.title = title; self.date = date; self.summary = summary; self.references = references
        self.techniques = techniques; self.world = world; self.attacker = attacker; self.steps = steps; self.goals = goals
        self.teaching = teaching; self.blastRadius = blastRadius; self.file = ""
    }
}

extension World {
    /// An empty world: no accounts, machines, packages, orgs or mail domains.
    public init() {
        self.accounts = []; self.machines = []; self.packages = []; self.orgs = []; self.mailDomains = []
    }
}

extension Attacker {
    /// An attacker at `address` who holds no passwords or tokens at the start.
    public init(address: IPAddress = IPAddress("203.0.113.66")!) {
        self.address = address; self.knowsPasswords = []; self.holdsTokens = []
    }
}

extension Step {
    /// A step at the start of no file (`position` is line 1, column 1).
    public init(id: String, at: Int64, actor: StepActor, action: Action, account: String? = nil, narrative: String) {
        self.id = id; self.at = at; self.actor = actor; self.action = action; self.account = account; self.narrative = narrative
        self.position = .start
    }
}

extension Goal {
    /// A goal at the start of no file (`position` is line 1, column 1).
    public init(id: String, kind: Kind, packages: [String] = [], account: String? = nil, description: String) {
        self.id = id; self.kind = kind; self.packages = packages; self.account = account; self.description = description
        self.position = .start
    }
}

extension Teaching {
    /// No hints, no story, no remediation.
    public init() { self.hints = []; self.whatHappened = ""; self.remediation = [] }

    public init(whatHappened: String, hints: [String] = [], remediation: [String] = []) {
        self.hints = hints; self.whatHappened = whatHappened; self.remediation = remediation
    }
}

extension BlastRadiusInputs {
    /// The figures without a note (set `note` after construction).
    public init(hoursLive: Double? = nil, tokensExposed: Int? = nil) {
        self.hoursLive = hoursLive; self.tokensExposed = tokensExposed; self.note = nil
    }
}

extension StepOutcome {
    /// In reading order: which step, when, who, what, the story; then what the registry did.
    public init(id: String, at: Int64, actor: String, action: String, narrative: String, status: StepStatus, message: String,
                rule: String? = nil, defense: String? = nil, details: [String] = []) {
        self.id = id; self.action = action; self.actor = actor; self.at = at; self.status = status; self.rule = rule
        self.defense = defense; self.message = message; self.narrative = narrative; self.details = details
    }
}

extension VersionReach {
    /// The inputs (package, version, weekly downloads, hours live), then the estimate.
    public init(package: String, version: String, weeklyDownloads: Int, hoursLive: Double?, estimatedInstalls: Int?) {
        self.package = package; self.version = version; self.hoursLive = hoursLive; self.weeklyDownloads = weeklyDownloads
        self.estimatedInstalls = estimatedInstalls
    }
}

extension BlastRadius {
    /// An estimate (`isEstimate` defaults to true) with the method that produced it.
    public init(versions: [VersionReach], tokensHarvested: Int, tokensExposedFigure: Int?, method: String, isEstimate: Bool = true) {
        self.versions = versions; self.tokensHarvested = tokensHarvested; self.tokensExposedFigure = tokensExposedFigure
        self.isEstimate = isEstimate; self.method = method
    }
}

extension RunOutcome {
    /// In reading order: which run, its steps, then the verdict.
    public init(scenario: String, scenarioTitle: String, profile: String, era: String, steps: [StepOutcome], attackSucceeded: Bool,
                goalsReached: [String], stoppedBy: String?, stoppedAtStep: String?, blastRadius: BlastRadius? = nil) {
        self.scenario = scenario; self.scenarioTitle = scenarioTitle; self.profile = profile; self.era = era
        self.attackSucceeded = attackSucceeded; self.goalsReached = goalsReached; self.stoppedBy = stoppedBy
        self.stoppedAtStep = stoppedAtStep; self.steps = steps; self.blastRadius = blastRadius
    }
}

extension DefenseVerdict {
    /// The defense, whether it stops the scenario, then where (step), how (rule) and what the registry said.
    public init(defense: String, title: String, stops: Bool, atStep stoppedAtStep: String?, rule: String?, message: String?) {
        self.defense = defense; self.title = title; self.stops = stops; self.stoppedAtStep = stoppedAtStep; self.rule = rule
        self.message = message
    }
}

extension Explanation {
    /// The scenario, the verdict of each single defense, and whether the attack succeeded as it happened.
    public init(scenario: String, scenarioTitle: String, verdicts: [DefenseVerdict], historicalSucceeded: Bool) {
        self.scenario = scenario; self.scenarioTitle = scenarioTitle; self.historicalSucceeded = historicalSucceeded; self.verdicts = verdicts
    }
}
