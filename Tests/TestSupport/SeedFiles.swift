import Foundation

/// The package's `seed-data/` directory, read with Foundation (independently of the server's loader).
public enum SeedFiles {
    public static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("seed-data")

    public static func records(_ file: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: directory.appendingPathComponent(file))
        return try JSONSerialization.jsonObject(with: data) as! [[String: Any]]
    }

    public static var openRouter: [[String: Any]] { get throws { try records("openrouter/workspaces.json") } }
    public static var portkey: [[String: Any]] { get throws { try records("portkey/workspaces.json") } }

    /// `records` encoded as a JSON array, for bodies of `PUT /__admin/seed/…`.
    public static func jsonArray(_ records: [[String: Any]]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: records), as: UTF8.self)
    }
}
