import Foundation
import PackagePlugin

/// Compiles the demo's history (`demo/steps`) and the sample sections (`drafts/`) into the
/// target, so that `stet demo` works from a binary installed anywhere, with nothing beside it.
@main
struct EmbedDemo: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let root = context.package.directoryURL
        var files: [String] = []
        for folder in ["demo/steps", "drafts"] {
            let base = root.appending(path: folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else {
                continue
            }
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                let relative = folder + "/" + url.path.dropFirst(base.path.count + 1)
                if !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { files.append(relative) }
            }
        }
        files.sort()
        let output = context.pluginWorkDirectoryURL.appending(path: "DemoFiles.swift")
        return [.buildCommand(
            displayName: "Embedding the demo's history (\(files.count) files)",
            executable: try context.tool(named: "EmbedFiles").url,
            arguments: [output.path, root.path] + files,
            inputFiles: files.map { root.appending(path: $0) },
            outputFiles: [output])]
    }
}
