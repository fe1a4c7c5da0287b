import FuzzSupport

/// The Cortex CSV import (users table, role import), as a file named users.csv in a tenant folder.
func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    _ = importOutcome(data, size, name: "tenant/users.csv")
    return 0
}

/// The executable's entry (SwiftPM links `main` to it): libFuzzer's driver, with this harness.
@_cdecl("fuzz_csv_main")
func start(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzCSV)
}
