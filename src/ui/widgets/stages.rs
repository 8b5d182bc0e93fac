//! The row of stage boxes, each with its status; in French, where the
//! titles are longer than a box (« Environnement de test »), the stages
//! flow as whole titles over the lines of the pane instead, so no title is
//! ever cut.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use ratatui::widgets::Borders;
use unicode_width::UnicodeWidthStr;

use super::{block, clip};
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

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    if super::whole_titles() && !app.stages.is_empty() {
        return render_flow(app, f, area);
    }
    if app.stages.is_empty() {
        f.render_widget(
            block(app, s().pane_stages.into(), app.focus == Pane::Stages),
            area,
        );
        return;
    }
    let boxes = area.layout_vec(&Layout::horizontal(
        app.stages.iter().map(|_| Constraint::Fill(1)),
    ));
    for (i, (stage, r)) in app.stages.iter().zip(boxes).enumerate() {
        let selected = i == app.stage_sel;
        let b = block(app, String::new(), selected && app.focus == Pane::Stages);
        let inner = b.inner(r);
        f.render_widget(b, r);
        let w = inner.width as usize;
        let st = app.stage_status(stage);
        let (mut word, key) = status_word(st);
        if word.chars().count() + usize::from(st == StageStatus::Running) > w {
            word = s().stage_short[st as usize];
        }
        let mut status = Vec::new();
        if st == StageStatus::Running {
            status.push(Span::styled(
                app.glyphs.busy[app.blink as usize],
                app.theme.get(key),
            ));
        }
        status.push(Span::styled(
            clip(word, w.saturating_sub(status.len())),
            app.theme.get(key),
        ));
        let title_style = if selected {
            app.theme.get("stage.selected")
        } else {
            app.theme.get("title")
        };
        let lines = vec![
            Line::from(Span::styled(clip(&stage.title, w), title_style)),
            Line::from(status),
        ];
        f.render_widget(Paragraph::new(lines), inner);
    }
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
