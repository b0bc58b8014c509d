/// One self-contained HTML page: inline CSS, no scripts, no external assets, so it can be mailed, attached to
/// a CI run or opened from disk. Green means a defense stopped the attack, red that the attack succeeded;
/// every coloured cell also says so in words.
enum HTMLPage {
    static let css = """
    :root{color-scheme:light}
    body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2328;background:#fff;max-width:78rem;margin:1.5rem auto;padding:0 1rem}
    h1{font-size:1.6rem;margin:.2rem 0 .6rem}h2{font-size:1.3rem;margin:2rem 0 .5rem;border-bottom:1px solid #d8dee4;padding-bottom:.2rem}
    h3{font-size:1.08rem;margin:1.2rem 0 .4rem}h4{font-size:1rem;margin:1rem 0 .3rem}
    code{font:.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f3f4f6;padding:0 .25em;border-radius:.25em}
    table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #d0d7de;padding:.3rem .55rem;text-align:left;vertical-align:top}
    th{background:#f6f8fa;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
    table.matrix td,table.matrix th{text-align:center;white-space:nowrap}table.matrix td.scenario,table.matrix th.scenario{text-align:left}
    td.stopped{background:#dafbe1;color:#116329}td.succeeds{background:#ffebe9;color:#a40e26;font-weight:700}td.hidden,td.missing{background:#f6f8fa;color:#57606a}
    td.stopped a,td.succeeds a{color:inherit}
    .meta{color:#57606a}.muted{color:#57606a}.summary{border-left:4px solid #d0d7de;margin:.6rem 0;padding:.1rem .9rem;color:#24292f}
    .legend span{display:inline-block;padding:.05rem .5rem;border-radius:.3rem;margin-right:.6rem}
    .legend .stopped{background:#dafbe1;color:#116329}.legend .succeeds{background:#ffebe9;color:#a40e26;font-weight:700}
    ol.timeline{list-style:none;margin:.5rem 0 1rem;padding:0}
    ol.timeline>li{border-left:4px solid #d0d7de;margin:0 0 .7rem;padding:.2rem 0 .2rem .8rem}
    ol.timeline>li.succeeded{border-color:#bf8700}ol.timeline>li.blocked{border-color:#1a7f37;background:#f0fff4}
    ol.timeline>li.skipped,ol.timeline>li.not-applicable{border-color:#afb8c1;color:#57606a}
    .step-head{font-weight:600}.step-head .n{display:inline-block;min-width:1.6rem;color:#57606a}.step-head time{color:#57606a;font-weight:400;margin-right:.4rem}
    .step p{margin:.15rem 0}.step ul{margin:.15rem 0;padding-left:1.2rem}
    .badge{display:inline-block;font-size:.78rem;font-weight:700;letter-spacing:.02em;padding:0 .45rem;border-radius:.3rem;margin-left:.4rem;text-transform:uppercase}
    .badge.succeeded{background:#fff8c5;color:#7d4e00}.badge.blocked{background:#dafbe1;color:#116329}.badge.skipped,.badge.not-applicable{background:#eaeef2;color:#57606a}
    .badge.attack-succeeds{background:#ffebe9;color:#a40e26}.badge.attack-stopped{background:#dafbe1;color:#116329}
    .verdict{padding:.5rem .9rem;border-radius:.4rem;margin:.6rem 0}.verdict.stopped{background:#dafbe1;color:#116329}.verdict.succeeds{background:#ffebe9;color:#a40e26}
    .estimate{font-size:.8rem;font-weight:700;background:#fff8c5;color:#7d4e00;padding:0 .4rem;border-radius:.3rem;margin-left:.4rem}
    details{margin:.3rem 0 .6rem}details>summary{cursor:pointer;font-weight:600}
    @media print{details>summary{list-style:none}}
    """

    static func render(title: String, body: [String]) -> String {
        var out = [
            "<!DOCTYPE html>",
            "<html lang=\"en\">",
            "<head>",
            "<meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>" + Escape.html(title) + "</title>",
            "<style>",
            css,
            "</style>",
            "</head>",
            "<body>",
        ]
        out += body
        out += ["</body>", "</html>"]
        return out.joined(separator: "\n") + "\n"
    }

    /// `<table>` with escaped header cells; `rows` are already HTML (`<td ...>...</td>`).
    static func table(_ header: [String], _ rows: [String], cssClass: String? = nil) -> [String] {
        var out = ["<table" + (cssClass.map { " class=\"\($0)\"" } ?? "") + ">",
                   "<thead><tr>" + header.map { "<th>" + Escape.html($0) + "</th>" }.joined() + "</tr></thead>", "<tbody>"]
        out += rows.map { "<tr>" + $0 + "</tr>" }
        out += ["</tbody>", "</table>"]
        return out
    }

    static func td(_ html: String, _ cssClass: String? = nil) -> String {
        "<td" + (cssClass.map { " class=\"\($0)\"" } ?? "") + ">" + html + "</td>"
    }
}
