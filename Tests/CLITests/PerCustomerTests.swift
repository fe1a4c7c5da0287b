import Foundation
import Testing

/// `--per-customer`: a folder of reports per customer, with nothing of any other customer in it.
@Suite struct PerCustomerTests {
    static let root = CommittedReportsTests.root
    static let now = "2026-11-23T00:00:00Z"

    static func scratch() -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-customers-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func index(_ out: URL) throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("customers/index.json"))) as? [[String: Any]] ?? []
    }

    /// Every file below `folder`, with its bytes as text.
    static func files(_ folder: URL) -> [(String, String)] {
        let names = (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).sorted()
        return names.compactMap { name in
            let url = folder.appendingPathComponent(name)
            var dir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &dir), !dir.boolValue,
                let data = FileManager.default.contents(atPath: url.path)
            else { return nil }
            return (name, String(decoding: data, as: UTF8.self))
        }
    }

    /// A hostile MSP: a person in two customers, MSP staff in every organization, a customer whose
    /// organization and Cortex tenant report together, and a customer with nothing wrong.
    static let hostile = """
        {"roleaudit_snapshot": 1,
         "accounts": [{"platform": "huntress", "id": "MSPACC7731", "name": "Zephyr MSP"}],
         "organizations": [
           {"platform": "huntress", "id": "ORGA40101", "name": "Quokka Clinic", "account": "MSPACC7731"},
           {"platform": "huntress", "id": "ORGB40202", "name": "Wombat Legal", "account": "MSPACC7731"},
           {"platform": "huntress", "id": "ORGC40303", "name": "Numbat Shipping", "account": "MSPACC7731"},
           {"platform": "cortex-xdr", "id": "quokka-xdr-5", "name": "quokka-xdr-5", "customer": "Quokka Clinic"},
           {"platform": "cortex-xdr", "id": "kiwi-tenant-88", "name": "kiwi-tenant-88", "customer": "Kiwi Bakery"}],
         "principals": [
           {"platform": "cortex-xdr", "email": "quinn@quokka.example", "name": "Quinn Quokkason", "user_type": "SSO", "last_login": "2026-11-20T00:00:00Z"},
           {"platform": "cortex-xdr", "email": "kim@kiwi.example", "name": "Kimberly Kiwison", "user_type": "SSO", "last_login": "2026-11-20T00:00:00Z"}],
         "grants": [
           {"platform": "huntress", "principal": "ops.owl@zephyr-msp.example", "role": "Admin", "level": "account", "target": "MSPACC7731"},
           {"platform": "huntress", "principal": "dual.person@freelance.example", "role": "User", "level": "organization", "target": "ORGA40101"},
           {"platform": "huntress", "principal": "dual.person@freelance.example", "role": "User", "level": "organization", "target": "ORGB40202"},
           {"platform": "huntress", "principal": "quinn@quokka.example", "role": "Admin", "level": "organization", "target": "ORGA40101"},
           {"platform": "huntress", "principal": "walt@wombat.example", "role": "Admin", "level": "organization", "target": "ORGB40202"},
           {"platform": "huntress", "principal": "ned@numbat.example", "role": "Read-only", "level": "organization", "target": "ORGC40303"},
           {"platform": "cortex-xdr", "principal": "quinn@quokka.example", "role": "Instance Administrator", "level": "tenant", "target": "quokka-xdr-5"},
           {"platform": "cortex-xdr", "principal": "kim@kiwi.example", "role": "Viewer", "level": "tenant", "target": "kiwi-tenant-88"}]
        }
        """
    static let hostilePolicy = """
        version: 1
        msp_domains: [zephyr-msp.example]
        org_domains:
          ORGA40101: [quokka.example]
          ORGB40202: [wombat.example]
          ORGC40303: [numbat.example]
        """

    /// What belongs to each customer of the hostile export: its places and its own people.
    static let owned: [String: [String]] = [
        "Quokka Clinic": ["ORGA40101", "quokka-xdr-5", "quinn@quokka.example", "Quinn Quokkason"],
        "Wombat Legal": ["ORGB40202", "walt@wombat.example"],
        "Numbat Shipping": ["ORGC40303", "ned@numbat.example"],
        "Kiwi Bakery": ["kiwi-tenant-88", "kim@kiwi.example", "Kimberly Kiwison"],
    ]

    static func writeHostile(_ dir: URL) throws -> (exports: URL, policy: URL) {
        let exports = dir.appendingPathComponent("exports")
        try FileManager.default.createDirectory(at: exports, withIntermediateDirectories: true)
        try hostile.write(to: exports.appendingPathComponent("snapshot.json"), atomically: true, encoding: .utf8)
        let policy = dir.appendingPathComponent("policy.yml")
        try hostilePolicy.write(to: policy, atomically: true, encoding: .utf8)
        return (exports, policy)
    }

    @Test func hostileOverlapsReachNoOtherCustomersFiles() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (exports, policy) = try Self.writeHostile(dir)
        let out = dir.appendingPathComponent("out")
        let r = try Executable.run(
            ["scan", exports.path, "--policy", policy.path, "--output", out.path, "--now", Self.now, "--fail-on", "never", "--per-customer"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let index = try Self.index(out)
        #expect(index.map { $0["customer"] as? String } == ["Kiwi Bakery", "Numbat Shipping", "Quokka Clinic", "Wombat Legal"])
        let quokka = index.first { $0["customer"] as? String == "Quokka Clinic" }
        #expect(quokka?["organizations"] as? [String] == ["ORGA40101"])
        #expect(quokka?["tenants"] as? [String] == ["quokka-xdr-5"])
        for entry in index {
            let name = entry["customer"] as? String ?? ""
            let folder = out.appendingPathComponent("customers").appendingPathComponent(entry["folder"] as? String ?? "?")
            let files = Self.files(folder)
            #expect(files.map(\.0) == ["entitlements.csv", "findings.csv", "findings.json", "report.html"], "\(name)")
            let forbidden = Self.owned.filter { $0.key != name }.flatMap { [$0.key] + $0.value }
            for (file, text) in files {
                for word in forbidden { #expect(!text.contains(word), "\(name)/\(file) holds \(word)") }
                // The MSP's size never shows: no count of its organizations (a customer's own count
                // of its organizations and tenants is its own).
                #expect(!text.contains("3 organizations") && !text.contains("of 2 organizations"), "\(name)/\(file)")
            }
            let all = files.map(\.1).joined()
            for word in Self.owned[name] ?? [] where !word.contains(" ") { #expect(all.contains(word), "\(name) lacks its own \(word)") }
            // MSP staff reach every Huntress organization; the freelancer both of theirs.
            #expect(all.contains("ops.owl@zephyr-msp.example") == (name != "Kiwi Bakery"), "\(name)")
            #expect(all.contains("dual.person@freelance.example") == ["Quokka Clinic", "Wombat Legal"].contains(name), "\(name)")
            // index.json counts the customer's open findings, as its findings.json does.
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("findings.json"))) as? [String: Any]
            let summary = json?["summary"] as? [String: Any]
            #expect(entry["findings"] as? Int == summary?["open"] as? Int, "\(name)")
        }
        // The freelancer's ISO-001 is in both of their customers' reports, worded for each.
        for folder in ["quokka-clinic", "wombat-legal"] {
            let text = try String(contentsOf: out.appendingPathComponent("customers/\(folder)/findings.csv"), encoding: .utf8)
            #expect(text.contains("ISO-001"), "\(folder)")
            #expect(text.contains("this and other organizations"), "\(folder)")
        }
        let kiwi = index.first { $0["customer"] as? String == "Kiwi Bakery" }
        #expect(kiwi?["findings"] as? Int == 0)
    }

    @Test func samplesWholeScanReportsAreUnchangedAndCustomersAreSeparate() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("plain"), split = dir.appendingPathComponent("split")
        let args = ["scan", "samples/", "--policy", "samples/roleaudit.yml", "--now", Self.now, "--fail-on", "never"]
        #expect(try Executable.run(args + ["--output", plain.path], in: Self.root).status == 0)
        let r = try Executable.run(args + ["--output", split.path, "--per-customer"], in: Self.root)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        for name in ["report.html", "findings.csv", "entitlements.csv", "junit.xml", "findings.json", "findings.sarif"] {
            #expect(
                FileManager.default.contents(atPath: plain.appendingPathComponent(name).path)
                    == FileManager.default.contents(atPath: split.appendingPathComponent(name).path), "\(name)")
        }
        let index = try Self.index(split)
        let acme = index.first { $0["customer"] as? String == "Acme Dental Group" }
        #expect(acme?["organizations"] as? [String] == ["88101"])
        #expect(acme?["tenants"] as? [String] == ["acme-prod"])
        // Each customer's files name no other customer's organizations, tenants or names.
        let names = ["88101": "Acme Dental Group", "88102": "Birchwood Law LLP", "88103": "Cedar Valley Credit Union", "88104": "Dunmore Logistics", "88106": "Fairview Dental"]
        for entry in index {
            let mine = Set((entry["organizations"] as? [String] ?? []) + (entry["tenants"] as? [String] ?? []) + [entry["customer"] as? String ?? ""])
            var forbidden: Set<String> = []
            for other in index where other["folder"] as? String != entry["folder"] as? String {
                for o in other["organizations"] as? [String] ?? [] {
                    forbidden.insert(o)
                    if let n = names[o] { forbidden.insert(n) }
                }
                forbidden.formUnion(other["tenants"] as? [String] ?? [])
                if let c = other["customer"] as? String { forbidden.insert(c) }
            }
            forbidden.subtract(mine)
            let folder = split.appendingPathComponent("customers").appendingPathComponent(entry["folder"] as? String ?? "?")
            for (file, text) in Self.files(folder) {
                for word in forbidden { #expect(!text.contains(word), "\(entry["customer"] ?? "")/\(file) holds \(word)") }
            }
        }
        #expect(r.stdout.contains("customers/ (\(index.count) customers)"), "\(r.stdout)")
    }

    @Test func staleCustomerFoldersOfAnEarlierRunAreRemoved() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (exports, policy) = try Self.writeHostile(dir)
        let out = dir.appendingPathComponent("out")
        let gone = out.appendingPathComponent("customers/gone-co")
        try FileManager.default.createDirectory(at: gone, withIntermediateDirectories: true)
        try "old".write(to: gone.appendingPathComponent("report.html"), atomically: true, encoding: .utf8)
        try "mine".write(to: gone.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let unlisted = out.appendingPathComponent("customers/not-ours")
        try FileManager.default.createDirectory(at: unlisted, withIntermediateDirectories: true)
        try "keep".write(to: unlisted.appendingPathComponent("report.html"), atomically: true, encoding: .utf8)
        try #"[{"folder": "gone-co"}, {"folder": "../../escape"}]"#.write(
            to: out.appendingPathComponent("customers/index.json"), atomically: true, encoding: .utf8)
        let r = try Executable.run(
            ["scan", exports.path, "--policy", policy.path, "--output", out.path, "--now", Self.now, "--fail-on", "never", "--per-customer"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: gone.appendingPathComponent("report.html").path))
        #expect(FileManager.default.fileExists(atPath: gone.appendingPathComponent("notes.txt").path))
        #expect(FileManager.default.fileExists(atPath: unlisted.appendingPathComponent("report.html").path))
    }

    @Test func diffWritesAPerCustomerDiffAndHistoryWorks() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("diff")
        let r = try Executable.run(
            ["diff", "samples/cortex-birchwood", "Tests/CLITests/Fixtures/diff/birchwood-proposed", "--policy", "samples/roleaudit.yml",
             "--output", out.path, "--now", Self.now, "--per-customer"], in: Self.root)
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        let md = try String(contentsOf: out.appendingPathComponent("customers/birchwood-law-llp/diff.md"), encoding: .utf8)
        #expect(md.contains("`ISO-004`") && md.contains("records@birchwoodlaw.com"), "\(md)")

        let history = dir.appendingPathComponent("history.db").path
        let reports = dir.appendingPathComponent("reports")
        let args = ["scan", "samples/", "--policy", "samples/roleaudit.yml", "--output", reports.path, "--fail-on", "never", "--per-customer", "--history", history]
        #expect(try Executable.run(args + ["--now", "2026-11-22T00:00:00Z"], in: Self.root).status == 0)
        let second = try Executable.run(args + ["--now", Self.now], in: Self.root)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: reports.appendingPathComponent("customers/acme-dental-group/findings.json"))) as? [String: Any]
        let statuses = Set((json?["findings"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String })
        #expect(statuses.contains("persisting"), "\(statuses)")
        // The MSP-wide trend is not a customer's to see.
        #expect(json?["history"] is NSNull)
    }
}
