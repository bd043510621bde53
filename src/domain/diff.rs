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
/// key. Arrays are aligned on their unchanged elements first, so one keyword inserted at the front is one
/// change, not a change of every keyword after it; between two unchanged elements, the elements that took
/// each other's place are compared field by field, and the rest are added or removed (one change each).
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
            let (mut i, mut j) = (0, 0);
            for (next_i, next_j) in unchanged(b, a).into_iter().chain([(b.len(), a.len())]) {
                // b[i..next_i] became a[j..next_j]: an added element is named by its place after, a removed
                // one by its place before.
                for k in 0..(next_i - i).max(next_j - j) {
                    let (old, new) = (b.get(i + k).filter(|_| i + k < next_i), a.get(j + k).filter(|_| j + k < next_j));
                    let at = if new.is_some() { j + k } else { i + k };
                    walk(&format!("{path}[{at}]"), old.unwrap_or(&Value::Null), new.unwrap_or(&Value::Null), out);
                }
                (i, j) = (next_i + 1, next_j + 1);
            }
        }
        _ => out.push(Change { field: path.to_string(), before: before.to_string(), after: after.to_string() }),
    }
}

/// The longest run of equal elements both arrays keep in order, as pairs of indexes.
fn unchanged(b: &[Value], a: &[Value]) -> Vec<(usize, usize)> {
    // longest[i][j]: the longest common run of b[i..] and a[j..].
    let mut longest = vec![vec![0u32; a.len() + 1]; b.len() + 1];
    for i in (0..b.len()).rev() {
        for j in (0..a.len()).rev() {
            longest[i][j] =
                if b[i] == a[j] { longest[i + 1][j + 1] + 1 } else { longest[i + 1][j].max(longest[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < b.len() && j < a.len() {
        if b[i] == a[j] {
            out.push((i, j));
            (i, j) = (i + 1, j + 1);
        } else if longest[i + 1][j] >= longest[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
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

    #[test]
    fn an_element_inserted_or_removed_is_one_change_and_a_changed_one_is_compared_inside() {
        let before = json!({"keywords": ["sao y", "photo", "công chứng"],
                            "documents": [{"name": "Tờ khai"}, {"name": "Ảnh", "copies": 1}, {"name": "CCCD"}]});
        let after = json!({"keywords": ["sao y giấy tờ", "sao y", "photo"],
                           "documents": [{"name": "Tờ khai"}, {"name": "Ảnh 4x6", "copies": 2}, {"name": "CCCD"}]});
        let named: Vec<(String, String, String)> =
            changes(&before, &after).into_iter().map(|c| (c.field, c.before, c.after)).collect();
        let want = |f: &str, b: &str, a: &str| (f.to_string(), b.to_string(), a.to_string());
        assert_eq!(
            named,
            [
                want("documents[1].copies", "1", "2"),
                want("documents[1].name", "\"Ảnh\"", "\"Ảnh 4x6\""),
                want("keywords[0]", "null", "\"sao y giấy tờ\""),
                want("keywords[2]", "\"công chứng\"", "null"),
            ]
        );
    }
}
