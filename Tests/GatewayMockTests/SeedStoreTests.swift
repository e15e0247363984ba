import Foundation
import Testing

@testable import GatewayMock

/// Loading and validating seed data: the embedded default store and every way a seed can be wrong.
@Suite struct SeedStoreTests {
    @Test func embeddedStoreMatchesTheSeedDirectory() throws {
        let embedded = try SeedStore.load(from: .embedded)
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("seed-data").path
        let loaded = try SeedStore.load(from: .directory(directory))
        #expect(
            embedded.openRouterWorkspaces.all.map { Array($0.encoded) }
                == loaded.openRouterWorkspaces.all.map { Array($0.encoded) })
        #expect(
            embedded.portkeyWorkspaces.all.map { Array($0.encoded) }
                == loaded.portkeyWorkspaces.all.map { Array($0.encoded) })
        #expect(embedded.keys == loaded.keys)
        #expect(embedded.openRouterWorkspaces.count == 120)
        #expect(embedded.portkeyWorkspaces.count == 60)
        #expect(embedded.keys.openRouterManagement == ["sk-or-v1-mock-management"])
        #expect(embedded.keys.openRouterInference == ["sk-or-v1-mock-inference"])
        #expect(embedded.keys.portkeyAdmin == ["pk-mock-admin"])
        #expect(embedded.keys.portkeyWorkspace == ["pk-mock-workspace"])
    }

    static let openRouterRecord = #"""
        {"id":"a","name":"A","slug":"a","description":null,"default_text_model":null,"default_image_model":null,
         "default_provider_sort":null,"is_observability_io_logging_enabled":false,"is_observability_broadcast_enabled":false,
         "is_data_discount_logging_enabled":true,"io_logging_sampling_rate":0.50,"io_logging_api_key_ids":[1,2],
         "created_at":"2025-01-01T00:00:00Z","updated_at":null,"created_by":null,"default_guardrail_id":"g"}
        """#

    static func openRouter(_ json: String) throws(SeedError) -> WorkspaceCatalog {
        try WorkspaceCatalog(json: Array(json.utf8), schema: .openRouterWorkspace, file: "openrouter/workspaces.json")
    }

    @Test func recordsAreReEncodedCompactKeepingKeyOrderAndNumberText() throws {
        let catalog = try Self.openRouter("[\(Self.openRouterRecord)]")
        #expect(
            String(decoding: catalog.all[0].encoded, as: UTF8.self)
                == #"{"id":"a","name":"A","slug":"a","description":null,"default_text_model":null,"default_image_model":null,"default_provider_sort":null,"is_observability_io_logging_enabled":false,"is_observability_broadcast_enabled":false,"is_data_discount_logging_enabled":true,"io_logging_sampling_rate":0.50,"io_logging_api_key_ids":[1,2],"created_at":"2025-01-01T00:00:00Z","updated_at":null,"created_by":null,"default_guardrail_id":"g"}"#
        )
    }

    /// The record with one field replaced (or removed, with nil) by textual substitution.
    static func openRouterRecord(replacing field: String, with value: String?) -> String {
        let pattern = try! Regex(#""\#(field)":(null|true|false|"[^"]*"|[0-9.]+|\[[^\]]*\]),?"#)
        let replacement = value.map { #""\#(field)":\#($0),"# } ?? ""
        var record = Self.openRouterRecord.replacing(pattern, with: replacement, maxReplacements: 1)
        record = record.replacingOccurrences(of: ",\n        }", with: "}").replacingOccurrences(of: ",}", with: "}")
        return record
    }

    @Test(
        arguments: [
            ("slug", nil, "[1].slug: missing"),
            ("default_guardrail_id", nil, "[1].default_guardrail_id: missing"),
            ("name", "42", "[1].name: expected a string, got a number"),
            ("description", "false", "[1].description: expected a string, got a boolean"),
            ("is_data_discount_logging_enabled", "null", "[1].is_data_discount_logging_enabled: must not be null"),
            ("io_logging_sampling_rate", #""1""#, "[1].io_logging_sampling_rate: expected a number, got a string"),
            ("io_logging_api_key_ids", "[1,2.5]", "[1].io_logging_api_key_ids[1]: expected an integer, got 2.5"),
            ("created_at", "null", "[1].created_at: must not be null"),
        ] as [(String, String?, String)])
    func invalidRecordsAreRefusedNamingIndexAndField(field: String, value: String?, message: String) throws {
        let good = Self.openRouterRecord.replacingOccurrences(of: #""id":"a""#, with: #""id":"b""#)
            .replacingOccurrences(of: #""slug":"a""#, with: #""slug":"b""#)
        let bad = Self.openRouterRecord(replacing: field, with: value)
        let error = #expect(throws: SeedError.self) { try Self.openRouter("[\(good),\(bad)]") }
        #expect(error?.description == "openrouter/workspaces.json: \(message)")
    }

    @Test func duplicateIDsAndSlugsAreRefused() throws {
        let sameSlug = Self.openRouterRecord.replacingOccurrences(of: #""id":"a""#, with: #""id":"b""#)
        let slugError = #expect(throws: SeedError.self) {
            try Self.openRouter("[\(Self.openRouterRecord),\(sameSlug)]")
        }
        #expect(slugError?.description == #"openrouter/workspaces.json: [1].slug: duplicate of [0].slug "a""#)
        let idError = #expect(throws: SeedError.self) {
            try Self.openRouter("[\(Self.openRouterRecord),\(Self.openRouterRecord)]")
        }
        #expect(idError?.description == #"openrouter/workspaces.json: [1].id: duplicate of [0].id "a""#)
    }

    @Test(arguments: [
        ("{}", "openrouter/workspaces.json: expected a JSON array of workspaces, got an object"),
        ("[1]", "openrouter/workspaces.json: [0]: expected an object, got a number"),
        ("[", "openrouter/workspaces.json: invalid JSON at line 1, column 2: unexpected end of input"),
        (
            "[{\"id\":\"a\",\n\"id\":\"b\"}]",
            "openrouter/workspaces.json: invalid JSON at line 2, column 1: duplicate key id"
        ),
        ("", "openrouter/workspaces.json: invalid JSON at line 1, column 1: unexpected end of input"),
    ])
    func invalidDocumentsAreRefusedWithPosition(json: String, message: String) {
        let error = #expect(throws: SeedError.self) { try Self.openRouter(json) }
        #expect(error?.description == message)
    }

    @Test func portkeyStatusMustBeActiveOrArchived() throws {
        let store = try SeedStore.load(from: .embedded)
        var record = String(decoding: store.portkeyWorkspaces.all[0].encoded, as: UTF8.self)
        record = record.replacingOccurrences(of: #""status":"active""#, with: #""status":"deleted""#)
        let error = #expect(throws: SeedError.self) {
            try WorkspaceCatalog(
                json: Array("[\(record)]".utf8), schema: .portkeyWorkspace, file: "portkey/workspaces.json")
        }
        #expect(
            error?.description
                == #"portkey/workspaces.json: [0].status: must be one of active, archived, got "deleted""#)
    }

    @Test func portkeyNestedFieldsAreChecked() throws {
        let store = try SeedStore.load(from: .embedded)
        let record = String(decoding: store.portkeyWorkspaces.all[0].encoded, as: UTF8.self)
            .replacingOccurrences(of: #""is_default":1"#, with: #""is_default":"yes""#)
        let error = #expect(throws: SeedError.self) {
            try WorkspaceCatalog(
                json: Array("[\(record)]".utf8), schema: .portkeyWorkspace, file: "portkey/workspaces.json")
        }
        #expect(
            error?.description == "portkey/workspaces.json: [0].defaults.is_default: expected an integer, got a string")
    }

    @Test(arguments: [
        (
            #"{"openrouter":{"admin":["x"]}}"#,
            "keys.json: openrouter.admin: unknown role (expected management or inference)"
        ),
        (#"{"azure":{}}"#, "keys.json: azure: unknown vendor (expected openrouter or portkey)"),
        (
            #"{"portkey":{"admin":[""]}}"#,
            "keys.json: portkey.admin[0]: a key must be a non-empty string of visible ASCII"
        ),
        (#"{"portkey":{"admin":"pk"}}"#, "keys.json: portkey.admin: expected an array of strings, got a string"),
    ])
    func invalidKeyFilesAreRefused(json: String, message: String) {
        let error = #expect(throws: SeedError.self) { try APIKeys(json: Array(json.utf8), file: "keys.json") }
        #expect(error?.description == message)
    }

    @Test func missingSeedFileIsNamed() {
        let error = #expect(throws: SeedError.self) { try SeedStore.load(from: .directory("/nonexistent-seed")) }
        #expect(
            error?.description
                == "openrouter/workspaces.json: cannot open /nonexistent-seed/openrouter/workspaces.json: No such file or directory"
        )
    }

    /// The vendors load side by side (Portkey's on a second thread); whichever fails, the error is the one
    /// a load in file order meets first: OpenRouter's, then Portkey's, then the keys'.
    @Test(arguments: [
        (["portkey/workspaces.json"], "portkey/workspaces.json"),
        (["keys.json"], "keys.json"),
        (["openrouter/workspaces.json", "portkey/workspaces.json", "keys.json"], "openrouter/workspaces.json"),
        (["portkey/workspaces.json", "keys.json"], "portkey/workspaces.json"),
    ])
    func theFirstMissingFileInLoadOrderIsNamed(removed: [String], named: String) throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("seed-data")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gm-seed-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: directory)
        defer { try? FileManager.default.removeItem(at: directory) }
        for file in removed { try FileManager.default.removeItem(at: directory.appendingPathComponent(file)) }
        let error = #expect(throws: SeedError.self) { try SeedStore.load(from: .directory(directory.path)) }
        #expect(
            error?.description
                == "\(named): cannot open \(directory.path)/\(named): No such file or directory")
    }

    @Test func keyRolesAreTold() {
        let keys = APIKeys(
            openRouterManagement: ["m"], openRouterInference: ["i"], portkeyAdmin: ["a"], portkeyWorkspace: ["w"])
        #expect(keys.openRouterRole(of: "m") == .admin)
        #expect(keys.openRouterRole(of: "i") == .limited)
        #expect(keys.openRouterRole(of: "a") == nil)
        #expect(keys.openRouterRole(of: "mm") == nil)
        #expect(keys.portkeyRole(of: "a") == .admin)
        #expect(keys.portkeyRole(of: "w") == .limited)
        #expect(keys.portkeyRole(of: "") == nil)
    }

    @Test(arguments: [
        ("sk-a", "sk-a", true), ("sk-a", "sk-b", false), ("sk-a", "sk-ab", false), ("sk-ab", "sk-a", false),
        ("", "", true), ("", "x", false), ("ab", "ab\u{0}", false), ("ké", "ké", true), ("ké", "ke", false),
    ])
    func keysCompareByteForByteWhateverTheirLengths(left: String, right: String, equal: Bool) {
        let result = Array(left.utf8).withUnsafeBufferPointer { left in
            Array(right.utf8).withUnsafeBufferPointer { right in constantTimeEquals(left, right) }
        }
        #expect(result == equal)
    }
}
