import Foundation
import RoleAuditCatalog
import RoleAuditImport
import RoleAuditReports
import RoleAuditRules

/// `roleaudit diff BEFORE AFTER`: what a change to roles does. Both sides are scanned with the same
/// policy; the findings of BEFORE act as the baseline of AFTER, so only what the change introduces
/// is open (and can fail the gate), what was there already is reported as baselined, and what
/// the change fixes is listed as resolved. Writes the usual reports of AFTER plus `diff.md`.
public enum Differ {
    public static func run(before: String, after: String, options: ScanOptions) throws -> ScanOutcome {
        let (catalog, policy) = try Scanner.configuration(options)
        let old = try Scanner.evaluate([before], catalog, policy, now: options.now, importing: options.importing, roster: options.rosterPath, certification: options.certificationPath)
        let new = try Scanner.evaluate([after], catalog, policy, now: options.now, importing: options.importing, roster: options.rosterPath, certification: options.certificationPath)
        let (result, table) = Scanner.redacted(
            Gate.diff(before: old, after: new, beforeLabel: before, afterLabel: after, now: options.now), options, also: [old])
        let outcome = try Scanner.finish(result, options: options, extra: [DiffMarkdownWriter.self])
        try Scanner.writeRedactionMap(table, options)
        // Incomplete exports on either side make the comparison unreliable.
        guard old.snapshot.isComplete || options.allowIncomplete else {
            return ScanOutcome(result: outcome.result, written: outcome.written, exitCode: 2, summary: outcome.summary + "BEFORE is incomplete: exit 2\n")
        }
        return outcome
    }
}
