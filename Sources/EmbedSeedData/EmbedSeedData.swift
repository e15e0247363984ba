import Foundation
import PackagePlugin

/// Build-tool plugin that compiles the package's `seed-data/` JSON files (as `EmbeddedSeedData`) and the
/// dashboard's `dashboard/` HTML, CSS, JavaScript and SVG files (as `EmbeddedDashboard`) into the target, so
/// that the `gateway-mock` binary serves its default store and its dashboard from any working directory
/// without resource bundles or file reads at run time.
@main
struct EmbedSeedData: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        [
            try embed("seed-data", extensions: ["json"], as: "EmbeddedSeedData", context: context, target: target),
            try embed(
                "dashboard", extensions: ["html", "css", "js", "svg"], as: "EmbeddedDashboard", context: context,
                target: target),
        ]
    }

    /// A command that runs seed-embedder on the files of `folder` (at the package's root) with one of
    /// `extensions`, writing the enum `name` to `name.swift`.
    private func embed(
        _ folder: String, extensions: Set<String>, as name: String, context: PluginContext, target: any Target
    ) throws -> Command {
        let directory = context.package.directoryURL.appending(path: folder)
        let output = context.pluginWorkDirectoryURL.appending(path: "\(name).swift")
        let inputs = try files(under: directory, extensions: extensions)
        return .buildCommand(
            displayName: "Embedding \(folder)/ into \(target.name)",
            executable: try context.tool(named: "seed-embedder").url,
            arguments: [directory.path(percentEncoded: false), output.path(percentEncoded: false)]
                + inputs.map { $0.path(percentEncoded: false) },
            inputFiles: inputs,
            outputFiles: [output]
        )
    }

    private func files(under directory: URL, extensions: Set<String>) throws -> [URL] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            return []
        }
        return walker.compactMap { $0 as? URL }
            .filter { extensions.contains($0.pathExtension) }
            .sorted { $0.path < $1.path }
    }
}
