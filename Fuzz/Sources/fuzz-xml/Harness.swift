import FuzzSupport

/// roleaudit's XML snapshot (libxml2 with network access and entities off).
func fuzzXML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    _ = importOutcome(data, size, name: "snapshot.xml")
    return 0
}

/// The executable's entry (SwiftPM links `main` to it): libFuzzer's driver, with this harness.
@_cdecl("fuzz_xml_main")
func start(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzXML)
}
