/// Control-framework references the rules cite (NIST SP 800-53 Rev. 5, ISO/IEC 27001:2022 Annex A,
/// SOC 2 Trust Services Criteria, CIS Controls v8).
enum Frameworks {
    static let leastPrivilege = ["NIST SP 800-53 AC-6", "ISO/IEC 27001:2022 A.8.2", "ISO/IEC 27001:2022 A.5.15", "SOC 2 CC6.3", "CIS Controls v8 6.8"]
    static let accountReview = ["NIST SP 800-53 AC-2(3)", "ISO/IEC 27001:2022 A.5.18", "SOC 2 CC6.2", "CIS Controls v8 5.3"]
    static let separation = ["NIST SP 800-53 AC-5", "ISO/IEC 27001:2022 A.5.3", "ISO/IEC 27001:2022 A.5.15", "SOC 2 CC6.3"]
    static let isolation = ["NIST SP 800-53 AC-3", "NIST SP 800-53 AC-6", "ISO/IEC 27001:2022 A.5.15", "ISO/IEC 27001:2022 A.8.3", "SOC 2 CC6.1"]
    static let accountManagement = ["NIST SP 800-53 AC-2", "ISO/IEC 27001:2022 A.5.18", "SOC 2 CC6.2", "CIS Controls v8 5.1", "CIS Controls v8 6.1"]
    /// Joiners, movers and leavers: access follows the person (issue 17).
    static let people = ["NIST SP 800-53 AC-2", "ISO/IEC 27001:2022 A.5.18", "SOC 2 CC6.2", "SOC 2 CC6.3"]
    static let authentication = ["NIST SP 800-53 IA-2", "ISO/IEC 27001:2022 A.8.5", "SOC 2 CC6.1", "CIS Controls v8 6.7"]
}
