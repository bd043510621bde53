//! Geometry of what a window shows, read through Slint's element tree: every visible text lies inside
//! the window and inside every element that contains it. Inside a scrolling list or page (a Flickable) a
//! text may be scrolled out of sight, so there only its left and right edges are checked.

use i_slint_backend_testing::{ElementHandle, ElementQuery, ElementRoot};

/// Where an element is: x, y, width, height in logical pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

/// Half a pixel of slack: layouts round.
const SLACK: f32 = 0.5;

impl Rect {
    pub fn of(e: &ElementHandle) -> Rect {
        let (p, s) = (e.absolute_position(), e.size());
        Rect { x: p.x, y: p.y, w: s.width, h: s.height }
    }
    fn inside_across(&self, outer: &Rect) -> bool {
        self.x >= outer.x - SLACK && self.x + self.w <= outer.x + outer.w + SLACK
    }
    fn inside(&self, outer: &Rect) -> bool {
        self.inside_across(outer) && self.y >= outer.y - SLACK && self.y + self.h <= outer.y + outer.h + SLACK
    }
}

fn is(e: &ElementHandle, name: &str) -> bool {
    e.type_name().is_some_and(|t| t == name) || e.bases().is_some_and(|mut b| b.any(|t| t == name))
}

fn describe(e: &ElementHandle) -> String {
    let label = e.accessible_label().unwrap_or_default();
    let id = e.id().unwrap_or_default();
    let kind = e.type_name().unwrap_or_default();
    format!("{kind} {id} {:?} {:?}", label.chars().take(60).collect::<String>(), Rect::of(e))
}

/// An element's identity for this check: the same element is found from the root and from each container.
fn key(e: &ElementHandle) -> String {
    format!("{:?}|{}|{:?}", Rect::of(e), e.accessible_label().unwrap_or_default(), e.type_name())
}

/// Every text that sticks out of the window or out of an element containing it, described; empty when
/// the layout holds. Also returns how many texts were checked, so that a test sees the check did see them.
pub fn texts_out_of_place(root: &impl ElementRoot, width: f32, height: f32) -> (usize, Vec<String>) {
    let window = Rect { x: 0.0, y: 0.0, w: width, h: height };
    let all = ElementQuery::from_root(root).match_descendants().find_all();
    let texts: Vec<&ElementHandle> = all.iter().filter(|e| is(e, "Text")).collect();
    // Texts inside a scrolling list, found from each Flickable.
    let scrolled: std::collections::HashSet<String> = all
        .iter()
        .filter(|e| is(e, "Flickable"))
        .flat_map(|f| f.query_descendants().find_all())
        .map(|e| key(&e))
        .collect();
    let mut out = Vec::new();
    for t in &texts {
        let r = Rect::of(t);
        let in_list = scrolled.contains(&key(t));
        let fits = if in_list { r.inside_across(&window) } else { r.inside(&window) };
        if !fits {
            out.push(format!("{} is outside the {width}x{height} window", describe(t)));
        }
    }
    // An element of no size holds nothing on screen (a repeater's anchor, an empty wrapper): skipped.
    for container in all.iter().filter(|e| !is(e, "Text")) {
        let outer = Rect::of(container);
        if outer.w <= 0.0 || outer.h <= 0.0 {
            continue;
        }
        for inner in container.query_descendants().find_all().iter().filter(|e| is(e, "Text")) {
            let r = Rect::of(inner);
            // What scrolls is checked across only, against the list and against everything around it.
            let fits = if scrolled.contains(&key(inner)) { r.inside_across(&outer) } else { r.inside(&outer) };
            if !fits {
                out.push(format!("{} is outside {}", describe(inner), describe(container)));
            }
        }
    }
    out.sort();
    out.dedup();
    (texts.len(), out)
}
