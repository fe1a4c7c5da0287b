import Foundation

/// A certificate authority and a server certificate for 127.0.0.1 (and localhost), made by the
/// openssl CLI when the test runs, in a scratch folder: no key is ever committed. The CA is one no
/// system trusts, so a client trusts the server only when given `ca` (`--ca-file`, `SSL_CERT_FILE`).
struct TestCA {
    let folder: URL
    /// The CA's certificate (PEM): what a user passes as `--ca-file`.
    var ca: URL { folder.appendingPathComponent("ca.pem") }
    var serverCertificate: URL { folder.appendingPathComponent("server.pem") }
    var serverKey: URL { folder.appendingPathComponent("server.key") }

    static let config = """
        [req]
        distinguished_name = dn
        prompt = no
        [dn]
        CN = roleaudit test CA
        [ca]
        basicConstraints = critical,CA:TRUE
        keyUsage = critical,keyCertSign,cRLSign
        subjectKeyIdentifier = hash
        [server]
        basicConstraints = critical,CA:FALSE
        keyUsage = critical,digitalSignature
        extendedKeyUsage = serverAuth
        subjectAltName = IP:127.0.0.1,DNS:localhost
        authorityKeyIdentifier = keyid
        subjectKeyIdentifier = hash

        """

    /// One CA and certificate for the whole test run, made on a thread of its own: openssl is
    /// waited for with blocking calls, which on Swift's cooperative threads would starve the mock
    /// servers of every test running beside (see `Launched.finished`).
    static var shared: TestCA {
        get async throws { try await made.value }
    }

    private static let made = Task<TestCA, any Error> {
        try await withCheckedThrowingContinuation { c in
            Thread { c.resume(with: Result { try make() }) }.start()
        }
    }

    private static func make() throws -> TestCA {
        let folder = try Harness.scratch("ca")
        let ca = TestCA(folder: folder)
        try config.write(to: folder.appendingPathComponent("openssl.cnf"), atomically: true, encoding: .utf8)
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        try openssl(["req", "-x509", "-config", "openssl.cnf", "-extensions", "ca"] + key + [
            "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=roleaudit test CA",
        ], in: folder)
        try openssl(["req", "-new", "-config", "openssl.cnf"] + key + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"], in: folder)
        try openssl([
            "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "2", "-days", "2",
            "-extfile", "openssl.cnf", "-extensions", "server", "-out", "server.pem",
        ], in: folder)
        return ca
    }

    private static func openssl(_ arguments: [String], in folder: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = folder
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestCAError(message: "openssl \(arguments.prefix(2).joined(separator: " ")) failed (the network tests need the openssl CLI): \(String(decoding: message, as: UTF8.self))")
        }
    }
}

struct TestCAError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
