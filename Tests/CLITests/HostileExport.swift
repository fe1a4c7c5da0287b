import Foundation

/// Exports full of text that tries to escape its medium, written by the tests that read them: names,
/// e-mail addresses and role labels holding terminal escapes, C1 controls, bidirectional overrides,
/// line separators, CI commands, spreadsheet formulas and Markdown that would mention, link or embed.
enum HostileExport {
    /// Texts a user of a vendor console can type into a name or a custom role's label.
    static let texts: [String] = [
        "esc \u{1B}[2J\u{1B}]0;owned\u{07} bell",
        "csi \u{9B}31m c1 \u{85} nel \u{7F} del",
        "bidi \u{202E}txt.exe\u{202C} \u{2066}isolate\u{2069} \u{200F}mark",
        "lines a\u{2028}b\u{2029}c\r\nd",
        "\n::error file=ci.yml::owned",
        "##vso[task.setvariable variable=owned]1",
        "::warning::also owned",
        " =HYPERLINK(\"http://evil.example\",\"x\")",
        "\u{A0}+cmd|' /C calc'!A0",
        "@octocat [link](http://evil.example) ![img](http://evil.example/x.png) <img src=x onerror=alert(1)> www.evil.example",
        "`tick``s` | pipe",
    ]

    /// A Huntress snapshot (roleaudit's own format) in which principal `i` is named `texts[i]` and
    /// holds a role labelled `texts[i]` (CAT-001, an unknown role, quotes it in its message);
    /// the first also holds Admin in both organizations, which are named with hostile texts.
    static func snapshot(_ texts: [String] = texts, extraPrincipal: String? = nil) throws -> Data {
        var principals: [[String: Any]] = []
        var grants: [[String: Any]] = []
        for (i, text) in texts.enumerated() {
            let email = "p\(i)@hostile.example"
            principals.append(["platform": "huntress", "email": email, "name": text])
            if i == 0 {
                for target in ["501", "502"] {
                    grants.append(["platform": "huntress", "principal": email, "role": "Admin", "level": "organization", "target": target])
                }
            }
            grants.append(["platform": "huntress", "principal": email, "role": text, "level": "organization", "target": "501"])
        }
        if let extraPrincipal {
            principals.append(["platform": "huntress", "email": extraPrincipal, "name": "extra"])
            grants.append(["platform": "huntress", "principal": extraPrincipal, "role": "Read-only", "level": "organization", "target": "501"])
        }
        let document: [String: Any] = [
            "roleaudit_snapshot": 1,
            "accounts": [["platform": "huntress", "id": "310", "name": "MSP"]],
            "organizations": [
                ["platform": "huntress", "id": "501", "name": texts[0], "account": "310"],
                ["platform": "huntress", "id": "502", "name": texts[texts.count - 1], "account": "310"],
            ],
            "principals": principals,
            "grants": grants,
        ]
        // roleaudit_snapshot must come first: JSONSerialization sorts keys, and "accounts" would lead.
        let body = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted])
        var text = String(decoding: body, as: UTF8.self)
        text = text.replacingOccurrences(of: "  \"roleaudit_snapshot\" : 1,\n", with: "").replacingOccurrences(of: ",\n  \"roleaudit_snapshot\" : 1\n", with: "\n")
        text = "{\n  \"roleaudit_snapshot\" : 1," + text.dropFirst()
        return Data(text.utf8)
    }

    /// A folder holding `snapshot()`.
    static func folder(_ texts: [String] = texts, extraPrincipal: String? = nil) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roleaudit-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try snapshot(texts, extraPrincipal: extraPrincipal).write(to: dir.appendingPathComponent("snapshot.json"))
        return dir
    }

    /// Why `output` (stdout or stderr of roleaudit) is unsafe for a terminal or a CI log, or nil.
    static func terminalProblem(_ output: String) -> String? {
        var previous: Unicode.Scalar?
        for u in output.unicodeScalars.reversed() {
            defer { previous = u }
            switch u.value {
            case 0x0A: continue
            case 0x0D where previous == "\n": continue  // CSV's CRLF
            case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029:
                return String(format: "U+%04X reaches the terminal", u.value)
            default: continue
            }
        }
        for line in output.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("::") { return "a GitHub Actions command: \(line)" }
            if line.lowercased().contains("##vso[") || line.contains("##[") { return "an Azure Pipelines command: \(line)" }
        }
        return nil
    }
}
