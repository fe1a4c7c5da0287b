import Foundation

/// The Python the tests run (the consumers in Fixtures/consumers, sqlite3 scripts):
/// `ROLEAUDIT_PYTHON`, which .ci/run sets to its virtual environment's python (where junitparser
/// and jsonschema are installed: a stock Debian Python refuses system-wide pip installs, PEP 668),
/// else `python3` from PATH.
enum Python {
    static var executable: String {
        if let path = ProcessInfo.processInfo.environment["ROLEAUDIT_PYTHON"], !path.isEmpty { return path }
        return "python3"
    }
}
