"""The site's own stylesheet and script (written here, not vendored), and the page's Content-Security-Policy.

The script filters and sorts the index table in the page (works from file://, no fetch), reads and writes the
filters in the URL fragment so a filtered view can be linked, and starts Pagefind's search UI only when the
site is served over http(s): Pagefind fetches its index and WASM, which browsers refuse from file://.
"""

from __future__ import annotations

# No remote origin anywhere: scripts, styles, images, fetches and frames may come only from the site itself.
# 'wasm-unsafe-eval' lets Pagefind compile its own WASM; inline styles are needed by the SVG attributes.
CSP = (
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-src 'none'; object-src 'none'"
)

CSS = (
    """
:root{--ink:#1b1f24;--muted:#57606a;--line:#d0d7de;--soft:#f6f8fa;--accent:#0969da}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:var(--ink);background:#fff}
header.site{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:baseline;padding:.7rem 1rem;
border-bottom:1px solid var(--line);background:var(--soft)}
header.site .brand{font-weight:600}
header.site nav a{margin-right:1rem}
main{max-width:72rem;margin:0 auto;padding:1rem}
a{color:var(--accent)}
h1{font-size:1.6rem;border-bottom:2px solid var(--line);padding-bottom:.3rem}
h2{font-size:1.25rem;border-bottom:1px solid var(--line);padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.05rem}
table{border-collapse:collapse;margin:1rem 0;width:100%}
th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:var(--soft)}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}
th button[aria-sort=ascending]::after{content:" \\25B2"}
th button[aria-sort=descending]::after{content:" \\25BC"}
code{background:var(--soft);padding:.1rem .3rem;border-radius:4px;font-size:.9em}
pre{background:var(--soft);padding:.8rem;overflow:auto;border-radius:6px}
blockquote{border-left:4px solid var(--line);margin:0;padding:0 1rem;color:var(--muted)}
em{color:#6e4c00}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin:.5rem 0}
.filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
.filters select,.filters input{font:inherit;padding:.25rem;min-width:9rem}
.count{color:var(--muted)}
.sev{font-weight:600}.sev-P0{color:#cf222e}.sev-P1{color:#bc4c00}.sev-P2{color:#0969da}
.modes{font-size:.85rem;color:var(--muted)}
figure.diagram{margin:1rem 0;overflow-x:auto}
figure.diagram details{font-size:.85rem;color:var(--muted)}
svg.chart,svg.diagram{height:auto;display:block}
.note{background:#fff8c5;border:1px solid #d4a72c;padding:.4rem .7rem;border-radius:6px;font-size:.9rem}
.remote{color:var(--muted)}
#search{margin:.5rem 0 1rem}
.mode-list li{margin:.2rem 0}
@media (max-width:700px){
  main{padding:.6rem}
  table.incidents thead{display:none}
  table.incidents tr{display:block;border:1px solid var(--line);margin:.5rem 0;padding:.3rem}
  table.incidents td{display:block;border:0;padding:.1rem .3rem}
  .filters select,.filters input{min-width:7rem}
  .filters label{max-width:100%}
  .filters select{max-width:100%}
  main table:not(.incidents){display:block;overflow-x:auto}
  td,th{overflow-wrap:anywhere}
}
@media print{header.site,.filters,#search{display:none}}
""".strip()
    + "\n"
)

JS = r"""
(function () {
  "use strict";
  var table = document.querySelector("table.incidents");
  if (table) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var controls = Array.prototype.slice.call(document.querySelectorAll("[data-filter]"));
    var count = document.getElementById("count");
    var apply = function (writeHash) {
      var wanted = {};
      controls.forEach(function (c) { if (c.value) { wanted[c.dataset.filter] = c.value; } });
      var text = (wanted.text || "").toLowerCase();
      var shown = 0;
      rows.forEach(function (r) {
        var ok = (!wanted.severity || r.dataset.severity === wanted.severity) &&
          (!wanted.stage || r.dataset.stage === wanted.stage) &&
          (!wanted.year || r.dataset.year === wanted.year) &&
          (!wanted.mode || (" " + r.dataset.modes + " ").indexOf(" " + wanted.mode + " ") >= 0) &&
          (!text || r.dataset.text.indexOf(text) >= 0);
        r.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count.textContent = shown + " of " + rows.length + " incidents";
      if (writeHash) {
        var parts = Object.keys(wanted).map(function (k) {
          return encodeURIComponent(k) + "=" + encodeURIComponent(wanted[k]);
        });
        history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname);
      }
    };
    var readHash = function () {
      var given = {};
      location.hash.replace(/^#/, "").split("&").forEach(function (p) {
        var kv = p.split("=");
        if (kv[0]) { given[decodeURIComponent(kv[0])] = decodeURIComponent(kv[1] || ""); }
      });
      controls.forEach(function (c) { c.value = given[c.dataset.filter] || ""; });
    };
    controls.forEach(function (c) {
      c.addEventListener(c.tagName === "INPUT" ? "input" : "change", function () { apply(true); });
    });
    window.addEventListener("hashchange", function () { readHash(); apply(false); });
    Array.prototype.forEach.call(table.querySelectorAll("th button[data-sort]"), function (b) {
      b.addEventListener("click", function () {
        var key = b.dataset.sort, descending = b.getAttribute("aria-sort") === "ascending";
        Array.prototype.forEach.call(table.querySelectorAll("th button"), function (o) {
          o.removeAttribute("aria-sort");
        });
        b.setAttribute("aria-sort", descending ? "descending" : "ascending");
        rows.sort(function (x, y) {
          var a = x.dataset[key], c = y.dataset[key];
          var r = a < c ? -1 : a > c ? 1 : 0;
          return descending ? -r : r;
        });
        var body = table.tBodies[0];
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    readHash();
    apply(false);
  }
  var search = document.getElementById("search");
  if (search) {
    if (location.protocol === "http:" || location.protocol === "https:") {
      // Absolute paths: Pagefind imports its modules by this path, and a bare "pagefind/" is no module URL.
      var root = new URL(search.dataset.root || "./", location.href).pathname;
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = root + "pagefind/pagefind-ui.css";
      document.head.appendChild(css);
      var s = document.createElement("script");
      s.src = root + "pagefind/pagefind-ui.js";
      s.onload = function () {
        /* global PagefindUI */
        new PagefindUI({element: "#search", showSubResults: true, resetStyles: false,
                        bundlePath: root + "pagefind/", baseUrl: root});
      };
      document.head.appendChild(s);
    } else {
      search.innerHTML = "<p class=\"note\">Full-text search works when this folder is served over http " +
        "(for example <code>python3 -m http.server -b 127.0.0.1</code> in it). Opened from disk, the " +
        "filters of the incident list work.</p>";
    }
  }
})();
""".lstrip()
