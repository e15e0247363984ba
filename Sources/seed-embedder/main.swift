// Build-time tool run by the EmbedSeedData plugin:
//   seed-embedder DIR OUTPUT.swift FILE...
// writes a Swift source declaring `NAME.files`, NAME being OUTPUT's file name without `.swift` (e.g.
// EmbeddedSeedData), mapping each file's path relative to DIR (e.g. "openrouter/workspaces.json") to its
// exact text.
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: seed-embedder DIR OUTPUT.swift FILE...\n".utf8))
    exit(64)
}
let directory = URL(fileURLWithPath: arguments[1]).standardizedFileURL.path + "/"
let outputPath = arguments[2]
let enumName = URL(fileURLWithPath: outputPath).deletingPathExtension().lastPathComponent

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

let folder = URL(fileURLWithPath: directory).lastPathComponent
var source = "// Generated at build time by seed-embedder from \(folder)/. Do not edit.\n\n"
source +=
    "/// The files of \(folder)/ by relative path, compiled in so that a bare `gateway-mock` serves them from anywhere.\n"
source += "enum \(enumName) {\n    static let files: [String: String] = [\n"
for path in arguments.dropFirst(3).sorted() {
    let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
    let relative = absolute.hasPrefix(directory) ? String(absolute.dropFirst(directory.count)) : absolute
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
