/// Markdown for a pull-request comment (diff.md). Every value from an export is a code span: GitHub
/// and GitLab turn nothing inside one into a mention, a link, an image or HTML.
public enum Markdown {
    /// `s` on one line as a code span; nothing for an empty value. The fence is one backtick longer
    /// than the longest run of backticks inside, with a space inside each end when the text starts
    /// or ends with a backtick (CommonMark's code-span rules). In a table cell (`inTable`) a `|`
    /// is escaped, since GitHub splits cells before it reads code spans. Controls, bidirectional
    /// marks and CI command openings are shown as in the terminal.
    public static func code(_ s: String, inTable: Bool = true) -> String {
        let text = Terminal.text(Text.oneLine(s, limit: 200))
        guard !text.isEmpty else { return "" }
        var longest = 0, run = 0
        for b in text.utf8 {
            run = b == UInt8(ascii: "`") ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = text.hasPrefix("`") || text.hasSuffix("`") ? " " : ""
        let body = inTable ? text.replacingOccurrences(of: "|", with: "\\|") : text
        return fence + pad + body + pad + fence
    }
}
