import Foundation
import RoleAuditGraph
import RoleAuditRules

/// `--per-customer`: `customers/index.json` and one folder per customer with the reports a customer
/// may be sent (report.html, findings.csv, entitlements.csv, findings.json, and diff.md in a diff),
/// each written from the customer's view of the scan (`Gate.customers`), in the scan's staging
/// folder so that they are moved into place with the whole-scan reports.
public enum CustomerReportsWriter {
    /// What a customer's folder holds: the files an earlier run may have left there.
    public static let files = ["report.html", "findings.csv", "entitlements.csv", "findings.json", "diff.md"]
    public static let formats: [ReportFormat] = [.html, .csv, .json]

    public static func write(
        _ views: [CustomerView], context: ReportContext, to folder: ReportFolder, extra: [any ReportWriter.Type] = []
    ) throws {
        let customers = folder.within("customers")
        let names = folderNames(views.map(\.customer.name))
        // An earlier run's folders go unless this run writes them again; only files roleaudit
        // writes, in folders its own index listed, are touched.
        for old in previousFolders(in: customers.path) {
            for file in files { customers.retire((old as NSString).appendingPathComponent(file)) }
        }
        for (view, name) in zip(views, names) {
            let sub = customers.within(name)
            let input = ReportInput(view.result, context: context)
            for format in formats { try format.writer.write(input, to: sub) }
            for writer in extra { try writer.write(input, to: sub) }
        }
        try customers.write("index.json") { sink in
            let j = JSONOutput(sink)
            j.beginArray()
            for (view, name) in zip(views, names) {
                j.beginObject()
                j.field("customer", view.customer.name)
                j.field("findings", view.result.findings.count { $0.isOpen })
                j.field("folder", name)
                j.strings("organizations", view.customer.organizations)
                j.field("principals", view.principals)
                j.strings("tenants", view.customer.tenants)
                j.endObject()
            }
            j.endArray()
            j.newline()
        }
    }

    /// A folder name per customer: lower-case letters, digits and `-` only (a customer's name
    /// comes from an export and may hold `/` or `..`), unique in order (`acme`, `acme-2`).
    public static func folderNames(_ customers: [String]) -> [String] {
        var used: Set<String> = [], out: [String] = []
        for c in customers {
            var slug = ""
            for u in c.lowercased().unicodeScalars {
                if (u >= "a" && u <= "z") || (u >= "0" && u <= "9") { slug.unicodeScalars.append(u) } else if !slug.hasSuffix("-") && !slug.isEmpty { slug += "-" }
            }
            while slug.hasSuffix("-") { slug.removeLast() }
            slug = String(slug.prefix(60))
            if slug.isEmpty { slug = "customer" }
            var name = slug, n = 2
            while used.contains(name) {
                name = "\(slug)-\(n)"
                n += 1
            }
            used.insert(name)
            out.append(name)
        }
        return out
    }

    /// The folders an earlier `index.json` lists (only plain names, as `folderNames` makes them).
    static func previousFolders(in path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: (path as NSString).appendingPathComponent("index.json")),
            let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
        else { return [] }
        return list.compactMap { $0["folder"] as? String }.filter { name in
            !name.isEmpty && name.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }
        }
    }
}
