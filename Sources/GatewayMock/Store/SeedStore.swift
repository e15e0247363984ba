import Glibc

/// Everything the mock serves: both vendors' workspaces and the accepted keys, loaded and validated
/// as a whole, so that nothing starts half-loaded.
public struct SeedStore: Sendable {
    public var openRouterWorkspaces: WorkspaceCatalog
    public var portkeyWorkspaces: WorkspaceCatalog
    public var keys: APIKeys

    /// The files of a store directory, relative to it.
    enum File {
        static let openRouterWorkspaces = "openrouter/workspaces.json"
        static let portkeyWorkspaces = "portkey/workspaces.json"
        static let keys = "keys.json"
    }

    /// Where the seed comes from.
    public enum Source: Sendable, Equatable {
        /// The default store compiled into the binary (the package's `seed-data/`).
        case embedded
        /// A directory with the same layout as `seed-data/`.
        case directory(String)
    }

    /// One vendor's workspaces.
    public subscript(vendor: Vendor) -> WorkspaceCatalog {
        get {
            switch vendor {
            case .openrouter: openRouterWorkspaces
            case .portkey: portkeyWorkspaces
            }
        }
        set {
            switch vendor {
            case .openrouter: openRouterWorkspaces = newValue
            case .portkey: portkeyWorkspaces = newValue
            }
        }
    }

    public static func load(from source: Source) throws(SeedError) -> SeedStore {
        let read: (String) throws(SeedError) -> [UInt8]
        switch source {
        case .embedded:
            read = { (file: String) throws(SeedError) in
                guard let text = EmbeddedSeedData.files[file] else {
                    throw SeedError(file: file, location: "", reason: "not embedded in this build")
                }
                return Array(text.utf8)
            }
        case .directory(let directory):
            read = { (file: String) throws(SeedError) in try readWholeFile(directory + "/" + file, label: file) }
        }
        return SeedStore(
            openRouterWorkspaces: try WorkspaceCatalog(
                json: try read(File.openRouterWorkspaces), schema: .openRouterWorkspace, file: File.openRouterWorkspaces
            ),
            portkeyWorkspaces: try WorkspaceCatalog(
                json: try read(File.portkeyWorkspaces), schema: .portkeyWorkspace, file: File.portkeyWorkspaces),
            keys: try APIKeys(json: try read(File.keys), file: File.keys))
    }
}

/// Reads a file with POSIX calls (no Foundation on the start-up path).
private func readWholeFile(_ path: String, label: String) throws(SeedError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
        throw SeedError(file: label, location: "", reason: "cannot open \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count == 0 { return bytes }
        if count < 0 {
            if errno == EINTR { continue }
            throw SeedError(
                file: label, location: "", reason: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        bytes.append(contentsOf: chunk[..<count])
    }
}
