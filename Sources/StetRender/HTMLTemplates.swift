/// The built-in templates of the HTML comparison. A repository's `templates/` folder overrides
/// any of them by name (`compare.mustache`, `style.mustache`, `script.mustache`). Everything from
/// the repository reaches them escaped: `{{ }}` escapes, and the `{{{ }}}` fields are HTML that
/// stet built from escaped text.
public enum HTMLTemplates {
    public static let names = ["compare", "style", "script"]

    public static let builtIn: [String: String] = [
        "compare": compare,
        "style": style,
        "script": script,
        "render": render,
        "render-style": renderStyle,
    ]

    static let render = """
        {{% CONTENT_TYPE: HTML}}
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-{{nonce}}'; img-src data:; base-uri 'none'; form-action 'none'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="stet {{version}}">
        <title>{{title}} ({{revision}})</title>
        <style nonce="{{nonce}}">{{> render-style}}</style>
        </head>
        <body>
        <header class="title-page">
        <h1>{{title}}</h1>
        <p class="revision">{{revision}}</p>
        <p class="date">{{date}}</p>
        {{#approval}}<p class="approval">{{approval}}</p>{{/approval}}
        <p class="commit">Commit <code>{{commit}}</code>, rendered by stet {{version}}</p>
        </header>
        <nav class="contents" aria-label="Contents">
        <h2>Contents</h2>
        <ol>{{#sections}}<li><a href="#{{anchor}}">{{title}}</a></li>{{/sections}}</ol>
        </nav>
        <main>
        {{#sections}}
        <section id="{{anchor}}" class="part">
        {{{html}}}
        </section>
        {{/sections}}
        </main>
        </body>
        </html>

        """

    static let renderStyle = """
        body { font: 17px/1.6 Georgia, "Times New Roman", serif; max-width: 42rem; margin: 0 auto; padding: 2rem; color: #111; }
        .title-page { text-align: center; padding: 4rem 0 3rem; border-bottom: 1px solid #ccc; }
        .title-page h1 { font-size: 2rem; }
        .revision { font-size: 1.3rem; text-transform: capitalize; }
        .approval { font-style: italic; }
        .commit { font-size: .8rem; color: #555; }
        table { border-collapse: collapse; margin: 1rem 0; }
        th, td { border: 1px solid #aaa; padding: .3rem .5rem; text-align: left; vertical-align: top; }
        .part { border-top: 1px solid #eee; margin-top: 2rem; }
        img { max-width: 100%; height: auto; }
        @media print {
          body { max-width: none; padding: 0; font-size: 11pt; }
          .title-page { break-after: page; border: none; padding-top: 30vh; }
          .contents { break-after: page; }
          .part { break-before: page; border: none; }
          a { color: inherit; text-decoration: none; }
        }

        """

    static let compare = """
        {{% CONTENT_TYPE: HTML}}
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-{{nonce}}'; script-src 'nonce-{{nonce}}'; img-src 'none'; base-uri 'none'; form-action 'none'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="stet {{version}}">
        <title>{{title}}: {{a.label}} to {{b.label}}</title>
        <style nonce="{{nonce}}">{{> style}}</style>
        </head>
        <body class="view-inline">
        <header>
        <h1>{{title}}</h1>
        <p class="revisions">Changes from <strong>{{a.label}}</strong> <code>{{a.short}}</code> {{a.date}}
        to <strong>{{b.label}}</strong> <code>{{b.short}}</code> {{b.date}}.
        Made with stet {{version}}: <code>stet compare {{a.label}} {{b.label}}</code>.</p>
        {{#a.approval}}<p class="approval"><strong>{{a.label}}</strong>: {{a.approval}}</p>{{/a.approval}}
        {{#b.approval}}<p class="approval"><strong>{{b.label}}</strong>: {{b.approval}}</p>{{/b.approval}}
        <ul class="summary">
        <li>{{summary.modifiedSections}} modified, {{summary.added}} added, {{summary.removed}} removed, {{summary.moved}} moved or renamed</li>
        <li><span class="ins-sample">{{summary.insertedWords}} added</span>, <span class="del-sample">{{summary.deletedWords}} removed</span>, in {{summary.changeCount}} by {{summary.commitCount}}</li>
        </ul>
        {{#hasContributors}}<p class="contributors">Contributors: {{#contributors}}<span>{{name}} ({{count}})</span> {{/contributors}}</p>{{/hasContributors}}
        <nav class="controls" aria-label="View">
        <button type="button" id="view-inline" aria-pressed="true">Inline</button>
        <button type="button" id="view-side" aria-pressed="false">Side by side</button>
        <label>Author <select id="filter-author"><option value="">all</option>{{#authors}}<option value="{{commits}}">{{name}}</option>{{/authors}}</select></label>
        <label>Commit <select id="filter-commit"><option value="">all</option>{{#commits}}<option value="{{index}}">{{short}} {{summary}}</option>{{/commits}}</select></label>
        <span class="hint">n / p: next and previous change</span>
        </nav>
        </header>
        <nav class="toc" aria-label="Changed sections">
        <h2>Changed sections</h2>
        <ol>{{#sections}}<li><a href="#{{anchor}}">{{title}}</a> <span class="status">{{status}}</span> <span class="ins-sample">+{{inserted}}</span> <span class="del-sample">-{{deleted}}</span>{{#moves}} <span class="status">{{moves}}</span>{{/moves}}</li>{{/sections}}</ol>
        </nav>
        <main>
        {{#sections}}
        <section id="{{anchor}}">
        <h2>{{title}} <span class="section-id">{{id}}</span> <span class="status">{{status}}</span></h2>
        {{#facts}}<p class="facts">{{facts}}</p>{{/facts}}
        <div class="inline">{{{inline}}}</div>
        <div class="side"><div class="left">{{{left}}}</div><div class="right">{{{right}}}</div></div>
        </section>
        {{/sections}}
        {{^sections}}<p>No section changed.</p>{{/sections}}
        </main>
        <footer>
        <h2>Commits</h2>
        <ol class="commits">{{#commits}}<li id="commit-{{index}}"><code>{{short}}</code> {{date}} {{author}}: {{summary}}{{#trailers}} <span class="trailer">{{key}}: {{value}}</span>{{/trailers}}</li>{{/commits}}</ol>
        </footer>
        <script nonce="{{nonce}}">{{> script}}</script>
        </body>
        </html>

        """

