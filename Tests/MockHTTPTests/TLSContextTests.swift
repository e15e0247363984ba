#if TLS
    import Foundation
    import Testing

    @testable import MockHTTP

    /// `TLSContext`: the self-signed certificate made at start-up (checked with `openssl verify` and
    /// `openssl x509`), certificates from the files `scripts/gen-cert.sh` makes, and the documented errors
    /// for files that are missing, not PEM, encrypted or mismatched.
    @Suite(.enabled(if: TLSTest.isOnPath("openssl"), "needs the openssl command"))
    struct TLSContextTests {
        // MARK: - Self-signed

        @Test(arguments: [
            ["-verify_hostname", "localhost"], ["-verify_ip", "127.0.0.1"], ["-verify_ip", "::1"],
        ])
        func selfSignedCertificateVerifiesAgainstItselfAsCA(check: [String]) throws {
            let context = try TLSTest.context()
            try TLSTest.withTemporaryDirectory { directory in
                let ca = directory + "/ca.pem"
                try TLSTest.write(context.certificatePEM, to: ca)
                let result = try TLSTest.run(
                    "openssl", ["verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", ca] + check + [ca])
                #expect(result.status == 0, "\(result.output)")
                #expect(result.output == "\(ca): OK\n")
            }
        }

        @Test(arguments: [["-verify_hostname", "example.com"], ["-verify_ip", "10.0.0.1"]])
        func selfSignedCertificateDoesNotVerifyForOtherNames(check: [String]) throws {
            let context = try TLSTest.context()
            try TLSTest.withTemporaryDirectory { directory in
                let ca = directory + "/ca.pem"
                try TLSTest.write(context.certificatePEM, to: ca)
                let result = try TLSTest.run("openssl", ["verify", "-CAfile", ca] + check + [ca])
                #expect(result.status != 0, "\(result.output)")
            }
        }

        @Test func selfSignedCertificateHasTheDocumentedExtensions() throws {
            let context = try TLSTest.context()
            let text = try TLSTest.run("openssl", ["x509", "-noout", "-text"], input: context.certificatePEM).output
            #expect(text.contains("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"), "\(text)")
            #expect(text.contains("X509v3 Basic Constraints: critical\n                CA:TRUE"), "\(text)")
            #expect(text.contains("X509v3 Key Usage: critical\n                Digital Signature, Certificate Sign"))
            #expect(text.contains("X509v3 Extended Key Usage: \n                TLS Web Server Authentication"))
            #expect(text.contains("X509v3 Subject Key Identifier"))
            #expect(text.contains("X509v3 Authority Key Identifier"))
            #expect(text.contains("Public Key Algorithm: id-ecPublicKey") && text.contains("NIST CURVE: P-256"))
            #expect(text.contains("Signature Algorithm: ecdsa-with-SHA256"))
            #expect(text.contains("Subject: O = GatewayMock, CN = localhost"))
            #expect(text.contains("Version: 3 (0x2)"))
        }

        @Test func selfSignedCertificateIsValidFromYesterdayForAtMost825Days() throws {
            let context = try TLSTest.context()
            let dates = try TLSTest.run("openssl", ["x509", "-noout", "-dates"], input: context.certificatePEM).output
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "MMM d HH:mm:ss yyyy 'GMT'"
            func date(_ key: String) throws -> Date {
                let line = try #require(dates.split(separator: "\n").first { $0.hasPrefix(key + "=") })
                let text = line.dropFirst(key.count + 1).split(separator: " ", omittingEmptySubsequences: true)
                    .joined(separator: " ")
                return try #require(formatter.date(from: text), "\(line)")
            }
            let notBefore = try date("notBefore")
            let notAfter = try date("notAfter")
            #expect(notBefore < Date().addingTimeInterval(-23 * 3600))
            #expect(notAfter.timeIntervalSince(notBefore) <= 826 * 86400)
            #expect(notAfter > Date().addingTimeInterval(800 * 86400))
        }

        @Test func eachSelfSignedContextHasItsOwnKeyAndSerial() throws {
            let first = try TLSContext(configuration: .selfSigned())
            let second = try TLSContext(configuration: .selfSigned())
            let publicKeys = try [first, second].map {
                try TLSTest.run("openssl", ["x509", "-noout", "-pubkey"], input: $0.certificatePEM).output
            }
            #expect(publicKeys[0].contains("BEGIN PUBLIC KEY") && publicKeys[0] != publicKeys[1])
            let serials = try [first, second].map {
                try TLSTest.run("openssl", ["x509", "-noout", "-serial"], input: $0.certificatePEM).output
            }
            #expect(serials[0] != serials[1])
        }

        @Test func selfSignedCertificateForOtherHostsCoversExactlyThem() throws {
            let context = try TLSContext(configuration: .selfSigned(hosts: ["mock.test", "[fe80::1]", "10.1.2.3"]))
            let text = try TLSTest.run(
                "openssl", ["x509", "-noout", "-ext", "subjectAltName"], input: context.certificatePEM
            ).output
            #expect(text.contains("DNS:mock.test, IP Address:FE80:0:0:0:0:0:0:1, IP Address:10.1.2.3"), "\(text)")
        }

        @Test(arguments: [[], [""], ["a,DNS:evil.example"], ["two words"], ["é.example"]])
        func selfSignedHostsThatCannotGoIntoACertificateAreRefused(hosts: [String]) {
            let error = #expect(throws: TLSError.self) { try TLSContext(configuration: .selfSigned(hosts: hosts)) }
            #expect(error?.code == .invalidHost)
        }

        // MARK: - Files from scripts/gen-cert.sh

        /// Runs `scripts/gen-cert.sh` into `directory`; returns the certificate and key paths.
        static func generate(into directory: String) throws -> (certificate: String, key: String) {
            let result = try TLSTest.run("bash", [TLSTest.genCertScript, directory])
            guard result.status == 0 else { throw TLSTest.Failure(description: "gen-cert.sh: \(result.output)") }
            return (directory + "/cert.pem", directory + "/key.pem")
        }

        @Test func filesMadeByGenCertLoadAndServeAVerifiedHandshake() throws {
            try TLSTest.withTemporaryDirectory { directory in
                let (certificate, key) = try Self.generate(into: directory)
                let context = try TLSContext(
                    configuration: .files(certificatePath: certificate, privateKeyPath: key))
                #expect(context.certificatePEM == (try String(contentsOfFile: certificate, encoding: .utf8)))
                for options in [
                    TLSTestClient.Options(trustedPEM: context.certificatePEM, expectedHost: "localhost"),
                    TLSTestClient.Options(trustedPEM: context.certificatePEM, expectedIP: "::1"),
                ] {
                    let connection = try TLSTest.connect(context: context, client: options)
                    #expect(connection.server.negotiatedALPN == "http/1.1")
                }
            }
        }

        @Test func genCertKeepsExistingFilesAndReplacesThemOnlyWithForce() throws {
            try TLSTest.withTemporaryDirectory { directory in
                let (certificate, key) = try Self.generate(into: directory)
                let original = try String(contentsOfFile: certificate, encoding: .utf8)
                let again = try TLSTest.run("bash", [TLSTest.genCertScript, directory])
                #expect(again.status == 0)
                #expect(again.output.contains("Keeping the existing certificate"))
                #expect(try String(contentsOfFile: certificate, encoding: .utf8) == original)

                try FileManager.default.removeItem(atPath: key)
                let half = try TLSTest.run("bash", [TLSTest.genCertScript, directory])
                #expect(half.status == 1)
                #expect(half.output.contains("refusing to overwrite"))

                let forced = try TLSTest.run("bash", [TLSTest.genCertScript, "--force", directory])
                #expect(forced.status == 0, "\(forced.output)")
                #expect(try String(contentsOfFile: certificate, encoding: .utf8) != original)
                let attributes = try FileManager.default.attributesOfItem(atPath: key)
                #expect((attributes[.posixPermissions] as? Int) == 0o600)
                _ = try TLSContext(configuration: .files(certificatePath: certificate, privateKeyPath: key))
            }
        }

        @Test func genCertCertificateVerifiesStrictlyForAllThreeNamesForTenYears() throws {
            try TLSTest.withTemporaryDirectory { directory in
                let (certificate, _) = try Self.generate(into: directory)
                for check in [["-verify_hostname", "localhost"], ["-verify_ip", "127.0.0.1"], ["-verify_ip", "::1"]] {
                    let result = try TLSTest.run(
                        "openssl",
                        ["verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", certificate] + check + [
                            certificate
                        ])
                    #expect(result.status == 0, "\(check): \(result.output)")
                }
                let nineYears = String(9 * 365 * 86400)
                let endDate = try TLSTest.run(
                    "openssl", ["x509", "-noout", "-checkend", nineYears, "-in", certificate])
                #expect(endDate.status == 0, "\(endDate.output)")
            }
        }

        // MARK: - Errors

        @Test func keyOfAnotherCertificateIsAMismatch() throws {
            try TLSTest.withTemporaryDirectory { directory in
                let first = try Self.generate(into: directory + "/first")
                let second = try Self.generate(into: directory + "/second")
                let error = #expect(throws: TLSError.self) {
                    try TLSContext(
                        configuration: .files(certificatePath: first.certificate, privateKeyPath: second.key))
                }
                #expect(error?.code == .keyMismatch)
                #expect(error?.path == second.key)
                #expect(
                    error?.description
                        == "private key does not match the certificate: \(second.key): this key does not belong to"
                        + " the first certificate in \(first.certificate)")
            }
        }

        @Test func missingFilesAreNotFound() throws {
            try TLSTest.withTemporaryDirectory { directory in
                let (certificate, key) = try Self.generate(into: directory)
                let missing = directory + "/missing.pem"
                for (certificatePath, keyPath) in [
                    (missing, key), (certificate, missing), (directory + "/no/dir.pem", key),
                ] {
                    let error = #expect(throws: TLSError.self) {
                        try TLSContext(configuration: .files(certificatePath: certificatePath, privateKeyPath: keyPath))
                    }
                    #expect(error?.code == .fileNotFound)
                    #expect(error?.description == "file not found: \(error?.path ?? "?"): no such file")
                }
            }
        }

        @Test func aDirectoryIsNotReadable() throws {
            try TLSTest.withTemporaryDirectory { directory in
                let (_, key) = try Self.generate(into: directory)
                let error = #expect(throws: TLSError.self) {
                    try TLSContext(configuration: .files(certificatePath: directory, privateKeyPath: key))
                }
                #expect(error?.code == .fileUnreadable)
                #expect(error?.detail == "Is a directory")
            }
        }

        @Test func filesThatAreNotPEMOrHoldTheWrongThingAreNotPEM() throws {
            try TLSTest.withTemporaryDirectory { directory in
                let (certificate, key) = try Self.generate(into: directory)
                let garbage = directory + "/garbage.pem"
                try TLSTest.write("this is not a certificate\n", to: garbage)
                let empty = directory + "/empty.pem"
                try TLSTest.write("", to: empty)
                let cases: [(String, String, String)] = [
                    (garbage, key, "contains no PEM certificate (no PEM block at all: is it DER or something else?)"),
                    (empty, key, "contains no PEM certificate (the file is empty)"),
                    (key, key, "contains no PEM certificate (it holds: PRIVATE KEY)"),
                    (certificate, certificate, "contains no PEM private key (it holds: CERTIFICATE)"),
                    (
                        certificate, garbage,
                        "contains no PEM private key (no PEM block at all: is it DER or something else?)"
                    ),
                ]
                for (certificatePath, keyPath, detail) in cases {
                    let error = #expect(throws: TLSError.self) {
                        try TLSContext(configuration: .files(certificatePath: certificatePath, privateKeyPath: keyPath))
                    }
                    #expect(error?.code == .notPEM)
                    #expect(error?.detail == detail)
                }
            }
        }

        @Test func encryptedKeyIsRefusedWithoutPrompting() throws {
            try TLSTest.withTemporaryDirectory { directory in
                let (certificate, key) = try Self.generate(into: directory)
                let encrypted = directory + "/encrypted.pem"
                let result = try TLSTest.run(
                    "openssl", ["pkey", "-in", key, "-aes256", "-passout", "pass:secret", "-out", encrypted])
                #expect(result.status == 0, "\(result.output)")
                let error = #expect(throws: TLSError.self) {
                    try TLSContext(configuration: .files(certificatePath: certificate, privateKeyPath: encrypted))
                }
                #expect(error?.code == .encryptedKey)
                #expect(error?.path == encrypted)
            }
        }

        @Test func oneFileHoldingBothKeyAndCertificateServesAsBoth() throws {
            try TLSTest.withTemporaryDirectory { directory in
                let (certificate, key) = try Self.generate(into: directory)
                let combined = directory + "/combined.pem"
                try TLSTest.write(
                    try String(contentsOfFile: key, encoding: .utf8)
                        + String(contentsOfFile: certificate, encoding: .utf8), to: combined)
                let context = try TLSContext(configuration: .files(certificatePath: combined, privateKeyPath: combined))
                #expect(context.certificatePEM == (try String(contentsOfFile: certificate, encoding: .utf8)))
            }
        }

        @Test func certificateChainIsServedLeafFirst() throws {
            try TLSTest.withTemporaryDirectory { directory in
                let leaf = try Self.generate(into: directory + "/leaf")
                let other = try Self.generate(into: directory + "/other")
                let chain = directory + "/chain.pem"
                try TLSTest.write(
                    try String(contentsOfFile: leaf.certificate, encoding: .utf8)
                        + String(contentsOfFile: other.certificate, encoding: .utf8), to: chain)
                let context = try TLSContext(configuration: .files(certificatePath: chain, privateKeyPath: leaf.key))
                #expect(context.certificatePEM == (try String(contentsOfFile: chain, encoding: .utf8)))
                let connection = try TLSTest.connect(
                    context: context,
                    client: .init(trustedPEM: try String(contentsOfFile: leaf.certificate, encoding: .utf8)))
                #expect(connection.server.isHandshakeComplete)
            }
        }
    }
#endif
