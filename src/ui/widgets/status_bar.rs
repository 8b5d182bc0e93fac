//! The status bar: environment, run id, elapsed time, the running step, and
//! the key hints of the focused pane (or the open dialog / search field).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::ui::App;
use crate::ui::app::Dialog;
use crate::ui::keymap::{Binding, hints};
use crate::ui::strings::{duration, fill, s};

/// The key hints of a status bar, the same on every screen: each key in
/// the `key` style, then what it does in the `bar` style.
pub fn hint_spans<'a>(
    hints: impl IntoIterator<Item = (&'a str, &'a str)>,
    bar: Style,
    key: Style,
) -> Vec<Span<'a>> {
    let mut spans = Vec::new();
    for (label, what) in hints {
        spans.push(Span::styled(label, key));
        spans.push(Span::styled(format!(" {what}  "), bar));
    }
    spans
}

/// The keys line of a status bar: a space, then the hints.
pub fn keys_line<'a>(
    theme: &crate::ui::Theme,
    hints: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Line<'a> {
    let bar = theme.get("status.bar");
    let mut spans = vec![Span::styled(" ", bar)];
    spans.extend(hint_spans(hints, bar, theme.get("status.key")));
    Line::from(spans)
}

/// `label: value`, with the punctuation of the language in use.
fn kv(label: &str, value: &str) -> String {
    fill(s().label_value, &[&label, &value])
}

pub fn render(app: &App, f: &mut Frame, area: Rect, map: &[Binding]) {
    let t = s();
    let [info, keys] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
    ]));
    let production = crate::ui::production::is_production(app);
    let bar = if production {
        app.theme.get("status.production")
    } else {
        app.theme.get("status.bar")
    };
    let sep = format!(" {} ", app.glyphs.sep);
    let run = if app.state.run_id.is_empty() {
        t.status_no_run.to_string()
    } else {
        app.state.run_id.clone()
    };
    let elapsed = match (app.state.started_at, app.state.finished_at) {
        (Some(a), Some(b)) => duration(b.saturating_sub(a)),
        (Some(a), None) => duration(app.now_ms.saturating_sub(a)),
        _ => "-".into(),
    };
    if production {
        // Production first, then the run id: never cut at 80 columns.
        let mut label = bar.add_modifier(Modifier::BOLD);
        if app.glyphs.ascii {
            label = label.add_modifier(Modifier::REVERSED);
        }
        let mut rest = format!(
            "{sep}{}{sep}{}",
            kv(t.status_run, &run),
            kv(t.status_elapsed, &elapsed)
        );
        if let Some(cur) = app.running() {
            rest.push_str(&format!(
                "{sep}{} {}",
                app.glyphs.busy[app.blink as usize], cur.planned.step
            ));
        }
        rest.push_str(&format!("{sep}{}", app.title));
        let line = Line::from(vec![
            Span::styled(format!(" !! {} !!", t.status_production), label),
            Span::styled(rest, bar),
        ]);
        f.render_widget(Paragraph::new(line).style(bar), info);
    } else {
        // What must never be cut first: the environment and the run id.
        let mut text = format!(
            " {}{sep}{}{sep}{}",
            kv(t.status_env, &app.env),
            kv(t.status_run, &run),
            kv(t.status_elapsed, &elapsed)
        );
        if let Some(cur) = app.running() {
            text.push_str(&format!(
                "{sep}{} {}",
                app.glyphs.busy[app.blink as usize], cur.planned.step
            ));
        }
        text.push_str(&format!("{sep}{}", app.title));
        f.render_widget(Paragraph::new(text).style(bar), info);
    }

    let line = if let Some(input) = &app.search {
        Line::from(vec![
            Span::styled(t.search_prompt, app.theme.get("status.key")),
            Span::styled(input.value().to_string(), bar),
        ])
    } else if let Some(d) = &app.dialog {
        let h = match d {
            Dialog::Confirm { .. } => t.dialog_hint_yes_no,
            Dialog::Choose { .. } => t.dialog_hint_choose,
            Dialog::Manual { .. } => t.dialog_hint_manual,
            Dialog::Failure { required: true, .. } => t.dialog_hint_failure_required,
            Dialog::Failure { .. } => t.dialog_hint_failure,
            Dialog::Notice(_) => t.dialog_hint_notice,
            Dialog::ConfirmProduction(_) => t.dialog_hint_production,
        };
        Line::from(Span::styled(format!(" {h}"), bar))
    } else {
        let mut spans = vec![Span::styled(" ", bar)];
        let key = if production {
            bar.add_modifier(Modifier::BOLD)
        } else {
            app.theme.get("status.key")
        };
        // A step waits for the operator: say first which key answers it.
        if app
            .running()
            .is_some_and(|r| r.status == crate::engine::StepStatus::WaitingOperator)
        {
            spans.push(Span::styled("m", key));
            spans.push(Span::styled(format!(" {}  ", t.hint_answer_waiting), bar));
        }
        spans.extend(hint_spans(
            hints(map)
                .into_iter()
                .map(|(label, act)| (label, (t.act)(act).0)),
            bar,
            key,
        ));
        Line::from(spans)
    };
    f.render_widget(Paragraph::new(line).style(bar), keys);
}
