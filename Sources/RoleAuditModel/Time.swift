import Foundation

extension Date {
    /// `2026-11-23T00:00:00Z`: whole seconds, UTC, as every report and the history print time.
    public var iso8601: String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: self)
    }
}
