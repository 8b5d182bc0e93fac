//! The summary page: the answers as the plan will hold them, the file that
//! saving writes, and every problem left.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::fields::F;
use super::render::{LABEL_W, wrap};
use super::state::Wizard;
use crate::ui::strings::{fill, w};

pub fn render(wz: &Wizard, f: &mut Frame, area: Rect) {
    let (plan, _) = wz.to_plan();
    let all = wz.issues();
    let d = &plan.deployment;
    let mut lines: Vec<Line<'static>> = Vec::new();
    // Values wrap beside their label: a long path is never cut.
    let value_w = (area.width as usize).saturating_sub(LABEL_W + 1);
    let mut kv = |k: &str, v: String| {
        for (i, part) in wrap(&v, value_w).into_iter().enumerate() {
            let label = if i == 0 { k } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!("{label:<LABEL_W$} "), wz.theme.get("heading")),
                Span::raw(part),
            ]));
        }
    };
    let opt =
        |r: &Option<crate::model::SecretRef>| r.as_ref().map(|r| r.to_string()).unwrap_or_default();
    let folder = crate::model::paths::plan_folder(&wz.path);
    // A relative path with the path it gives, from the plan's folder.
    let path = |p: &std::path::Path| {
        let text = p.display().to_string();
        if text.is_empty() || crate::model::paths::is_absolute_anywhere(p) {
            text
        } else {
            format!("{text} (= {})", folder.join(p).display())
        }
    };
    kv((w().field)(F::Company), d.company.clone());
    kv((w().field)(F::LicenceFrom), opt(&d.licence_key));
    kv(
        (w().field)(F::Mode),
        super::prefill::mode_name(plan.recipe.mode).to_string(),
    );
    kv((w().field)(F::Installation), d.installation.clone());
    kv(
        (w().field)(F::Version),
        d.version.clone().unwrap_or_default(),
    );
    if let Some(s) = &plan.recipe.setup {
        kv((w().field)(F::SetupPackage), path(&s.package));
    }
    if let Some(s) = &plan.recipe.integration_setup {
        kv((w().field)(F::IntegrationPackage), path(&s.package));
    }
    for (name, env) in [
        ("test", plan.environments.test.as_ref()),
        ("production", plan.environments.production.as_ref()),
    ] {
        if let Some(e) = env {
            kv(
                name,
                format!("{} | {}", path(&e.install_dir), path(&e.backup_dir)),
            );
            if let Some(u) = &e.url {
                kv("", u.clone());
            }
            if let Some(s) = &e.sql {
                kv(
                    "",
                    fill(
                        w().summary_sql,
                        &[&s.server, &s.database, &s.login.clone().unwrap_or_default()],
                    ),
                );
                kv("", fill(w().summary_password, &[&opt(&s.password)]));
            }
        }
    }
    let yes = |b: bool| if b { w().yes } else { w().no };
    let n = plan.integration.companies.len();
    let one = crate::model::lang::current().singular(n as u64);
    kv(
        (w().field)(F::IntegrationService),
        fill(
            w().summary_companies[usize::from(!one)],
            &[
                &yes(d.integration_service),
                &n,
                &plan
                    .integration
                    .companies
                    .iter()
                    .map(|c| c.title.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            ],
        ),
    );
    kv(
        (w().field)(F::ProxyHost),
        d.proxy
            .as_ref()
            .map_or("-".into(), |p| format!("{}:{}", p.host, p.port)),
    );
    // What saving does and what is left stays at the bottom; the answers
    // above scroll (Up/Down) when they do not all fit.
    let mut tail: Vec<Line<'static>> = vec![Line::raw("")];
    let t = if wz.original.is_some() {
        w().summary_edit
    } else {
        w().summary_new
    };
    for l in wrap(&fill(t, &[&wz.path.display()]), area.width as usize) {
        tail.push(Line::raw(l));
    }
    if all.is_empty() {
        tail.push(Line::styled(w().summary_ready, wz.theme.get("step.passed")));
    } else {
        tail.push(Line::styled(
            fill(w().summary_problems, &[&all.len()]),
            wz.theme.get("step.failed"),
        ));
        for i in &all {
            for l in wrap(
                &format!(
                    "{} — {}",
                    fill(crate::ui::strings::s().label_value, &[&i.field, &i.what]),
                    i.fix
                ),
                (area.width as usize).saturating_sub(2),
            ) {
                tail.push(Line::styled(format!("  {l}"), wz.theme.get("step.failed")));
            }
        }
    }
    let tail_h = (tail.len() as u16).min(area.height / 2).max(1);
    let [top, bottom] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(tail_h)]).areas(area);
    let room = usize::from(top.height);
    let most = lines.len().saturating_sub(room);
    let skip = wz.summary_scroll.min(most);
    let mut shown: Vec<Line> = lines.into_iter().skip(skip).take(room).collect();
    if skip < most && shown.len() == room {
        // More below: say so on the last line.
        shown.pop();
        shown.push(Line::styled(
            fill(w().summary_more, &[&(most - skip + 1)]),
            wz.theme.get("dim"),
        ));
    }
    f.render_widget(Paragraph::new(shown), top);
    f.render_widget(Paragraph::new(tail), bottom);
}
