import RoleAuditReports
import Testing

/// A customer's name comes from an export: its folder name never leaves `customers/`.
@Suite struct CustomerFolderNameTests {
    @Test func namesArePlainAndUnique() {
        let names = CustomerReportsWriter.folderNames(["Acme Dental Group", "../../etc", "ACME dental group", "", "..", "Ünïcode Co", "a/b\\c"])
        #expect(names == ["acme-dental-group", "etc", "acme-dental-group-2", "customer", "customer-2", "n-code-co", "a-b-c"])
        for n in names {
            #expect(!n.isEmpty && n.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" })
        }
    }
}
