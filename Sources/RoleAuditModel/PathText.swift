/// Paths taken apart without Foundation's `NSString` path methods where those fail.
public enum PathText {
    /// The folder part of a path, as NSString's `deletingLastPathComponent` gives it (`a/b/` and
    /// `a//b` give `a`, `/a` gives `/`, `ab` gives nothing). Not that property itself: Foundation
    /// on Linux (Swift 6.3.1) traps on a one-character name without a folder (`o`, `o/`), so
    /// `roleaudit scan x --output o` and `roleaudit scan a` (an export named `a`) crashed.
    public static func folder(of path: String) -> String {
        var s = Substring(path)
        while s.count > 1 && s.hasSuffix("/") { s = s.dropLast() }
        guard let slash = s.lastIndex(of: "/") else { return "" }
        var head = s[..<slash]
        while head.count > 1 && head.hasSuffix("/") { head = head.dropLast() }
        return head.isEmpty ? "/" : String(head)
    }
}
