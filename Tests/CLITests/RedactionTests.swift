import Foundation
import Testing

/// `--redact`: no email address, person name or user id from the exports in any output.
@Suite struct RedactionTests {
    static let root = CommittedReportsTests.root
    static let now = "2026-11-23T00:00:00Z"
    static let key = ["ROLEAUDIT_REDACT_KEY": "test-key-1"]

    /// Every email address in the bundled samples and their policy, and every user's full name.
    static func identities() throws -> (emails: Set<String>, names: Set<String>, ids: Set<String>) {
        var emails: Set<String> = [], names: Set<String> = [], ids: Set<String> = []
        let samples = root.appendingPathComponent("samples")
        for case let name as String in FileManager.default.enumerator(atPath: samples.path) ?? NSDictionary().objectEnumerator() {
            guard let text = try? String(contentsOf: samples.appendingPathComponent(name), encoding: .utf8) else { continue }
            for m in text.matches(of: #/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/#) {
                // A file named after a user ends in .json: the address is what precedes it.
                var e = String(m.output).lowercased()
                if e.hasSuffix(".json") { e.removeLast(5) }
                emails.insert(e)
            }
            if name.hasSuffix(".json"), let data = FileManager.default.contents(atPath: samples.appendingPathComponent(name).path) {
                collectNames(try JSONSerialization.jsonObject(with: data), into: &names, ids: &ids)
            }
        }
        return (emails, names, ids)
    }

    static func collectNames(_ v: Any, into names: inout Set<String>, ids: inout Set<String>) {
        if let o = v as? [String: Any] {
            if let f = o["user_first_name"] as? String, let l = o["user_last_name"] as? String, !f.isEmpty, !l.isEmpty { names.insert("\(f) \(l)") }
            if o["email"] != nil, let n = o["name"] as? String, n.contains(" ") { names.insert(n) }
            // A Huntress user's id (`user: {id, email, name}`).
            if o["email"] != nil, let id = o["id"] as? Int { ids.insert(String(id)) }
            for value in o.values { collectNames(value, into: &names, ids: &ids) }
        } else if let a = v as? [Any] {
            for value in a { collectNames(value, into: &names, ids: &ids) }
        }
    }

    /// Whether `text` holds `word` with no letter or digit on either side.
    static func holdsWhole(_ word: String, in text: String) -> Bool {
        var from = text.startIndex
        while let r = text.range(of: word, range: from..<text.endIndex) {
            let before = r.lowerBound == text.startIndex ? nil : text[text.index(before: r.lowerBound)]
            let after = r.upperBound == text.endIndex ? nil : text[r.upperBound]
            if !(before?.isLetter ?? false || before?.isNumber ?? false) && !(after?.isLetter ?? false || after?.isNumber ?? false) { return true }
            from = r.upperBound
        }
        return false
    }

