import Foundation
import PackagePlugin

/// Build-tool plugin that compiles the package's `seed-data/` JSON files into the target, so that the
/// `gateway-mock` binary serves its default store from any working directory without resource bundles.
@main
struct EmbedSeedData: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let seedDirectory = context.package.directoryURL.appending(path: "seed-data")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedSeedData.swift")
        let inputs = try jsonFiles(under: seedDirectory)
        return [
            .buildCommand(
                displayName: "Embedding seed-data/ into \(target.name)",
                executable: try context.tool(named: "seed-embedder").url,
                arguments: [seedDirectory.path(percentEncoded: false), output.path(percentEncoded: false)]
                    + inputs.map { $0.path(percentEncoded: false) },
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }

    private func jsonFiles(under directory: URL) throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            return []
        }
        return walker.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "json" }
            .sorted { $0.path < $1.path }
    }
}
