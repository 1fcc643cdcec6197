import Foundation

extension DocumentRepository {
    /// `NAME.mustache` files that replace the built-in templates of these names: from `folder`
    /// when given (it must exist), else from the repository's `templates/` folder.
    public func templates(named names: [String], folder explicit: String?) throws(StetError) -> [String: String] {
        let folder = explicit ?? root + "/templates"
        if let explicit, !FileManager.default.fileExists(atPath: explicit) {
            throw StetError(.notFound, "templates folder \(explicit) does not exist")
        }
        var found: [String: String] = [:]
        for name in names {
            let path = folder + "/" + name + ".mustache"
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw StetError(.invalidContent, "\(path) is not UTF-8 text")
            }
            found[name] = text
        }
        return found
    }

    /// The styles part that replaces the built-in one in Word files: `styles.xml` of the templates
    /// folder, when there is one; a file that is no WordprocessingML styles document is refused.
    public func wordStyles(folder explicit: String?) throws(StetError) -> String? {
        let path = (explicit ?? root + "/templates") + "/styles.xml"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw StetError(.invalidContent, "\(path) is not UTF-8 text")
        }
        guard text.contains("<w:styles"), text.contains("http://schemas.openxmlformats.org/wordprocessingml/2006/main") else {
            throw StetError(.invalidContent, "\(path) is not a Word styles part (a <w:styles> document of WordprocessingML)")
        }
        return text
    }
}