    static let style = """
        body { font: 16px/1.55 Georgia, "Times New Roman", serif; margin: 0 auto; max-width: 60rem; padding: 1rem 2rem; color: #1a1a1a; background: #fff; }
        header h1 { font-size: 1.6rem; margin-bottom: .3rem; }
        code, .section-id { font: .85em ui-monospace, monospace; color: #555; }
        .summary { padding-left: 1.2rem; }
        .controls { display: flex; flex-wrap: wrap; gap: .6rem; align-items: center; margin: .8rem 0; }
        .controls .hint { color: #666; font-size: .85rem; }
        button[aria-pressed="true"] { font-weight: bold; }
        .toc ol { columns: 2; column-gap: 3rem; }
        .toc li { break-inside: avoid; }
        .status { font: .75rem sans-serif; text-transform: uppercase; color: #666; }
        section { border-top: 1px solid #ccc; margin-top: 1.5rem; }
        .block { white-space: pre-wrap; margin: .4rem 0; }
        .block.same { color: #666; }
        ins, .ins-sample { text-decoration: underline; text-decoration-thickness: 2px; background: #e3f6e3; color: #0b5d0b; }
        del, .del-sample { text-decoration: line-through; background: #fbe5e5; color: #8a1010; }
        del.moved, ins.moved { background: #e5eefb; color: #123e7a; }
        .change { position: relative; cursor: help; }
        .change:focus { outline: 2px solid #1b5fc1; }
        .change.filtered { background: none; color: inherit; text-decoration-color: #bbb; }
        .note { display: none; position: absolute; left: 0; top: 1.6em; z-index: 2; min-width: 18rem; max-width: 30rem; padding: .4rem .6rem; font: .8rem/1.4 sans-serif; white-space: normal; color: #111; background: #ffffe8; border: 1px solid #aa9; text-decoration: none; }
        .change:hover > .note, .change:focus > .note { display: block; }
        .side { display: none; }
        body.view-side .inline { display: none; }
        body.view-side .side { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
        .trailer { font: .8rem sans-serif; color: #555; }
        @media print {
          .controls, .toc { display: none; }
          body { max-width: none; padding: 0; font-size: 11pt; }
          .inline { display: block !important; } .side { display: none !important; }
          .note { display: inline; position: static; border: none; background: none; font-size: 7.5pt; color: #444; padding: 0 .2em; }
          .note::before { content: "["; } .note::after { content: "]"; }
          section { break-inside: auto; }
        }

        """

    static let script = """
        (function () {
          "use strict";
          var body = document.body;
          var changes = Array.prototype.slice.call(document.querySelectorAll(".inline .change"));
          body.setAttribute("data-changes", String(changes.length));
          function view(side) {
            body.className = side ? "view-side" : "view-inline";
            document.getElementById("view-inline").setAttribute("aria-pressed", side ? "false" : "true");
            document.getElementById("view-side").setAttribute("aria-pressed", side ? "true" : "false");
          }
          document.getElementById("view-inline").addEventListener("click", function () { view(false); });
          document.getElementById("view-side").addEventListener("click", function () { view(true); });
          var author = document.getElementById("filter-author");
          var commit = document.getElementById("filter-commit");
          function filter() {
            var wanted = (commit.value || author.value).split(" ").filter(function (x) { return x !== ""; });
            document.querySelectorAll(".change").forEach(function (element) {
              var mine = (element.getAttribute("data-c") || "").split(" ");
              var keep = wanted.length === 0 || mine.some(function (x) { return wanted.indexOf(x) >= 0; });
              element.classList.toggle("filtered", !keep);
            });
          }
          author.addEventListener("change", function () { commit.value = ""; filter(); });
          commit.addEventListener("change", function () { author.value = ""; filter(); });
          document.addEventListener("keydown", function (event) {
            if (event.target && (event.target.tagName === "SELECT" || event.target.tagName === "INPUT")) { return; }
            if (event.key !== "n" && event.key !== "p") { return; }
            var scope = body.className === "view-side" ? ".side .change" : ".inline .change";
            var list = Array.prototype.slice.call(document.querySelectorAll(scope)).filter(function (element) {
              return !element.classList.contains("filtered");
            });
            if (list.length === 0) { return; }
            var index = list.indexOf(document.activeElement);
            index = event.key === "n" ? Math.min(index + 1, list.length - 1) : Math.max(index - 1, 0);
            list[index].focus();
            list[index].scrollIntoView({ block: "center" });
          });
        })();

        """
}
