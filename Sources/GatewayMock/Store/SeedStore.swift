import Glibc

/// Everything the mock serves: both vendors' collections and the accepted keys, loaded and validated
/// as a whole, so that nothing starts half-loaded.
public struct SeedStore: Sendable {
    public var openRouter: OpenRouterStore
    public var portkey: PortkeyStore
    public var keys: APIKeys

    /// The files of a store directory, relative to it (the vendors' are `OpenRouterStore.File` and
    /// `PortkeyStore.File`).
    enum File {
        static let keys = "keys.json"
    }

    /// Where the seed comes from.
    public enum Source: Sendable, Equatable {
        /// The default store compiled into the binary (the package's `seed-data/`).
        case embedded
        /// A directory with the same layout as `seed-data/`.
        case directory(String)
    }

    public var openRouterWorkspaces: WorkspaceCatalog { openRouter.workspaces }
    public var portkeyWorkspaces: WorkspaceCatalog { portkey.workspaces }

    public static func load(from source: Source) throws(SeedError) -> SeedStore {
        /// A file's bytes, nil when it does not exist.
        let read: (String) throws(SeedError) -> [UInt8]?
        switch source {
        case .embedded:
            read = { (file: String) throws(SeedError) in EmbeddedSeedData.files[file].map { Array($0.utf8) } }
        case .directory(let directory):
            read = { (file: String) throws(SeedError) in
                try readWholeFile(directory + "/" + file, label: file, optional: true)
            }
        }
        func required(_ file: String) throws(SeedError) -> [UInt8] {
            if case .directory(let directory) = source {
                return try readWholeFile(directory + "/" + file, label: file, optional: false) ?? []
            }
            guard let bytes = try read(file) else {
                throw SeedError(file: file, location: "", reason: "not embedded in this build")
            }
            return bytes
        }
        // The vendors' collections are independent: Portkey's loads on a second thread meanwhile. Errors
        // are reported in the order a sequential load would meet them (OpenRouter's first).
        let portkey = ThreadedComputation { () throws(SeedError) in
            try PortkeyStore.load(read: read, required: required)
        }
        let openRouter = Result { () throws(SeedError) in try OpenRouterStore.load(read: read, required: required) }
        let portkeyResult = Result { () throws(SeedError) in try portkey.value() }
        return SeedStore(
            openRouter: try openRouter.get(), portkey: try portkeyResult.get(),
            keys: try APIKeys(json: try required(File.keys), file: File.keys))
    }
}

/// Reads a file with POSIX calls (no Foundation on the start-up path); nil when an `optional` file does
/// not exist.
private func readWholeFile(_ path: String, label: String, optional: Bool) throws(SeedError) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
        if optional, errno == ENOENT { return nil }
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
