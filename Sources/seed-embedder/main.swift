// Build-time tool run by the EmbedSeedData plugin:
//   seed-embedder SEED_DIR OUTPUT.swift FILE.json...
// writes a Swift source declaring `EmbeddedSeedData.files`, mapping each file's path relative to SEED_DIR
// (e.g. "openrouter/workspaces.json") to its exact text.
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: seed-embedder SEED_DIR OUTPUT.swift FILE.json...\n".utf8))
    exit(64)
}
let seedDirectory = URL(fileURLWithPath: arguments[1]).standardizedFileURL.path + "/"
let outputPath = arguments[2]

/// A raw multi-line string literal holding `text` exactly: it uses one more `#` than the longest run of `#`
/// in the text, so neither a closing delimiter nor an escape inside the text can take effect.
func rawLiteral(_ text: String) -> String {
    var longest = 0
    var run = 0
    for character in text {
        run = character == "#" ? run + 1 : 0
        longest = max(longest, run)
    }
    let hashes = String(repeating: "#", count: longest + 1)
    return "\(hashes)\"\"\"\n\(text)\n\"\"\"\(hashes)"
}

var source = "// Generated at build time by seed-embedder from seed-data/. Do not edit.\n\n"
source += "/// The default seed store, compiled in so that a bare `gateway-mock` serves data from anywhere.\n"
source += "enum EmbeddedSeedData {\n    static let files: [String: String] = [\n"
for path in arguments.dropFirst(3).sorted() {
    let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
    let relative = absolute.hasPrefix(seedDirectory) ? String(absolute.dropFirst(seedDirectory.count)) : absolute
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        FileHandle.standardError.write(Data("seed-embedder: cannot read \(path) as UTF-8\n".utf8))
        exit(1)
    }
    source += "        \"\(relative)\": \(rawLiteral(text)),\n"
}
source += "    ]\n}\n"
do {
    try source.write(toFile: outputPath, atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("seed-embedder: cannot write \(outputPath): \(error)\n".utf8))
    exit(1)
}
