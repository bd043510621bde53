//! A page's form as a browser would post it: every named input with its value, checked boxes only, each
//! select's chosen option, textareas' text. Enough of HTML for the pages motcua writes.

/// The fields of the first `<form class="editor">`… in `html` (or of the whole page), in document order.
pub fn pairs(html: &str) -> Vec<(String, String)> {
    let start = html.find("<form method=\"post\" action=\"/quan-tri/thu-tuc/").unwrap_or(0);
    let html = &html[start..html[start..].find("</form>").map_or(html.len(), |e| start + e)];
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        let end = rest.find('>').expect("a tag's end");
        let tag = &rest[..=end];
        let attr = |name: &str| {
            let key = format!(" {name}=\"");
            tag.find(&key).map(|i| {
                let v = &tag[i + key.len()..];
                unescape(&v[..v.find('"').unwrap()])
            })
        };
        if tag.starts_with("<input") {
            let checkbox = tag.contains("type=\"checkbox\"");
            if let Some(name) = attr("name") {
                if !checkbox || tag.contains(" checked") {
                    out.push((name, attr("value").unwrap_or_default()));
                }
            }
        } else if tag.starts_with("<textarea") {
            let body = &rest[end + 1..];
            out.push((attr("name").unwrap(), unescape(&body[..body.find("</textarea>").unwrap()])));
        } else if tag.starts_with("<select") {
            let body = &rest[end + 1..rest.find("</select>").unwrap()];
            let options: Vec<&str> = body.split("<option").skip(1).collect();
            let chosen = options.iter().find(|o| o.contains(" selected")).or(options.first()).unwrap();
            let v = &chosen[chosen.find("value=\"").unwrap() + 7..];
            out.push((attr("name").unwrap(), unescape(&v[..v.find('"').unwrap()])));
        }
        rest = &rest[end..];
    }
    out
}

/// Sets a field's value (the first of that name), as typing in it would.
pub fn set(pairs: &mut [(String, String)], name: &str, value: &str) {
    let field = pairs.iter_mut().find(|(k, _)| k == name).unwrap_or_else(|| panic!("no field {name}"));
    field.1 = value.to_string();
}

pub fn get<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == name).map_or_else(|| panic!("no field {name}"), |(_, v)| v.as_str())
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}
