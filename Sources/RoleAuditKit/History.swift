import Foundation
import RoleAuditHistory
import RoleAuditReports
import RoleAuditRules

/// `scan --history` and `roleaudit history`: the façade over the history store, mapping its
/// errors to the configuration exit code.
public enum History {
    /// Opens (creating or migrating) the history before the scan computes, so that an unusable
    /// one costs no import.
    static func open(_ path: String) throws -> HistoryStore {
        do { return try HistoryStore(path: path) } catch let e as HistoryError { throw KitError.configuration(file: e.path, problem: e.problem) }
    }

    /// Compares `result` with the latest scan, has `stage` write the reports of the compared
    /// result, and records the scan once they are in place (`HistoryStore.record`): nothing holds
    /// the history while the scan computes or writes. Returns the recorded result and the paths.
    static func record(
        _ result: ScanResult, in store: HistoryStore, stage: @escaping (ScanResult) throws -> ReportFolder
    ) throws -> (result: ScanResult, written: [String]) {
        var written: [String] = []
        do {
            let recorded = try store.record(result, toolVersion: RoleAudit.version) { compared in
                let folder = try stage(compared)
                return {
                    do throws(OutputError) { written = try folder.commit() } catch { throw KitError.cannotWrite(error) }
                }
            }
            return (recorded, written)
        } catch let e as HistoryError {
            throw KitError.configuration(file: e.path, problem: e.problem)
        }
    }

    public static func scans(in path: String) throws -> [ScanSummary] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw KitError.configuration(file: path, problem: "no history here (scan --history \(path) creates it)")
        }
        do {
            return try HistoryStore(path: path, readOnly: true).scans()
        } catch let e as HistoryError {
            throw KitError.configuration(file: e.path, problem: e.problem)
        }
    }

    /// The scans as a table, CSV or JSON.
    public static func listing(_ scans: [ScanSummary], format: ListingFormat) throws -> String {
        let header = ["scan", "time", "inputs", "complete", "critical", "high", "medium", "low", "info", "waived", "baselined", "new", "persisting", "resolved", "policy_sha256"]
        let rows = scans.map { s in
            [String(s.id), s.time, String(s.inputs), s.complete ? "yes" : "no"] + s.open.map(String.init)
                + [String(s.waived), String(s.baselined), String(s.new), String(s.persisting), String(s.resolved), s.policySHA256 ?? ""]
        }
        return try Tabular(columns: header, rows: rows).render(format)
    }
}
