import FuzzSupport

/// The JSON reader, differential: the byte-level fast path for Huntress memberships and the
/// checked path must give the same snapshot or the same error for every input.
func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let fast = importOutcome(data, size, name: "tenant/export.json", fastPaths: true)
    let checked = importOutcome(data, size, name: "tenant/export.json", fastPaths: false)
    if fast != checked { fail("the fast and checked paths disagree:\nfast:    \(fast.prefix(2000))\nchecked: \(checked.prefix(2000))") }
    return 0
}

/// The executable's entry (SwiftPM links `main` to it): libFuzzer's driver, with this harness.
@_cdecl("fuzz_json_main")
func start(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzJSON)
}
