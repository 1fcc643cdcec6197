import Foundation
import StetTestSupport
import Testing

/// A corpus of script-injection payloads placed everywhere a repository can put text into a
/// page: section text on the old and the new side of a change, titles, file names, author
/// names and addresses, commit messages, trailers and tag messages; and markup split across an
/// edit boundary. `stet compare` and `stet render` write the pages; headless Chromium opens
/// them; nothing may run, and nothing may be loaded.
@Suite("No script from a repository runs in stet's HTML")
struct XSSTests {
    /// Each payload, if it ran, would change the document's title or reach the network.
    static let payloads = [
        // Script elements.
        "<script>document.title='pwned'</script>",
        "<SCRIPT SRC=http://127.0.0.1:9/x.js></SCRIPT>",
        "<scr<script>ipt>document.title='pwned'</script>",
        "\"><script>document.title='pwned'</script>",
        "'><script>document.title='pwned'</script>",
        "</title><script>document.title='pwned'</script>",
        "</textarea><script>document.title='pwned'</script>",
        "</style><script>document.title='pwned'</script>",
        "<script type=\"module\">document.title='pwned'</script>",
        "<!--<script>document.title='pwned'</script>-->",
        "<template><script>document.title='pwned'</script></template>",
        // Event handlers.
        "<img src=x onerror=\"document.title='pwned'\">",
        "<img src=x onerror=document.title='pwned'>",
        "<body onload=\"document.title='pwned'\">",
        "<div onmouseover=\"document.title='pwned'\">hover</div>",
        "<input autofocus onfocus=\"document.title='pwned'\">",
        "<details open ontoggle=\"document.title='pwned'\">x</details>",
        "<video><source onerror=\"document.title='pwned'\"></video>",
        "<audio src=x onerror=\"document.title='pwned'\">",
        "<marquee onstart=\"document.title='pwned'\">x</marquee>",
        "\" onmouseover=\"document.title='pwned'\" x=\"",
        "' onfocus='document.title=1' autofocus x='",
        "<noscript><p title=\"</noscript><img src=x onerror=document.title='pwned'>\">",
        // javascript:, data: and other URLs.
        "[x](javascript:document.title='pwned')",
        "[x](JaVaScRiPt:document.title='pwned')",
        "[x](javascript&#58;document.title='pwned')",
        "<a href=\"javascript:document.title='pwned'\">x</a>",
        "[x](data:text/html;base64,PHNjcmlwdD5kb2N1bWVudC50aXRsZT0ncHduZWQnPC9zY3JpcHQ+)",
        "![x](javascript:document.title='pwned')",
        "![beacon](http://127.0.0.1:9/beacon.png)",
        "<a href=\"data:text/html,<script>document.title='pwned'</script>\">x</a>",
        "[x](vbscript:msgbox(1))",
        "<form action=\"javascript:document.title='pwned'\"><button>x</button></form>",
        "[x](http://127.0.0.1:9/ \"\\\" onmouseover=\\\"document.title='pwned'\")",
        // SVG and MathML.
        "<svg onload=\"document.title='pwned'\">",
        "<svg><script>document.title='pwned'</script></svg>",
        "<svg><a xlink:href=\"javascript:document.title='pwned'\"><text>x</text></a></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=\"document.title='pwned'\">",
        // Frames, objects and the document's head.
        "<iframe src=\"javascript:document.title='pwned'\"></iframe>",
        "<iframe srcdoc=\"<script>parent.document.title='pwned'</script>\"></iframe>",
        "<object data=\"javascript:document.title='pwned'\"></object>",
        "<embed src=\"javascript:document.title='pwned'\">",
        "<base href=\"http://127.0.0.1:9/\">",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:document.title='pwned'\">",
        "<link rel=\"stylesheet\" href=\"http://127.0.0.1:9/x.css\">",
        // Style.
        "<style>@import 'http://127.0.0.1:9/x.css';</style>",
        "<div style=\"background:url(http://127.0.0.1:9/x.png)\">x</div>",
        "<style>*{background:url(\"javascript:document.title='pwned'\")}</style>",
        // Entities, escapes and template syntax.
        "&lt;script&gt;document.title='pwned'&lt;/script&gt;",
        "&#60;script&#62;document.title='pwned'&#60;/script&#62;",
        "<img src=x onerror=&#100;ocument.title='pwned'>",
        "\\u003cscript\\u003edocument.title='pwned'\\u003c/script\\u003e",
        "{{title}} {{{title}}} {{#sections}}x{{/sections}}",
        "| <script>document.title='pwned'</script> | x |",
        "[^x]: <script>document.title='pwned'</script>",
    ]

