import ArgumentParser
import Foundation
import RoleAuditKit

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what roleaudit reads from exports: sources, accounts, tenants, coverage, or one principal's access.",
        discussion: """
            PATH is an export file or a folder of them (searched recursively; .json, .csv, .tsv, .xml). \
            Formats are detected from content. Exit code 2 when an input cannot be read.
            """
    )

    @Argument(help: "Export files or folders.")
    var paths: [String]

    @Option(help: "Show this principal's effective access, each capability with the grants and files that give it.")
    var principal: String?

    @Option(help: "Show this person's access on every platform, account, organization and tenant (matched by email, any case, and the policy's identities), and the findings about them.")
    var person: String?

    @Option(help: "With --person: the policy file (identities, service accounts, rule settings).")
    var policy: String?

    @Option(help: "With --person: the HR roster CSV, as scan --roster reads it.")
    var roster: String?

    @Option(help: "With --person: the time the findings are judged at, ISO-8601 (default: now).")
    var now: String?

    @Option(help: "Output format: table, csv or json.")
    var format: ListingFormat = .table

    @Option(name: .customLong("exclude"), help: ArgumentHelp("Leave out files whose name or path matches this glob (repeatable).", valueName: "glob"))
    var exclude: [String] = []

    func validate() throws {
        if person != nil && principal != nil { throw ValidationError("--person and --principal cannot be used together") }
        if person == nil && (policy != nil || roster != nil || now != nil) {
            throw ValidationError("--policy, --roster and --now go with --person")
        }
        _ = try clock()
    }

    func clock() throws -> Date {
        guard let now else { return Date() }
        let upper = now.uppercased()
        guard let d = ISO8601DateFormatter().date(from: upper) ?? ISO8601DateFormatter.dateOnly.date(from: upper), InputOptions.range.contains(d) else {
            throw ValidationError("--now takes an ISO-8601 time from 1970 to 9999 such as 2026-11-23T00:00:00Z, not '\(Terminal.text(now))'")
        }
        return d
    }

    func run() throws {
        if let person {
            do {
                let view = try PersonView.build(paths, email: person, policyPath: policy, rosterPath: roster, now: try clock(), exclude: exclude)
                print(try view.render(format), terminator: "")
            } catch {
                throw fail(error)
            }
            return
        }
        do {
            print(try Inspection.load(paths, exclude: exclude).render(format, principal: principal), terminator: "")
        } catch {
            throw fail(error)
        }
    }
}
