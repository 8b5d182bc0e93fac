//! Shown instead of everything when the window is under 80x24.

use ratatui::Frame;
use ratatui::widgets::{Paragraph, Wrap};

use crate::ui::App;
use crate::ui::strings::{fill, s};

pub fn render(app: &App, f: &mut Frame) {
    let a = f.area();
    let text = fill(s().too_small, &[&a.width, &a.height]);
    f.render_widget(
        Paragraph::new(crate::ui::wrap::glue(&text))
            .style(app.theme.get("dialog.warning"))
            .wrap(Wrap { trim: true }),
        a,
    );
}
