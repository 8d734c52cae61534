/// The console's stylesheet and script, served by Yujing itself (no CDN: operators' networks are often closed).
enum ConsoleAssets {
    /// name → (content type, body)
    static let files: [String: (type: String, body: String)] = [
        "console.css": ("text/css; charset=utf-8", css),
        "console.js": ("text/javascript; charset=utf-8", javascript),
    ]

    static let css = """
        :root{--red:#c62828;--orange:#ef6c00;--yellow:#f9a825;--blue:#1565c0;--ink:#1d2330;--muted:#5c6370}
        *{box-sizing:border-box}
        body{margin:0;font-family:system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:var(--ink);background:#f6f7f9}
        header.top{display:flex;flex-wrap:wrap;gap:.8em;align-items:center;padding:.6em 1.2em;background:#1d2330;color:#fff}
        header.top a{color:#dfe6f3;text-decoration:none}
        header.top a[aria-current=page]{color:#fff;border-bottom:2px solid #fff}
        header.top nav{display:flex;gap:.9em;flex-wrap:wrap}
        .brand{font-weight:700;margin-right:1em}
        .who{margin-left:auto;font-size:.9em}
        main{padding:1em 1.5em;max-width:110em}
        h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em}
        table{border-collapse:collapse;width:100%;background:#fff;margin:.4em 0}
        th,td{border:1px solid #d5d9e0;padding:.3em .5em;text-align:left;vertical-align:top;font-size:.92em}
        th{background:#eef1f5}
        form.inline{display:inline}
        form.filters{display:flex;flex-wrap:wrap;gap:.6em;align-items:end;margin:.5em 0}
        form.login{display:flex;flex-direction:column;gap:.6em;max-width:30em}
        button{cursor:pointer;padding:.2em .6em}
        .badge{display:inline-block;padding:.1em .5em;border-radius:.3em;font-weight:600;white-space:nowrap;color:#fff}
        .lvl-I{background:var(--red)}.lvl-II{background:var(--orange)}.lvl-III{background:var(--yellow);color:#1d2330}.lvl-IV{background:var(--blue)}
        tr.row-I td:first-child{border-left:6px solid var(--red)}tr.row-II td:first-child{border-left:6px solid var(--orange)}
        tr.row-III td:first-child{border-left:6px solid var(--yellow)}tr.row-IV td:first-child{border-left:6px solid var(--blue)}
        .state-firing{font-weight:700}.state-resolved{color:var(--muted)}
        .health-ok{color:#2e7d32}.health-stale,.health-never{color:var(--red);font-weight:600}
        .flash{background:#e8f5e9;border:1px solid #a5d6a7;padding:.5em}
        .error{background:#ffebee;border:1px solid #ef9a9a;padding:.5em}
        .ok{background:#e8f5e9;border:1px solid #a5d6a7;padding:.5em}
        .live,.note{color:var(--muted);font-size:.9em}
        pre.evidence{white-space:pre-wrap;background:#fff;border:1px solid #d5d9e0;padding:.6em}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}
        dl.facts dt{font-weight:600}
        table.kv th{width:16em}
        """

    /// Live board: polls `data-live` (a small JSON document) every 5 s and swaps the rows when they changed, unless
    /// the operator is typing in one of them. Nothing else needs a script.
    static let javascript = """
        (function () {
          'use strict';
          var rows = document.getElementById('warning-rows');
          if (!rows || !rows.dataset.live) { return; }
          function poll() {
            fetch(rows.dataset.live, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
              .then(function (r) {
                if (r.status === 401) { location.reload(); }  // the session ended: the page sends us to sign-in
                if (!r.ok) { throw new Error('HTTP ' + r.status); }
                return r.json();
              })
              .then(function (doc) {
                var time = document.getElementById('live-time');
                if (time) { time.textContent = doc.generated; }
                if (doc.stamp === rows.dataset.stamp) { return; }
                if (rows.contains(document.activeElement)) { return; }
                rows.innerHTML = doc.html;
                rows.dataset.stamp = doc.stamp;
              })
              .catch(function () {});
          }
          setInterval(poll, 5000);
        })();
        """
}
