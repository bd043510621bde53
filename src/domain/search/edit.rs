//! One edit: how a typed word that matches nothing may still find a word of the catalog.

/// Whether `a` becomes `b` by at most one substitution, insertion, deletion or swap of neighbours.
/// Compares bytes when both words are ASCII (folded Vietnamese is), characters otherwise.
pub(super) fn within_one_edit(a: &str, b: &str) -> bool {
    if a.len().abs_diff(b.len()) > 4 {
        return false;
    }
    if a.is_ascii() && b.is_ascii() {
        one_edit(a.as_bytes(), b.as_bytes())
    } else {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        one_edit(&a, &b)
    }
}

fn one_edit<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match (ra.len(), rb.len()) {
        (0, 0) => true,
        (x, y) if x == y => ra[1..] == rb[1..] || (x >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..]),
        (x, y) if x > y => ra[1..] == *rb,
        _ => *ra == rb[1..],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_one() {
        assert!(within_one_edit("chung", "chung"));
        assert!(within_one_edit("chung", "chuong"));
        assert!(within_one_edit("sinh", "sin"));
        assert!(within_one_edit("sinh", "snih"));
        assert!(within_one_edit("sinh", "xinh"));
        assert!(!within_one_edit("sinh", "xinhh"));
        assert!(!within_one_edit("khai", "khoi2"));
    }
}
