import FuzzSupport
import RoleAuditPolicy

/// The policy loader (roleaudit.yml through Yams), with every rule and capability it knows.
func fuzzPolicy(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    // As PolicyLoader.load: text that is not UTF-8 is refused before YAML sees it.
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    do {
        _ = try policyLoader.parse(text, file: "roleaudit.yml")
    } catch let error as PolicyError {
        if error.description.count > 1000 { fail("a policy error over 1,000 characters") }
    } catch {
        fail("an error that is not a PolicyError: \(error)")
    }
    return 0
}

/// The executable's entry (SwiftPM links `main` to it): libFuzzer's driver, with this harness.
@_cdecl("fuzz_policy_main")
func start(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzPolicy)
}
