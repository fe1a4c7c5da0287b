import ArgumentParser
import Foundation
import RoleAuditKit

struct CertifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certify",
        abstract: "Read a reviewed access-review worksheet (entitlements.csv with decision, reviewer, comment) into revocations.csv and certification.json.",
        discussion: """
            REVIEWED is the scan's entitlements.csv after review, as Excel or LibreOffice saves it (UTF-8 with or \
            without a BOM, or UTF-16; ',' or ';'; CRLF). decision is keep, revoke or empty. Exit codes: 0 written; \
            2 a bad row (an unknown decision, or a row that no longer names a grant), with its line and row; \
            64 usage; 73 the output cannot be written. Give the certification.json to scan --certification.
            """
    )

    @Argument(help: "The reviewed worksheet.")
    var reviewed: String

    @Option(help: "Folder for revocations.csv and certification.json.")
    var output: String

    @Option(help: "The review's time, ISO-8601 (default: SOURCE_DATE_EPOCH, else now).")
    var now: String?

    func validate() throws { _ = try InputOptions.clock(now) }

    func run() throws {
        do {
            let (c, written) = try Scanner.certify(reviewed, output: output, now: try InputOptions.clock(now))
            let keep = c.reviewers.values.reduce(0) { $0 + $1.keep }, undecided = c.reviewers.values.reduce(0) { $0 + $1.undecided }
            let line: TerminalText = "\(reviewed): \(c.worksheet.rows) rows, \(keep) keep, \(c.revocations.count) revoke, \(undecided) undecided; wrote \(written.joined(separator: ", "))"
            print(line.text)
        } catch {
            throw fail(error)
        }
    }
}
