import Foundation
import RoleAuditImport
import Testing

/// `collect --config`: many credentials and tenants at once, secrets only in the environment,
/// and no secret in any byte written or printed.
@Suite struct ConfigAndSecretsTests {
    @Test func configCollectsEveryCredentialAndNoSecretIsWrittenOrPrinted() async throws {
        let reseller = try MockHuntress.samplesReseller()
        var large = MockHuntress.large(count: 700)
        large.key = "hk_second_key_77777777"
        large.secret = "hs_second_secret_88888888"
        var refused = MockHuntress.large(count: 3, accountID: 8001)
        refused.key = "hk_third_key_99999999"
        let cortex = try MockCortex.samplesAcme()
        let (s1, u1) = try await Harness.huntressServer(reseller)
        let (s2, u2) = try await Harness.huntressServer(large)
        let (s3, u3) = try await Harness.huntressServer(refused)
        let (s4, u4) = try await Harness.cortexServer(cortex)
        defer { Task { for s in [s1, s2, s3, s4] { await s.stop() } } }
        let wrongSecret = "hs_third_WRONG_secret_00000000"

        let work = try Harness.scratch("config")
        let config = work.appendingPathComponent("collect.yml")
        try """
            version: 1
            parallel: 3
            huntress:
              - name: northwind
                key_env: NW_KEY
                secret_env: NW_SECRET
                base_url: \(u1.absoluteString)
              - name: large
                key_env: LARGE_KEY
                secret_env: LARGE_SECRET
                base_url: \(u2.absoluteString)
              - name: refused
                key_env: THIRD_KEY
                secret_env: THIRD_SECRET
                base_url: \(u3.absoluteString)
            cortex:
              - tenant: acme-prod
                customer: Acme Dental Group
                api_url: \(u4.absoluteString)
                key_id_env: ACME_KEY_ID
                key_env: ACME_KEY
            """.write(to: config, atomically: true, encoding: .utf8)
        let env = [
            "NW_KEY": reseller.key, "NW_SECRET": reseller.secret, "LARGE_KEY": large.key, "LARGE_SECRET": large.secret,
            "THIRD_KEY": refused.key, "THIRD_SECRET": wrongSecret, "ACME_KEY_ID": cortex.keyID, "ACME_KEY": cortex.key,
        ]
        let out = work.appendingPathComponent("collected")
        let r = try await Launched.run(["collect", "--config", config.path, "--output", out.path, "--time-scale", String(Harness.timeScale)], environment: env)
        #expect(r.status == 2, "\(r.printed)")
        let m = try CollectionManifest.read(out.appendingPathComponent(CollectionManifest.fileName).path)
        #expect(m.scopes.map { "\($0.id) \($0.state.rawValue)" } == [
            "cortex-acme-prod complete", "huntress-41207 complete", "huntress-52001 complete", "huntress-7001 complete",
            "huntress-credential-refused incomplete", "huntress-reseller-41207 complete",
        ])
        #expect(m.credentials.map(\.id) == ["cortex:acme-prod", "huntress:large", "huntress:northwind", "huntress:refused"])
        #expect(r.stderr.contains("Huntress credential 'refused' (THIRD_KEY, key fingerprint"))

        let (scan, findings, reports) = try await Harness.scan([out.path])
        #expect(scan.status == 2 && !findings.isEmpty, "\(scan.printed)")
        #expect(scan.stdout.contains("INCOMPLETE"))

        let secrets = [reseller.key, reseller.secret, reseller.basic, large.key, large.secret, large.basic, refused.key, wrongSecret, cortex.key]
        Harness.expectNoSecrets(secrets, in: [out, reports], printed: [r.stdout, r.stderr, scan.stdout, scan.stderr])
    }

    @Test func aSecretInTheConfigIsRefusedWithoutEchoingIt() async throws {
        let work = try Harness.scratch("config")
        let config = work.appendingPathComponent("collect.yml")
        try """
            version: 1
            huntress:
              - name: northwind
                key_env: NW_KEY
                secret: hs_literal_secret_in_file
            """.write(to: config, atomically: true, encoding: .utf8)
        let r = try await Launched.run(["collect", "--config", config.path, "--output", work.appendingPathComponent("out").path], environment: ["NW_KEY": "x"])
        #expect(r.status == 3, "\(r.printed)")
        #expect(r.stderr.contains("collect.yml:5: 'huntress[0].secret': expected no secret in the file"), "\(r.stderr)")
        #expect(!r.printed.contains("hs_literal_secret_in_file"))
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("out").path))
    }

    @Test func unsetVariableNamedByTheConfigIsAUsageError() async throws {
        let work = try Harness.scratch("config")
        let config = work.appendingPathComponent("collect.yml")
        try "version: 1\ncortex:\n  - tenant: t1\n    api_url: https://api-t1.example\n    key_id_env: T1_ID\n    key_env: T1_KEY\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let r = try await Launched.run(["collect", "--config", config.path, "--output", work.appendingPathComponent("out").path], environment: ["T1_ID": "5"])
        #expect(r.status == 64, "\(r.printed)")
        #expect(r.stderr.contains("T1_KEY is not set"))
    }
}
