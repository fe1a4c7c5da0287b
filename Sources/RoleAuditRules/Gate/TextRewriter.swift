/// Replaces whole names in text through one table, in time linear in the text: a customer's view
/// replaces other customers' names and people, redaction replaces identities with pseudonyms.
///
/// Text is read as words (letters, digits and `@ . _ - +`) and what separates them. At each word
/// the longest run of words (up to the table's longest name) that the table holds is replaced; a
/// word the table does not hold whole is searched for an email address inside it (a file named
/// `scope_user_soc1@northwind-msp.com.json`) and tried without trailing dots (a sentence's end).
public struct TextRewriter: Sendable {
    private let lookup: @Sendable (String) -> String?
    private let maxWords: Int
    /// The first words of the names of several words: elsewhere only one word is looked up
    /// (a message listing 5,000 people is not read twelve times over). nil: every word.
    private let firstWords: Set<String>?
    public let isEmpty: Bool

    public init(_ table: [String: String]) {
        var t = table
        t[""] = nil
        let maxWords = min(12, t.keys.map { Self.words(in: Array($0.unicodeScalars)).count }.max() ?? 1)
        let frozen = t
        self.init(maxWords: maxWords, isEmpty: frozen.isEmpty, firstWords: Self.firstWords(of: frozen.keys)) { frozen[$0] }
    }

    /// A rewriter that asks `lookup` for each candidate name (up to `maxWords` words): for a
    /// table shared by many rewriters that each replace a different part of it.
    public init(maxWords: Int, isEmpty: Bool = false, firstWords: Set<String>? = nil, lookup: @escaping @Sendable (String) -> String?) {
        self.lookup = lookup
        self.firstWords = firstWords
        self.maxWords = max(1, min(12, maxWords))
        self.isEmpty = isEmpty
    }

    private subscript(_ key: String) -> String? { lookup(key) }

    /// The first word of each name of several words (as `rewrite` splits text into words).
    public static func firstWords(of names: some Sequence<String>) -> Set<String> {
        var out: Set<String> = []
        for name in names {
            let s = Array(name.unicodeScalars)
            let w = words(in: s)
            if w.count > 1 { out.insert(String(String.UnicodeScalarView(s[w[0]]))) }
        }
        return out
    }

    public func callAsFunction(_ text: String) -> String { rewrite(text) }

    public func rewrite(_ text: String) -> String {
        guard !isEmpty, !text.isEmpty else { return text }
        let s = Array(text.unicodeScalars)
        let words = Self.words(in: s)
        guard !words.isEmpty else { return text }
        var out = String.UnicodeScalarView()
        var at = 0, i = 0
        while i < words.count {
            var matched = false
            let longest = firstWords.map { $0.contains(String(String.UnicodeScalarView(s[words[i]]))) ? maxWords : 1 } ?? maxWords
            for n in stride(from: min(longest, words.count - i), through: 1, by: -1) {
                let range = words[i].lowerBound..<words[i + n - 1].upperBound
                if let r = self[String(String.UnicodeScalarView(s[range]))] {
                    out.append(contentsOf: s[at..<range.lowerBound])
                    out.append(contentsOf: r.unicodeScalars)
                    at = range.upperBound
                    i += n
                    matched = true
                    break
                }
            }
            if matched { continue }
            out.append(contentsOf: s[at..<words[i].lowerBound])
            out.append(contentsOf: inside(s[words[i]]).unicodeScalars)
            at = words[i].upperBound
            i += 1
        }
        out.append(contentsOf: s[at...])
        return String(out)
    }

    /// A word not in the table whole: without trailing dots, else the email addresses in it.
    private func inside(_ w: ArraySlice<Unicode.Scalar>) -> String {
        var stem = w
        while stem.last == "." { stem = stem.dropLast() }
        if stem.count < w.count, let r = self[String(String.UnicodeScalarView(stem))] {
            return r + String(String.UnicodeScalarView(w[stem.endIndex...]))
        }
        guard w.contains("@") else { return String(String.UnicodeScalarView(w)) }
        var out = String.UnicodeScalarView()
        var at = w.startIndex, k = w.startIndex
        while k < w.endIndex {
            guard w[k] == "@" else { k += 1; continue }
            // Local parts that start at the word or after a separator, longest first; domains that
            // end at the word or before a dot, longest first.
            let starts = [at] + (at..<k).filter { w[$0] == "_" || w[$0] == "." || w[$0] == "-" || w[$0] == "+" }.map { $0 + 1 }
            let ends = [w.endIndex] + (k + 1..<w.endIndex).filter { w[$0] == "." }.reversed()
            var hit: (Int, Int, String)?
            search: for a in starts where a < k {
                for e in ends where e > k + 1 {
                    if let r = self[String(String.UnicodeScalarView(w[a..<e]))] {
                        hit = (a, e, r)
                        break search
                    }
                }
            }
            if let hit {
                out.append(contentsOf: w[at..<hit.0])
                out.append(contentsOf: hit.2.unicodeScalars)
                at = hit.1
                k = hit.1
            } else {
                k += 1
            }
        }
        out.append(contentsOf: w[at...])
        return String(out)
    }

    static func isWord(_ u: Unicode.Scalar) -> Bool {
        u.properties.isAlphabetic || u.properties.numericType != nil || u == "@" || u == "." || u == "_" || u == "-" || u == "+"
            || u.properties.generalCategory == .nonspacingMark
    }

    static func words(in s: [Unicode.Scalar]) -> [Range<Int>] {
        var out: [Range<Int>] = [], start: Int?
        for (i, u) in s.enumerated() {
            if isWord(u) {
                if start == nil { start = i }
            } else if let b = start {
                out.append(b..<i)
                start = nil
            }
        }
        if let b = start { out.append(b..<s.count) }
        return out
    }
}
