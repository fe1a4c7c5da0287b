import Foundation
import LargeExports

// generate-export MEMBERSHIPS FILE: writes a deterministic Huntress memberships export.
let arguments = CommandLine.arguments
guard arguments.count == 3, let count = Int(arguments[1]), count >= 0 else {
    FileHandle.standardError.write(Data("usage: generate-export MEMBERSHIPS FILE\n".utf8))
    exit(64)
}
try LargeExports.huntressMemberships(count: count, to: URL(fileURLWithPath: arguments[2]))
