import CLibXML2
import Foundation
import RoleAuditModel

/// The XML form of the snapshot, read with libxml2 (no network, no external entities).
///
///     <roleaudit-snapshot version="1">
///       <account platform="huntress" id="310" name="Contoso MSP"/>
///       <principal platform="cortex-xdr" email="ana@corp.example" last-login="never"/>
///       <grant platform="cortex-xdr" principal="ana@corp.example" role="Investigator" level="tenant" target="prod"/>
///     </roleaudit-snapshot>
enum SnapshotXML {
    static func read(_ file: InputFile, path: String) throws -> (SnapshotDocument, [String: [Int]]) {
        xmlResetLastError()
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOERROR.rawValue)
        guard let base = file.buffer.baseAddress,
            let doc = base.withMemoryRebound(to: CChar.self, capacity: file.buffer.count, {
                xmlReadMemory($0, Int32(clamping: file.buffer.count), path, "UTF-8", options)
            })
        else {
            throw lastError(path)
        }
        defer { xmlFreeDoc(doc) }
        guard let root = xmlDocGetRootElement(doc), name(root) == "roleaudit-snapshot" else {
            throw ImportError.unrecognized(
                file: path, expected: "a <roleaudit-snapshot> document",
                found: "an XML document whose root is <\(xmlDocGetRootElement(doc).map(name) ?? "nothing")>")
        }
        guard let version = attribute(root, "version"), let v = Int(version) else {
            throw ImportError.invalid(
                InputLocation(file: path, line: Int(xmlGetLineNo(root)), record: "roleaudit-snapshot"),
                expected: "a version=\"\(Snapshot.formatVersion)\" attribute", found: "none")
        }
        var document = SnapshotDocument(roleaudit_snapshot: v)
        var lines: [String: [Int]] = [:]
        var node = root.pointee.children
        while let n = node {
            defer { node = n.pointee.next }
            guard n.pointee.type == XML_ELEMENT_NODE else { continue }
            let element = name(n)
            let line = Int(xmlGetLineNo(n))
            let at = InputLocation(file: path, line: line, record: "<\(element)>")
            func required(_ key: String) throws -> String {
                guard let v = attribute(n, key) else { throw ImportError.invalid(at, expected: "attribute \"\(key)\"", found: "none") }
                return v
            }
            func platform() throws -> Platform {
                let p = try required("platform")
                guard let v = Platform(rawValue: p) else { throw ImportError.invalid(at, expected: "platform \"huntress\" or \"cortex-xdr\"", found: "\"\(p)\"") }
                return v
            }
            func children(_ tag: String) -> [String] {
                var out: [String] = []
                var c = n.pointee.children
                while let x = c {
                    if x.pointee.type == XML_ELEMENT_NODE, name(x) == tag, let text = content(x) { out.append(text) }
                    c = x.pointee.next
                }
                return out
            }
            lines[element, default: []].append(line)
            switch element {
            case "account":
                document.accounts = (document.accounts ?? []) + [.init(platform: try platform(), id: try required("id"), name: attribute(n, "name"))]
            case "organization":
                document.organizations = (document.organizations ?? []) + [.init(
                    platform: try platform(), id: try required("id"), name: attribute(n, "name"), account: attribute(n, "account"),
                    customer: attribute(n, "customer"))]
            case "principal":
                let kind = try attribute(n, "kind").map { k -> Principal.Kind in
                    guard let v = Principal.Kind(rawValue: k) else { throw ImportError.invalid(at, expected: "kind \"human\" or \"non-human\"", found: "\"\(k)\"") }
                    return v
                }
                document.principals = (document.principals ?? []) + [.init(
                    platform: try platform(), email: attribute(n, "email"), id: attribute(n, "id"), name: attribute(n, "name"),
                    kind: kind, user_type: attribute(n, "user-type"), status: attribute(n, "status"),
                    last_login: attribute(n, "last-login"), hidden: attribute(n, "hidden").map { $0 == "true" })]
            case "role":
                document.roles = (document.roles ?? []) + [.init(
                    platform: try platform(), tenant: attribute(n, "tenant"), name: try required("name"), id: attribute(n, "id"),
                    custom: attribute(n, "custom").map { $0 == "true" }, permissions: children("permission"),
                    description: attribute(n, "description"))]
            case "group":
                document.groups = (document.groups ?? []) + [.init(
                    tenant: try required("tenant"), name: try required("name"), roles: children("role"), members: children("member"),
                    nested_groups: children("nested-group"), idp_groups: children("idp-group"), type: attribute(n, "type"))]
            case "grant":
                let levelText = try required("level")
                guard let level = Level(rawValue: levelText) else {
                    throw ImportError.invalid(at, expected: "level \"account\", \"organization\" or \"tenant\"", found: "\"\(levelText)\"")
                }
                var scope: [String: [String]] = [:]
                var c = n.pointee.children
                while let x = c {
                    if x.pointee.type == XML_ELEMENT_NODE, name(x) == "scope" {
                        let area = attribute(x, "area") ?? "endpoints"
                        var item = x.pointee.children
                        while let i = item {
                            if i.pointee.type == XML_ELEMENT_NODE, let text = content(i) { scope[area, default: []].append(text) }
                            item = i.pointee.next
                        }
                    }
                    c = x.pointee.next
                }
                document.grants = (document.grants ?? []) + [.init(
                    platform: try platform(), principal: try required("principal"), role: try required("role"), level: level,
                    target: try required("target"), group: attribute(n, "group"), scope: scope.isEmpty ? nil : scope,
                    created_at: attribute(n, "created-at"))]
            case "api-key":
                document.api_keys = (document.api_keys ?? []) + [.init(
                    platform: try attribute(n, "platform").map { _ in try platform() }, tenant: try required("tenant"),
                    id: try required("id"), roles: children("role"), created_by: attribute(n, "created-by"),
                    created_at: attribute(n, "created-at"), expires: attribute(n, "expires"), comment: attribute(n, "comment"),
                    user_name: attribute(n, "user-name"), security_level: attribute(n, "security-level"))]
            default:
                throw ImportError.invalid(
                    at, expected: "<account>, <organization>, <principal>, <role>, <group>, <grant> or <api-key>", found: "<\(element)>")
            }
        }
        return (document, lines)
    }

    private static func name(_ node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0) } ?? ""
    }

    private static func attribute(_ node: xmlNodePtr, _ key: String) -> String? {
        let value = key.withCString { c in c.withMemoryRebound(to: xmlChar.self, capacity: key.utf8.count + 1) { xmlGetProp(node, $0) } }
        guard let value else { return nil }
        defer { roleaudit_xmlFree(value) }
        return String(cString: value)
    }

    private static func content(_ node: xmlNodePtr) -> String? {
        guard let value = xmlNodeGetContent(node) else { return nil }
        defer { roleaudit_xmlFree(value) }
        return String(cString: value).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func lastError(_ path: String) -> ImportError {
        guard let e = xmlGetLastError() else {
            return .syntax(InputLocation(file: path), expected: "well-formed XML", found: "a document libxml2 could not read")
        }
        let message = e.pointee.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "an error"
        return .syntax(
            InputLocation(file: path, line: Int(e.pointee.line), column: e.pointee.int2 > 0 ? Int(e.pointee.int2) : nil),
            expected: "well-formed XML", found: message)
    }
}
