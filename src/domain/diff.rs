//! What changed between two versions of a record, field by field: both are walked as JSON values and each
//! leaf that differs is named by its path ("cases[0].channels[1].fee"). Used to show a catalog import, or
//! an edit, before anything is written.

use serde_json::Value;

/// One field that differs: its path, and its value before and after as compact JSON (`null` when absent).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// Every leaf that differs between `before` and `after`, in document order. Objects are compared key by
/// key; arrays element by element (an element added or removed at the end is one change each).
pub fn changes(before: &Value, after: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    walk("", before, after, &mut out);
    out
}

fn walk(path: &str, before: &Value, after: &Value, out: &mut Vec<Change>) {
    if before == after {
        return;
    }
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            let mut keys: Vec<&String> = b.keys().collect();
            keys.extend(a.keys().filter(|k| !b.contains_key(*k)));
            for key in keys {
                let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                walk(&child, b.get(key).unwrap_or(&Value::Null), a.get(key).unwrap_or(&Value::Null), out);
            }
        }
        (Value::Array(b), Value::Array(a)) => {
            for i in 0..b.len().max(a.len()) {
                walk(&format!("{path}[{i}]"), b.get(i).unwrap_or(&Value::Null), a.get(i).unwrap_or(&Value::Null), out);
            }
        }
        _ => out.push(Change { field: path.to_string(), before: before.to_string(), after: after.to_string() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_leaves_that_differ_are_named_by_their_path() {
        let before = json!({"name": "Đăng ký khai sinh", "cases": [{"channels": [{"fee": "Miễn"}, {"fee": "8.000"}]}],
                            "keywords": ["khai sinh"]});
        let after = json!({"name": "Đăng ký khai sinh", "cases": [{"channels": [{"fee": "Miễn"}, {"fee": "10.000"}]}],
                           "keywords": ["khai sinh", "giấy khai sinh"], "legal_basis": "Luật Hộ tịch"});
        let found = changes(&before, &after);
        let named: Vec<(&str, &str, &str)> =
            found.iter().map(|c| (c.field.as_str(), c.before.as_str(), c.after.as_str())).collect();
        assert_eq!(
            named,
            [
                ("cases[0].channels[1].fee", "\"8.000\"", "\"10.000\""),
                ("keywords[1]", "null", "\"giấy khai sinh\""),
                ("legal_basis", "null", "\"Luật Hộ tịch\""),
            ]
        );
        assert!(changes(&before, &before).is_empty());
    }
}
