//! Messages wrapped at word boundaries, never cut: the editors and the
//! help screens share it.

/// Words of `text` in lines of at most `width` characters.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(10);
    let mut out = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ') {
        let wl = word.chars().count();
        let cl = cur.chars().count();
        if cl > 0 && cl + 1 + wl > width {
            out.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        let mut word = word.to_string();
        while cur.chars().count() + word.chars().count() > width {
            let room = width - cur.chars().count();
            let head: String = word.chars().take(room).collect();
            cur.push_str(&head);
            out.push(std::mem::take(&mut cur));
            word = word.chars().skip(room).collect();
        }
        cur.push_str(&word);
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out
}
