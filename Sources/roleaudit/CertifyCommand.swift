import ArgumentParser
import Foundation
import RoleAuditKit

struct CertifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certify",
        abstract: "Read a reviewed access-review worksheet (entitlements.csv with decision, reviewer, comment) into revocations.csv and certification.json.",
        discussion: """
            REVIEWED is the scan's entitlements.csv after review, as Excel or LibreOffice saves it (UTF-8 with or \
            without a BOM, or UTF-16; ',' or ';'; CRLF). decision is keep, revoke or empty. Every row must still \
            match its grant as the scan wrote it: platform, principal, role, a level the platform has, the place \
            that level names (and no other), via, one scan_date for the whole worksheet, and each grant once \
            (two rows of one grant with different decisions are refused). --against EXPORTS... reads the current \
            exports too, and a row whose grant they no longer hold is refused. Exit codes: 0 written; \
            2 a bad row (an unknown decision, or a row that no longer matches its grant), with its line and row, \
            and nothing is written; 64 usage; 73 the output cannot be written. Give the certification.json to \
            scan --certification.
            """
    )

    @Argument(help: "The reviewed worksheet.")
    var reviewed: String

    @Option(help: "Folder for revocations.csv and certification.json.")
    var output: String

    @Option(help: "The review's time, ISO-8601 (default: SOURCE_DATE_EPOCH, else now).")
    var now: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp(
        "Current exports (files or folders, as scan reads them): every row must name a grant they still hold.",
        valueName: "exports"))
    var against: [String] = []

    func validate() throws { _ = try InputOptions.clock(now) }

    func run() throws {
        do {
            let (c, written) = try Scanner.certify(reviewed, output: output, now: try InputOptions.clock(now), against: against)
            let keep = c.reviewers.values.reduce(0) { $0 + $1.keep }, undecided = c.reviewers.values.reduce(0) { $0 + $1.undecided }
            let line: TerminalText = "\(reviewed): \(c.worksheet.rows) rows, \(keep) keep, \(c.revocations.count) revoke, \(undecided) undecided; wrote \(written.joined(separator: ", "))"
            print(line.text)
        } catch {
            throw fail(error)
        }
    }
}
