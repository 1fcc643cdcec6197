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
        <body class="view-document">
        <header class="page-head">
        <h1>{{title}}</h1>
        <p class="revisions">Changes from <strong>{{a.label}}</strong> to <strong>{{b.label}}</strong></p>
        <dl class="drafts">
        <div><dt>{{a.label}}</dt><dd>{{a.date}}{{#a.approval}}. {{a.approval}}{{/a.approval}}<br><span class="commit-id">commit <code>{{a.commit}}</code></span></dd></div>
        <div><dt>{{b.label}}</dt><dd>{{b.date}}{{#b.approval}}. {{b.approval}}{{/b.approval}}<br><span class="commit-id">commit <code>{{b.commit}}</code></span></dd></div>
        </dl>
        {{#scope}}<p class="scope">{{scope}}</p>{{/scope}}<p class="made">Made with stet {{version}}: <code>stet compare {{a.label}} {{b.label}}{{options}}</code></p>
        <ul class="summary">
        <li>{{summary.modifiedSections}} modified, {{summary.added}} added, {{summary.removed}} removed, {{summary.moved}} moved or renamed</li>
        <li><span class="ins-sample">{{summary.insertedWords}} added</span>, <span class="del-sample">{{summary.deletedWords}} removed</span>, in {{summary.changeCount}} by {{summary.commitCount}}</li>
        </ul>
        <p class="legend">Key: <span class="ins-sample">inserted</span> <span class="del-sample">deleted</span> <span class="moved-sample">moved</span> <span class="format-sample">formatting changed</span> <sup class="mark-sample">1</sup> note on the change (its commit, author, date and reason)</p>
        {{#hasContributors}}<p class="contributors">Contributors: {{#contributors}}<button type="button" class="pick" data-commits="{{commits}}">{{name}} ({{count}})</button> {{/contributors}}</p>{{/hasContributors}}
        <nav class="controls" aria-label="View">
        <span role="group" aria-label="View">
        <button type="button" id="view-document" aria-pressed="true">Document</button>
        <button type="button" id="view-side" aria-pressed="false">Side by side</button>
        <button type="button" id="view-source" aria-pressed="false">Markdown source</button>
        </span>
        <label>Author <select id="filter-author"><option value="">all</option>{{#authors}}<option value="{{commits}}">{{name}}</option>{{/authors}}</select></label>
        <label>Commit <select id="filter-commit"><option value="">all</option>{{#commits}}<option value="{{index}}">{{short}} {{summary}}</option>{{/commits}}</select></label>
        {{#hasAddressed}}<label>Comment <select id="filter-addresses"><option value="">all</option>{{#addressed}}<option value="{{commits}}">{{id}}</option>{{/addressed}}</select></label>{{/hasAddressed}}
        {{#hasUnchanged}}<button type="button" id="show-unchanged" aria-pressed="false">Show unchanged sections</button>{{/hasUnchanged}}
        <span class="hint">n / p: next and previous change</span>
        </nav>
        </header>
        <nav class="toc" aria-label="Changed sections">
        <h2>Changed sections</h2>
        <ol>{{#sections}}<li><a href="#{{anchor}}">{{title}}</a> <span class="status">{{status}}</span> <span class="ins-sample">+{{inserted}}</span> <span class="del-sample">-{{deleted}}</span>{{#moves}} <span class="status">{{moves}}</span>{{/moves}}</li>{{/sections}}</ol>
        </nav>
        <main>
        {{#document}}
        {{#unchanged}}
        <details id="{{anchor}}" class="part unchanged"><summary><span class="section-title">{{title}}</span> <span class="status">unchanged</span></summary>
        <div class="plain">{{{html}}}</div>
        </details>
        {{/unchanged}}
        {{#changed}}
        <section id="{{anchor}}" class="part">
        <p class="section-head"><span class="section-title">{{title}}</span> <span class="status">{{status}}</span>{{#facts}} <span class="facts">{{facts}}</span>{{/facts}}{{#moves}} <span class="facts">{{moves}}</span>{{/moves}}</p>
        <div class="typeset" data-section="{{id}}">{{{inline}}}</div>
        <div class="side" data-earlier="{{a.label}}" data-later="{{b.label}}"></div>
        <div class="source"><p class="facts"><code>{{id}}</code>{{#files}}; {{files}}{{/files}}</p>{{{source}}}</div>
        {{{notes}}}
        </section>
        {{/changed}}
        {{/document}}
        {{^sections}}<p>No section changed.</p>{{/sections}}
        </main>
        <footer>
        <h2>Commits</h2>
        <ol class="commits">{{#commits}}<li id="commit-{{index}}" data-commits="{{index}}"><button type="button" class="pick" data-commits="{{index}}">show</button> <code title="{{id}}">{{short}}</code> {{date}} {{author}}: {{summary}}{{#trailers}} <span class="trailer">{{key}}: {{value}}</span>{{/trailers}}</li>{{/commits}}</ol>
        {{#hasAddressed}}
        <h2>Comments addressed</h2>
        <ul class="addressed">{{#addressed}}<li id="{{anchor}}"><button type="button" class="pick" data-commits="{{commits}}">{{id}}</button> by {{#list}}<a href="#commit-{{index}}"><code>{{short}}</code></a> {{/list}}{{#comment}}<span class="comment-of">{{commenter}}, {{status}}: <q>{{text}}</q>{{#response}} <span class="response">Response: {{response}}</span>{{/response}}</span>{{/comment}}</li>{{/addressed}}</ul>
        {{/hasAddressed}}
        </footer>
        <script nonce="{{nonce}}">{{> script}}</script>
        </body>
        </html>

        """

    static let style = """
        body { font: 17px/1.6 Georgia, "Times New Roman", serif; margin: 0 auto; max-width: 46rem; padding: 1rem 2rem 4rem; color: #1a1a1a; background: #fff; position: relative; }
        body.margins { max-width: 46rem; margin-left: max(2rem, calc(50vw - 34rem)); }
        .page-head h1 { font-size: 1.7rem; margin-bottom: .2rem; }
        .revisions { font-size: 1.15rem; margin-top: 0; }
        .drafts { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; font-size: .9rem; }
        .drafts dt { font-weight: bold; text-transform: capitalize; }
        .drafts dd { margin: 0; }
        .made, .commit-id { font-size: .8rem; color: #555; }
        .scope { font-weight: bold; background: #fff8c5; padding: .2rem .5rem; }
        code { font: .85em ui-monospace, monospace; }
        .commit-id code { word-break: break-all; }
        .summary { padding-left: 1.2rem; }
        .legend { font: .85rem sans-serif; color: #333; }
        .legend > span, .legend sup { margin-right: .6rem; }
        .contributors button, .commits button, .addressed button { font: .8rem sans-serif; }
        .comment-of { display: block; margin: .1rem 0 .4rem 1rem; font-size: .85rem; color: #444; }
        .comment-of .response { color: #555; font-style: italic; }
        .controls { display: flex; flex-wrap: wrap; gap: .6rem; align-items: center; margin: .8rem 0; font: .9rem sans-serif; position: sticky; top: 0; background: #fff; padding: .4rem 0; z-index: 3; border-bottom: 1px solid #ddd; }
        .controls .hint { color: #666; font-size: .8rem; }
        .controls select { max-width: 16rem; }
        button[aria-pressed="true"] { font-weight: bold; }
        .toc ol { padding-left: 1.4rem; }
        .status { font: .72rem sans-serif; text-transform: uppercase; letter-spacing: .04em; color: #666; }
        .part { border-top: 2px solid #ccc; margin-top: 2.5rem; }
        .section-head { font: .85rem sans-serif; color: #444; background: #f4f4f4; padding: .2rem .5rem; margin: 0 0 .5rem; }
        .section-title { font-weight: bold; }
        details.unchanged { border-top: 1px solid #ddd; margin-top: 1rem; }
        details.unchanged > summary { font: .85rem sans-serif; color: #444; padding: .3rem .5rem; cursor: pointer; }
        details.unchanged .plain h1 { font-size: 1.45rem; } details.unchanged .plain h2 { font-size: 1.2rem; }
        .facts { font: .8rem sans-serif; color: #555; }
        .typeset h2, .side h2 { font-size: 1.45rem; } .typeset h3, .side h3 { font-size: 1.2rem; } .typeset h4, .side h4 { font-size: 1.05rem; }
        table { border-collapse: collapse; margin: 1rem 0; font-size: .92em; }
        th, td { border: 1px solid #aaa; padding: .3rem .5rem; text-align: left; vertical-align: top; }
        th.center, td.center { text-align: center; } th.right, td.right { text-align: right; }
        tr.row-inserted { background: #effaef; outline: 2px solid #7bc47b; }
        tr.row-deleted { background: #fdf0f0; outline: 2px dashed #d07a7a; }
        pre { background: #f6f6f6; padding: .6rem; overflow-x: auto; }
        blockquote { border-left: 3px solid #ccc; margin-left: 0; padding-left: 1rem; color: #333; }
        .footnotes { border-top: 1px solid #ddd; font-size: .9em; margin-top: 1rem; }
        .fnref { font-size: .75em; }
        .image::before { content: "[image: " attr(aria-label) "]"; font: .85em sans-serif; color: #555; }
        ins, .ins-sample { text-decoration: underline; text-decoration-thickness: 2px; background: #e3f6e3; color: #0b5d0b; }
        del, .del-sample { text-decoration: line-through; background: #fbe5e5; color: #8a1010; }
        ins.moved, del.moved, .moved-sample { background: #e5eefb; color: #123e7a; text-decoration-style: double; text-decoration-skip-ink: none; }
        ins.moved del { background: #fbe5e5; }
        .format, .format-sample { text-decoration: underline dotted #8a5a00; text-decoration-thickness: 2px; background: #fff4dc; }
        .mark-sample, .marks { font: bold .68rem sans-serif; }
        .marks a { color: #1b5fc1; text-decoration: none; padding: 0 .1em; }
        .move-label { font: .75rem sans-serif; color: #123e7a; background: #e5eefb; padding: 0 .3em; border-radius: 3px; }
        .change { cursor: help; }
        .change:focus { outline: 2px solid #1b5fc1; }
        .change.filtered { background: none; color: inherit; text-decoration-color: #bbb; }
        .change.hl, .notes li.hl { box-shadow: 0 0 0 2px #f0b400; }
        .notes { font: .8rem/1.4 sans-serif; color: #222; border-top: 1px solid #ddd; margin-top: 1rem; }
        .notes ol { padding-left: 1.6rem; }
        .notes li { margin: .2rem 0; }
        .notes .who { font-weight: bold; }
        .notes .summary { display: block; }
        .notes .when, .notes .commit { color: #555; }
        body.margins .notes { border: none; margin: 0; height: 0; }
        body.margins .notes li { position: absolute; width: 16rem; left: calc(100% + 1rem); margin: 0; padding: .3rem .5rem; background: #fffbe6; border-left: 3px solid #e0c200; list-style-position: inside; }
        .source .note { display: none; position: absolute; z-index: 2; min-width: 18rem; max-width: 30rem; padding: .4rem .6rem; font: .8rem/1.4 sans-serif; white-space: normal; color: #111; background: #ffffe8; border: 1px solid #aa9; }
        .source .change { position: relative; }
        .source .change:hover > .note, .source .change:focus > .note { display: block; }
        .source .block { white-space: pre-wrap; margin: .4rem 0; font: .9rem/1.5 ui-monospace, monospace; }
        .source .block.same { color: #666; }
        .side, .source { display: none; }
        body.view-side .typeset, body.view-source .typeset, body.view-side .notes, body.view-source .notes { display: none; }
        body.view-side .side { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; }
        body.view-side { max-width: 80rem; }
        .column-label { font: bold .8rem sans-serif; text-transform: capitalize; color: #444; border-bottom: 1px solid #ccc; }
        body.view-source .source { display: block; }
        .trailer { font: .8rem sans-serif; color: #555; }
        ins.change::before, ins.change::after, del.change::before, del.change::after, .format::before {
          position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
        ins.change::before { content: " [insertion] "; } del.change::before { content: " [deletion] "; }
        ins.change::after, del.change::after { content: " [end] "; } .format::before { content: " [formatting changed] "; }
        @media print {
          .controls, .toc, .contributors button, .commits button { display: none; }
          .addressed button { border: none; background: none; padding: 0; font-weight: bold; color: inherit; }
          body, body.margins { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
          .typeset { display: block !important; } .side, .source { display: none !important; }
          .notes { display: block !important; height: auto !important; border-top: 1px solid #999; }
          .notes li { position: static !important; width: auto !important; background: none !important; border: none !important; list-style-position: outside !important; }
          ins.change::before, ins.change::after, del.change::before, del.change::after, .format::before { content: none; }
          .part { break-inside: auto; }
          a { color: inherit; }
        }

        """

    static let script = """
        (function () {
          "use strict";
          var body = document.body;
          body.setAttribute("data-changes", String(document.querySelectorAll(".source .change").length));
          var views = { document: ".typeset", side: ".side", source: ".source" };
          var current = "document";
          function commitsOf(element) {
            return (element.getAttribute("data-commits") || "").split(" ").filter(function (x) { return x !== ""; });
          }
          // The side-by-side view is made from the document view when first asked for: the
          // earlier draft without the insertions, the later without the deletions.
          var sided = false;
          function side() {
            if (sided) { return; }
            sided = true;
            document.querySelectorAll(".side").forEach(function (side) {
              var typeset = side.parentNode.querySelector(".typeset");
              [["earlier", "ins, [data-note]"], ["later", "del, [data-note]"]].forEach(function (pair) {
                var column = typeset.cloneNode(true);
                column.removeAttribute("data-section");
                column.className = "column " + pair[0];
                column.querySelectorAll(pair[1]).forEach(function (element) { element.remove(); });
                column.querySelectorAll("[id]").forEach(function (element) { element.removeAttribute("id"); });
                // Elements left empty (a row or item only the other draft has) go too.
                var blocks = column.querySelectorAll("p, li, tr, pre, blockquote, table, ul, ol, h2, h3, h4, h5, h6, .footnotes");
                Array.prototype.slice.call(blocks).reverse().forEach(function (element) {
                  if (element.textContent.trim() === "" && !element.querySelector("hr, input, .image")) { element.remove(); }
                });
                var label = document.createElement("p");
                label.className = "column-label";
                label.textContent = side.getAttribute("data-" + pair[0]);
                column.insertBefore(label, column.firstChild);
                side.appendChild(column);
              });
            });
          }
          var wantedCommits = [];
          function view(name) {
            if (name === "side" && !sided) { side(); filter(wantedCommits); }
            current = name;
            body.classList.remove("view-document", "view-side", "view-source");
            body.classList.add("view-" + name);
            Object.keys(views).forEach(function (key) {
              document.getElementById("view-" + key).setAttribute("aria-pressed", key === name ? "true" : "false");
            });
            place();
          }
          Object.keys(views).forEach(function (key) {
            document.getElementById("view-" + key).addEventListener("click", function () { view(key); });
          });
          var selects = ["filter-author", "filter-commit", "filter-addresses"].map(function (id) {
            return document.getElementById(id);
          }).filter(function (x) { return x !== null; });
          function filter(wanted) {
            document.querySelectorAll(".change").forEach(function (element) {
              var keep = wanted.length === 0 || commitsOf(element).some(function (x) { return wanted.indexOf(x) >= 0; });
              element.classList.toggle("filtered", !keep);
            });
          }
          selects.forEach(function (select) {
            select.addEventListener("change", function () {
              selects.forEach(function (other) { if (other !== select) { other.value = ""; } });
              wantedCommits = select.value.split(" ").filter(function (x) { return x !== ""; });
              filter(wantedCommits);
            });
          });
          var lit = [];
          function highlight(commits) {
            lit.forEach(function (element) { element.classList.remove("hl"); });
            lit = [];
            if (commits.length === 0) { return; }
            document.querySelectorAll(".change, .notes li").forEach(function (element) {
              if (commitsOf(element).some(function (x) { return commits.indexOf(x) >= 0; })) {
                element.classList.add("hl");
                lit.push(element);
              }
            });
          }
          function isChange(target) { return target && target.classList && target.classList.contains("change"); }
          document.addEventListener("mouseover", function (event) { if (isChange(event.target)) { highlight(commitsOf(event.target)); } });
          document.addEventListener("focusin", function (event) { if (isChange(event.target)) { highlight(commitsOf(event.target)); } });
          document.querySelectorAll("button.pick").forEach(function (button) {
            button.addEventListener("click", function () {
              var commits = commitsOf(button);
              highlight(commits);
              var first = lit.filter(function (element) {
                return element.classList.contains("change") && element.closest(views[current]) !== null;
              })[0];
              if (first) { first.focus(); first.scrollIntoView({ block: "center" }); }
            });
          });
          document.addEventListener("keydown", function (event) {
            if (event.target && (event.target.tagName === "SELECT" || event.target.tagName === "INPUT")) { return; }
            if (event.key !== "n" && event.key !== "p") { return; }
            var list = Array.prototype.slice.call(document.querySelectorAll(views[current] + " .change")).filter(function (element) {
              return !element.classList.contains("filtered");
            });
            if (list.length === 0) { return; }
            var index = list.indexOf(document.activeElement);
            index = event.key === "n" ? Math.min(index + 1, list.length - 1) : Math.max(index - 1, 0);
            list[index].focus();
            list[index].scrollIntoView({ block: "center" });
          });
          // Wide screens: each note beside its first marker, in a column right of the text.
          function place() {
            var wide = window.innerWidth >= 1220 && current === "document";
            body.classList.toggle("margins", wide);
            var notes = document.querySelectorAll(".notes li");
            var bottom = 0;
            notes.forEach(function (note) {
              note.style.top = "";
              if (!wide) { return; }
              var marker = document.querySelector(".typeset a.mark[href=\\"#" + note.id + "\\"]");
              var top = marker ? marker.getBoundingClientRect().top - body.getBoundingClientRect().top : bottom;
              top = Math.max(top, bottom);
              note.style.top = top + "px";
              bottom = top + note.offsetHeight + 6;
            });
          }
          var unchanged = document.getElementById("show-unchanged");
          if (unchanged) {
            unchanged.addEventListener("click", function () {
              var show = unchanged.getAttribute("aria-pressed") !== "true";
              unchanged.setAttribute("aria-pressed", show ? "true" : "false");
              unchanged.textContent = show ? "Hide unchanged sections" : "Show unchanged sections";
              document.querySelectorAll("details.unchanged").forEach(function (details) { details.open = show; });
              place();
            });
            document.querySelectorAll("details.unchanged").forEach(function (details) {
              details.addEventListener("toggle", place);
            });
          }
          window.addEventListener("resize", place);
          // A link to the page may name its view: #side, #source.
          var asked = window.location.hash.replace("#", "");
          if (asked === "side" || asked === "source") { view(asked); } else { place(); }
        })();

        """
}
