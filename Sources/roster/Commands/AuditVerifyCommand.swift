import RosterCore

/// `roster audit verify`: recompute the hash chain and name the first bad record.
struct AuditVerifyCommand: Command {
    static let path = ["audit", "verify"]
    static let abstract = "Recompute the audit hash chain; name the first bad seq (exit 1)."
    static let options: [OptionSpec] = []

    let context: CommandContext

    init(_ arguments: ParsedArguments, context: CommandContext) throws {
        self.context = context
    }

    func run() async throws -> Int32 {
        let configuration = try context.loadConfiguration()
        let database = try context.openExistingDirectory(configuration)
        switch try database.verifyAudit() {
        case .valid(let count):
            Console.out("audit chain valid: \(count) records")
            return ExitCode.ok
        case .broken(let seq, let reason):
            Console.error("audit chain broken at seq \(seq): \(reason)")
            return ExitCode.runtime
        }
    }
}
