import Foundation

/// Why a collection could not start or go on. `usage` exits 64, `configuration` 3 and
/// `unwritable` (the output folder or manifest) 73, as PRODUCT.md "Exit codes" gives them.
public enum CollectError: Error, Equatable, CustomStringConvertible {
    case usage(String)
    case configuration(String)
    case unwritable(String)

    public var description: String {
        switch self {
        case .usage(let m), .configuration(let m), .unwritable(let m): m
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .usage: 64
        case .configuration: 3
        case .unwritable: 73
        }
    }
}
