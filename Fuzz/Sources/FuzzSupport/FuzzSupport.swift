import CLibFuzzer
import Foundation
import RoleAuditCatalog
import RoleAuditImport
import RoleAuditPolicy
import RoleAuditRules

/// The input as `roleaudit scan` reads a file named `name`: the snapshot as bytes (JSON, sorted
/// keys), or the error's message. An error is an answer, not a failure; only a crash, a hang or
/// runaway memory (which libFuzzer and AddressSanitizer catch) is a finding.
public func importOutcome(_ data: UnsafePointer<UInt8>, _ size: Int, name: String, fastPaths: Bool = true) -> String {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let snapshot = try Importer.load(bytes: bytes, name: name, options: ImportOptions(fastPaths: fastPaths))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(snapshot), as: UTF8.self)
    } catch let error as ImportError {
        let message = error.description
        // Bounded errors (issue 11 B9): no line over 1,000 characters, ever.
        if message.split(separator: "\n").contains(where: { $0.count > 1000 }) { fail("an error line over 1,000 characters: \(message.prefix(300))") }
        return "error: \(message)"
    } catch {
        fail("an error that is not an ImportError: \(error)")
    }
}

/// Stops the run: libFuzzer keeps the input that got here.
public func fail(_ why: String) -> Never {
    FileHandle.standardError.write(Data("roleaudit fuzz: \(why)\n".utf8))
    abort()
}

/// The policy loader with every rule and capability roleaudit knows, as `scan --policy` uses it.
/// (Built once; libFuzzer calls the harness from one thread.)
nonisolated(unsafe) public let policyLoader: PolicyLoader = {
    do {
        let catalog = try RoleCatalog.bundled()
        return PolicyLoader(knownRules: Set(RuleEngine.descriptions.map(\.id)), knownCapabilities: Set(catalog.capabilities.keys))
    } catch {
        fail("the bundled catalog does not load: \(error)")
    }
}()

/// Runs libFuzzer with `harness` as its target (libFuzzer parses the arguments).
public func runFuzzer(
    _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ harness: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, harness)
}
