import Foundation

extension Date {
    /// `2026-11-23T00:00:00Z`: whole seconds, UTC, as every report and the history print time.
    /// One immutable format style for every call: a new ISO8601DateFormatter per call was the
    /// cost of printing a time in reports and history, and a formatter shared between threads
    /// would need a lock (the style is a value, safe to share).
    public var iso8601: String { formatted(Date.wholeSecondsUTC) }

    private static let wholeSecondsUTC = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .gmt)
}
