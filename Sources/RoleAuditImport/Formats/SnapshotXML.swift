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
    /// Parses the document with network access off and entities never substituted: a document
    /// that declares an entity is refused when the parser meets the declaration, before anything
    /// could expand it (a "billion laughs" of nested entities grows a few hundred bytes into
    /// gigabytes).
    static func parse(_ file: InputFile, path: String) throws -> xmlDocPtr {
        xmlResetLastError()
        guard file.buffer.count < Int(Int32.max) else { throw ImportError.tooLarge(file: path, size: file.buffer.count, limit: Int(Int32.max)) }
        guard let base = file.buffer.baseAddress,
            let ctxt = base.withMemoryRebound(to: CChar.self, capacity: file.buffer.count, {
                xmlCreateMemoryParserCtxt($0, Int32(file.buffer.count))
            })
        else { throw lastError(path) }
        defer { xmlFreeParserCtxt(ctxt) }
        // BIG_LINES: line numbers past 65,535 are kept (by default libxml2 stops counting there).
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_BIG_LINES.rawValue)
        _ = xmlCtxtUseOptions(ctxt, options)
        ctxt.pointee.sax.pointee.entityDecl = refuseEntity
        _ = xmlParseDocument(ctxt)
        let doc = ctxt.pointee.myDoc
        ctxt.pointee.myDoc = nil
        if let name = ctxt.pointee._private.map({ String(cString: $0.assumingMemoryBound(to: CChar.self)) }) {
            roleaudit_xmlFree(ctxt.pointee._private)
            ctxt.pointee._private = nil
            if let doc { xmlFreeDoc(doc) }
            throw ImportError.invalid(
                InputLocation(file: path, line: Int(ctxt.pointee.input?.pointee.line ?? 0)),
                expected: "a snapshot without entity declarations (roleaudit never expands entities)",
                found: "a declaration of the entity \(ErrorText.quote(name))")
        }
        guard let doc, ctxt.pointee.wellFormed != 0 else {
            if let doc { xmlFreeDoc(doc) }
            throw lastError(path)
        }
        return doc
    }

    static func read(_ file: InputFile, path: String) throws -> (SnapshotDocument, [String: [Int]]) {
        let doc = try parse(file, path: path)
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
        // Each list is built in place and set once: appending to the document's optional lists
        // copied each list per element, quadratic in the size of the snapshot.
        var accounts: [SnapshotDocument.AccountRecord] = []
        var organizations: [SnapshotDocument.OrganizationRecord] = []
        var principals: [SnapshotDocument.PrincipalRecord] = []
        var roles: [SnapshotDocument.RoleRecord] = []
        var groups: [SnapshotDocument.GroupRecord] = []
        var grants: [SnapshotDocument.GrantRecord] = []
        var apiKeys: [SnapshotDocument.APIKeyRecord] = []
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
                guard let v = Platform(rawValue: p) else { throw ImportError.invalid(at, expected: "platform \"huntress\" or \"cortex-xdr\"", found: ErrorText.quote(p)) }
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
                accounts.append(.init(platform: try platform(), id: try required("id"), name: attribute(n, "name")))
            case "organization":
                organizations.append(.init(
                    platform: try platform(), id: try required("id"), name: attribute(n, "name"), account: attribute(n, "account"),
                    customer: attribute(n, "customer")))
            case "principal":
                let kind = try attribute(n, "kind").map { k -> Principal.Kind in
                    guard let v = Principal.Kind(rawValue: k) else { throw ImportError.invalid(at, expected: "kind \"human\" or \"non-human\"", found: ErrorText.quote(k)) }
                    return v
                }
                principals.append(.init(
                    platform: try platform(), email: attribute(n, "email"), id: attribute(n, "id"), name: attribute(n, "name"),
                    kind: kind, user_type: attribute(n, "user-type"), status: attribute(n, "status"),
                    tenant: attribute(n, "tenant"), last_login: attribute(n, "last-login"), hidden: attribute(n, "hidden").map { $0 == "true" }))
            case "role":
                roles.append(.init(
                    platform: try platform(), tenant: attribute(n, "tenant"), name: try required("name"), id: attribute(n, "id"),
                    custom: attribute(n, "custom").map { $0 == "true" }, permissions: children("permission"),
                    description: attribute(n, "description")))
            case "group":
                groups.append(.init(
                    tenant: try required("tenant"), name: try required("name"), roles: children("role"), members: children("member"),
                    nested_groups: children("nested-group"), idp_groups: children("idp-group"), type: attribute(n, "type")))
            case "grant":
                let levelText = try required("level")
                guard let level = Level(rawValue: levelText) else {
                    throw ImportError.invalid(at, expected: "level \"account\", \"organization\" or \"tenant\"", found: ErrorText.quote(levelText))
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
                grants.append(.init(
                    platform: try platform(), principal: try required("principal"), role: try required("role"), level: level,
                    target: try required("target"), group: attribute(n, "group"), scope: scope.isEmpty ? nil : scope,
                    created_at: attribute(n, "created-at")))
            case "api-key":
                apiKeys.append(.init(
                    platform: try attribute(n, "platform").map { _ in try platform() }, tenant: try required("tenant"),
                    id: try required("id"), roles: children("role"), created_by: attribute(n, "created-by"),
                    created_at: attribute(n, "created-at"), expires: attribute(n, "expires"), comment: attribute(n, "comment"),
                    user_name: attribute(n, "user-name"), security_level: attribute(n, "security-level")))
            default:
                throw ImportError.invalid(
                    at, expected: "<account>, <organization>, <principal>, <role>, <group>, <grant> or <api-key>", found: "<\(element)>")
            }
        }
        (document.accounts, document.organizations, document.principals) = (accounts, organizations, principals)
        (document.roles, document.groups, document.grants) = (roles, groups, grants)
        document.api_keys = apiKeys
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

/// The parser's entity-declaration handler: records the entity's name and stops the parser, so
/// that no declared entity is ever expanded.
private func refuseEntity(
    _ context: UnsafeMutableRawPointer?, _ name: UnsafePointer<xmlChar>?, _ type: Int32, _ publicID: UnsafePointer<xmlChar>?,
    _ systemID: UnsafePointer<xmlChar>?, _ content: UnsafeMutablePointer<xmlChar>?
) {
    guard let ctxt = context?.assumingMemoryBound(to: xmlParserCtxt.self) else { return }
    if ctxt.pointee._private == nil {
        ctxt.pointee._private = UnsafeMutableRawPointer(name.flatMap { xmlStrdup($0) } ?? xmlCharStrdup("?"))
    }
    xmlStopParser(ctxt)
}