    @Test func everyOutputIsFreeOfIdentitiesAndStable() throws {
        let dir = PerCustomerTests.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out"), again = dir.appendingPathComponent("again"), map = dir.appendingPathComponent("map.json")
        let args = ["scan", "samples/", "--policy", "samples/roleaudit.yml", "--now", Self.now, "--fail-on", "never", "--per-customer", "--redact", "-v"]
        let r = try Executable.run(args + ["--output", out.path, "--redaction-map", map.path], in: Self.root, environment: Self.key)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let (emails, names, ids) = try Self.identities()
        #expect(emails.count > 40 && names.count > 20 && ids.count > 20, "\(emails.count) \(names.count) \(ids.count)")
        let files = PerCustomerTests.files(out)
        #expect(files.count > 20)
        for (file, text) in files + [("stdout", r.stdout), ("stderr", r.stderr)] {
            let lower = text.lowercased()
            for e in emails { #expect(!lower.contains(e), "\(file) holds \(e)") }
            for n in names { #expect(!text.contains(n), "\(file) holds \(n)") }
            for id in ids {
                // Whole numbers only: a fingerprint's hex digits may hold the same run.
                #expect(!Self.holdsWhole(id, in: text), "\(file) holds user id \(id)")
            }
        }
        // Domains stay (isolation findings are about them); the map leads back.
        let findings = try String(contentsOf: out.appendingPathComponent("findings.csv"), encoding: .utf8)
        #expect(findings.contains("@acmedental.com"))
        let back = try JSONSerialization.jsonObject(with: Data(contentsOf: map)) as? [String: String] ?? [:]
        #expect(back.values.contains("it.manager@acmedental.com"))
        // The same key gives the same bytes; another key other pseudonyms.
        #expect(try Executable.run(args + ["--output", again.path], in: Self.root, environment: Self.key).status == 0)
        for name in ["findings.csv", "findings.json", "report.html", "customers/acme-dental-group/findings.csv"] {
            #expect(FileManager.default.contents(atPath: out.appendingPathComponent(name).path)
                == FileManager.default.contents(atPath: again.appendingPathComponent(name).path), "\(name)")
        }
        let other = dir.appendingPathComponent("other")
        #expect(try Executable.run(args + ["--output", other.path], in: Self.root, environment: ["ROLEAUDIT_REDACT_KEY": "another"]).status == 0)
        #expect(FileManager.default.contents(atPath: out.appendingPathComponent("findings.csv").path)
            != FileManager.default.contents(atPath: other.appendingPathComponent("findings.csv").path))
    }

    @Test func domainsAndOrganizationsOnRequest() throws {
        let dir = PerCustomerTests.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Executable.run(
            ["scan", "samples/", "--policy", "samples/roleaudit.yml", "--now", Self.now, "--fail-on", "never", "--redact", "--redact-domains",
             "--redact-organizations", "--output", dir.path], in: Self.root, environment: Self.key)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        for (file, text) in PerCustomerTests.files(dir) {
            for word in ["acmedental.com", "northwind-msp.com", "birchwoodlaw.com", "Acme Dental Group", "Birchwood Law LLP", "Cedar Valley Credit Union", "birchwood-xdr"] {
                #expect(!text.contains(word), "\(file) holds \(word)")
            }
            // The tenant's name, but for the folder the samples keep its files in (paths are the user's).
            #expect(!text.replacingOccurrences(of: "samples/cortex-acme-prod/", with: "").contains("acme-prod"), "\(file)")
        }
    }

    @Test func diffRedactsItsMarkdown() throws {
        let dir = PerCustomerTests.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Executable.run(
            ["diff", "samples/cortex-birchwood", "Tests/CLITests/Fixtures/diff/birchwood-proposed", "--output", dir.path, "--now", Self.now,
             "--redact", "--per-customer"], in: Self.root, environment: Self.key)
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        for (file, text) in PerCustomerTests.files(dir) + [("stdout", r.stdout)] {
            #expect(!text.contains("records@birchwoodlaw.com"), "\(file)")
            #expect(!text.contains("former.paralegal@birchwoodlaw.com"), "\(file)")
        }
        let md = try String(contentsOf: dir.appendingPathComponent("diff.md"), encoding: .utf8)
        #expect(md.contains("`ISO-004`") && md.contains("@birchwoodlaw.com"), "\(md)")
    }

    @Test func usageErrors() throws {
        let dir = PerCustomerTests.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = ["scan", "samples/", "--now", Self.now, "--output", dir.path]
        let noKey = try Executable.run(base + ["--redact"], in: Self.root, environment: ["ROLEAUDIT_REDACT_KEY": ""])
        #expect(noKey.status == 64 && noKey.stderr.contains("ROLEAUDIT_REDACT_KEY"), "\(noKey.stderr)")
        let alone = try Executable.run(base + ["--redact-domains"], in: Self.root, environment: Self.key)
        #expect(alone.status == 64, "\(alone.stderr)")
        let inside = try Executable.run(base + ["--redact", "--redaction-map", dir.appendingPathComponent("sub/map.json").path], in: Self.root, environment: Self.key)
        #expect(inside.status == 64 && inside.stderr.contains("--redaction-map"), "\(inside.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("sub/map.json").path))
    }
}
