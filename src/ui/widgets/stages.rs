//! The row of stage boxes, each with its status; in French, where the
//! titles are longer than a box (« Environnement de test »), the stages
//! flow as whole titles over the lines of the pane instead, so no title is
//! ever cut.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use ratatui::widgets::Borders;
use unicode_width::UnicodeWidthStr;

use super::block;
use crate::ui::App;
use crate::ui::app::{Pane, StageStatus};
use crate::ui::strings::s;

pub fn status_word(st: StageStatus) -> (&'static str, &'static str) {
    let t = s();
    match st {
        StageStatus::NotRun => (t.stage_not_run, "stage.not-run"),
        StageStatus::Running => (t.stage_running, "stage.running"),
        StageStatus::Passed => (t.stage_passed, "stage.passed"),
        StageStatus::Failed => (t.stage_failed, "stage.failed"),
        StageStatus::Skipped => (t.stage_skipped, "stage.skipped"),
        StageStatus::Locked => (t.stage_locked, "stage.locked"),
    }
}

/// The mark of a stage in the flowing list, bracketed like a step's.
pub fn status_mark(st: StageStatus) -> &'static str {
    match st {
        StageStatus::NotRun => "[ ]",
        StageStatus::Running => "[>]",
        StageStatus::Passed => "[x]",
        StageStatus::Failed => "[!]",
        StageStatus::Skipped => "[-]",
        StageStatus::Locked => "[#]",
    }
}

/// The stages as whole titles: ten boxes do not hold « Test de mise à
/// jour » or "Test environment" at 80 or 120 columns, and a cut stage name
/// is a wrong one.
pub fn render(app: &App, f: &mut Frame, area: Rect) {
    if app.stages.is_empty() {
        f.render_widget(
            block(app, s().pane_stages.into(), app.focus == Pane::Stages),
            area,
        );
        return;
    }
    render_flow(app, f, area);
}

/// Every stage as `[x] Title` (the selected one with its status in words),
/// whole titles flowing over the lines of the pane under a top border.
fn render_flow(app: &App, f: &mut Frame, area: Rect) {
    let focused = app.focus == Pane::Stages;
    let b = block(app, s().pane_stages.into(), focused).borders(Borders::TOP);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let width = inner.width as usize;
    let mut lines: Vec<Line> = vec![Line::default()];
    let mut used = 0usize;
    for (i, stage) in app.stages.iter().enumerate() {
        let selected = i == app.stage_sel;
        let st = app.stage_status(stage);
        let (word, key) = status_word(st);
        let mut item = vec![
            Span::styled(status_mark(st), app.theme.get(key)),
            Span::raw(" "),
            Span::styled(
                stage.title.clone(),
                if selected {
                    app.theme.get("stage.selected")
                } else {
                    app.theme.get("title")
                },
            ),
        ];
        if selected {
            item.push(Span::styled(format!(" ({word})"), app.theme.get(key)));
        }
        let w: usize = item.iter().map(|sp| sp.content.width()).sum();
        let gap = if used == 0 { 0 } else { 2 };
        if used > 0 && used + gap + w > width {
            lines.push(Line::default());
            used = 0;
        } else if gap > 0 {
            if let Some(l) = lines.last_mut() {
                l.spans.push(Span::raw("  "));
            }
            used += gap;
        }
        if let Some(l) = lines.last_mut() {
            l.spans.extend(item);
        }
        used += w;
    }
    f.render_widget(Paragraph::new(lines), inner);
}
