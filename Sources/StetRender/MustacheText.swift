import Mustache

/// A text field of the templates' context that Mustache prints without finding out what it is:
/// a plain `String` is first tried as a template, a renderable and a lambda, then printed through
/// `String(describing:)`, a fifth of the time the two lists of some thousands of commits took.
/// Escaped by `{{ }}` as any text; a string's transforms (`{{uppercased(author)}}`) apply.
struct MustacheText: MustacheCustomRenderable, MustacheTransformable {
    let renderText: String
    var isNull: Bool { false }
    init(_ text: String) { renderText = text }

    func transform(_ name: String) -> Any? { renderText.transform(name) }
}