    /// Author names git accepts (no angle brackets), each trying to break out of an attribute.
    static let authors = [
        "Mallory \" onmouseover=\"document.title='pwned'\" x=\" <mallory@example.org>",
        "javascript:document.title='pwned' <js@example.org>",
        "&lt;script&gt;document.title='pwned'&lt;/script&gt; <entity@example.org>",
        "' onfocus='document.title=1' autofocus x=' <quote@example.org>",
        "{{title}} {{{title}}} <mustache@example.org>",
        "Eve <x\"onmouseover=\"document.title=1\"@example.org>",
    ]

    /// Single-quoted YAML for a front matter value.
    static func yaml(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    /// A history carrying `payloads` everywhere: one section per payload, titled with it and
    /// holding it in its text; one commit per section replacing it with the next payload (so each
    /// is on both sides of a change), by a hostile author, with the payload in its message and a
    /// trailer; markup split across edit boundaries; payloads in file names and tag messages.
    func repository(_ payloads: [String]) throws -> Sandbox {
        let sandbox = try Sandbox()
        #expect(try sandbox.stet("init", "repo", "--title", payloads[0], in: ".").status == 0)
        func body(_ index: Int, _ payload: String, edited: Bool) -> String {
            "---\nid: s\(index)\ntitle: \(Self.yaml(payloads[(index + 1) % payloads.count]))\n---\n# Section \(index)\n\n"
                + "Before the payload \(payload) and after it\(edited ? ", now edited" : "").\n\n"
                + "A paragraph that stays the same in section \(index).\n"
        }
        for (index, payload) in payloads.enumerated() {
            try sandbox.write("repo/drafts/" + String(format: "%03d", index + 1) + "-s.md", body(index, payload, edited: false))
        }
        try sandbox.write("repo/drafts/900-\"><svg onload=document.title='pwned'>.md",
                          "---\nid: file-name\n---\n# A file name with markup\n\nIts text.\n")
        try sandbox.write("repo/drafts/901-split.md", "# Split\n\nAn image <img src=x and a script <scr and a link [x](java\n")
        let zero = try sandbox.stet("commit", "-m", "Zero draft " + payloads[0], author: Self.authors[0])
        #expect(zero.status == 0, "\(zero.error)")
        let first = try sandbox.stet("tag", "first", "-m", "Approved " + payloads.prefix(10).joined(separator: " "))
        #expect(first.status == 0, "\(first.error)")

        for (index, payload) in payloads.enumerated() {
            let next = payloads[(index + 1) % payloads.count]
            let path = "drafts/" + String(format: "%03d", index + 1) + "-s.md"
            try sandbox.write("repo/" + path, body(index, next, edited: true))
            let result = try sandbox.stet(["commit", "-m", "Edit \(index): \(payload)", "--addresses", payload,
                                           "--trailer", "Reviewed-by=\(next)", path],
                                          author: Self.authors[index % Self.authors.count])
            #expect(result.status == 0, "\(payload): \(result.error)")
        }
        // Each piece of markup is completed by an edit: the halves sit in different spans.
        try sandbox.write("repo/drafts/901-split.md", "# Split\n\nAn image <img src=x onerror=document.title='pwned'> "
            + "and a script <script>document.title='pwned'</script> and a link [x](javascript:document.title='pwned')\n")
        #expect(try sandbox.stet("commit", "-m", "Complete the markup", author: Self.authors[1]).status == 0)
        let second = try sandbox.stet("tag", "second", "-m", "Approved " + payloads.suffix(10).joined(separator: " "))
        #expect(second.status == 0, "\(second.error)")
        return sandbox
    }

    /// The pages stet writes for `sandbox`: the comparison first -> second and both drafts.
    func pages(_ sandbox: Sandbox) throws -> [String: String] {
        var pages: [String: String] = [:]
        for (name, arguments) in [("compare", ["compare", "first", "second"]), ("render-first", ["render", "first"]),
                                  ("render-second", ["render", "second"])]
        {
            let path = sandbox.path + "/\(name).html"
            let result = try sandbox.stet(arguments + ["-o", path])
            #expect(result.status == 0, "\(name): \(result.error)")
            pages[name] = path
        }
        return pages
    }

    struct Element: Decodable {
        var tag: String
        var attrs: [[String]]
        func value(_ name: String) -> String? { attrs.first { $0.first == name }?.last }
    }

    /// The page as Chromium leaves it (after its scripts ran), its elements as a real parser
    /// reads them, and what Chromium logged.
    func open(_ path: String, in sandbox: Sandbox) throws -> (title: String, elements: [Element], log: String) {
        let chromium = try #require(HTMLTests.chromium, "chromium is installed by scripts/test")
        let opened = try sandbox.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                                "--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000",
                                                "--dump-dom", "file://" + path], in: ".")
        #expect(opened.status == 0, "\(opened.error)")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Tools/elements.py")
            .standardized.path
        let parsed = try sandbox.run("/usr/bin/python3", [script], in: ".", input: opened.output)
        #expect(parsed.status == 0, "\(parsed.error)")
        let decoder = JSONDecoder()
        let elements = try parsed.output.split(separator: "\n").map { try decoder.decode(Element.self, from: Data($0.utf8)) }
        let dom = opened.output
        let title = dom.firstRange(of: "<title>").flatMap { start in
            dom[start.upperBound...].firstRange(of: "</title>").map { String(dom[start.upperBound..<$0.lowerBound]) }
        } ?? ""
        return (title, elements, opened.error)
    }

    @Test func noPayloadRunsOrLoadsAnythingInAnyPage() throws {
        #expect(Self.payloads.count >= 46)
        let hostile = try repository(Self.payloads)
        let plain = try repository(Self.payloads.indices.map { "plain words \($0)" })
        let hostilePages = try pages(hostile)
        let plainPages = try pages(plain)

        for name in hostilePages.keys.sorted() {
            let page = try open(try #require(hostilePages[name]), in: hostile)
            let baseline = try open(try #require(plainPages[name]), in: plain)
            // The title is stet's, with the repository's title as text; no payload set it.
            #expect(page.title.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"), "\(name): \(page.title)")
            // Every element is one stet's own page has; none carries a handler or a script URL.
            let allowed = Set(baseline.elements.map(\.tag))
            for element in page.elements {
                #expect(allowed.contains(element.tag), "\(name): a <\(element.tag)> element came from the repository")
                for attribute in element.attrs {
                    let (key, value) = (attribute.first ?? "", attribute.last ?? "")
                    #expect(!key.hasPrefix("on"), "\(name): <\(element.tag) \(key)=\(value)>")
                    #expect(!["srcdoc", "formaction", "xlink:href"].contains(key), "\(name): <\(element.tag) \(key)>")
                    if ["href", "src", "action", "data"].contains(key) {
                        let scheme = value.trimmingCharacters(in: .whitespaces).lowercased()
                        #expect(!scheme.hasPrefix("javascript:") && !scheme.hasPrefix("vbscript:") && !scheme.hasPrefix("data:"),
                                "\(name): <\(element.tag) \(key)=\(value)>")
                        // A link may lead anywhere when followed; nothing may load by itself.
                        #expect(key == "href" || !scheme.contains("://"), "\(name): <\(element.tag) \(key)=\(value)>")
                    }
                }
                if element.tag == "meta", let equiv = element.value("http-equiv") {
                    #expect(equiv == "Content-Security-Policy", "\(name): <meta http-equiv=\(equiv)>")
                }
            }
            for tag in ["script", "style", "meta", "link", "base", "img", "iframe", "object", "embed", "svg", "form"] {
                #expect(page.elements.filter { $0.tag == tag }.count == baseline.elements.filter { $0.tag == tag }.count,
                        "\(name): the number of <\(tag)> elements differs from a page without payloads")
            }
            // Nothing was refused by the policy (nothing tried to load) and nothing reached the network.
            for line in page.log.split(separator: "\n") where line.contains("CONSOLE") || line.contains("Refused") {
                Issue.record("\(name): browser console: \(line)")
            }
            #expect(!page.log.contains("net::"), "\(name): a network request was attempted")
        }
        // The payloads are shown, as text, where they were: every title is in the drafts.
        let second = try String(contentsOfFile: try #require(hostilePages["render-second"]), encoding: .utf8)
        #expect(second.contains("&lt;SCRIPT SRC=http://127.0.0.1:9/x.js&gt;&lt;/SCRIPT&gt;"))
        #expect(second.contains("[image: beacon (http://127.0.0.1:9/beacon.png)]"))
    }
}
