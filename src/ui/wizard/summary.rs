//! The summary page: the answers as the plan will hold them, the file that
//! saving writes, and every problem left.

use ratatui::Frame;
use ratatui::layout::Rect;
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
    let mut kv = |k: &str, v: String| {
        lines.push(Line::from(vec![
            Span::styled(format!("{k:<LABEL_W$} "), wz.theme.get("heading")),
            Span::raw(v),
        ]));
    };
    let opt =
        |r: &Option<crate::model::SecretRef>| r.as_ref().map(|r| r.to_string()).unwrap_or_default();
    kv((w().field)(F::Company), d.company.clone());
    kv((w().field)(F::Installation), d.installation.clone());
    kv((w().field)(F::LicenceFrom), opt(&d.licence_key));
    for (name, env) in [
        ("test", plan.environments.test.as_ref()),
        ("production", plan.environments.production.as_ref()),
    ] {
        if let Some(e) = env {
            kv(
                name,
                format!("{} | {}", e.install_dir.display(), e.backup_dir.display()),
            );
            if let Some(s) = &e.sql {
                kv(
                    "",
                    format!(
                        "SQL {} / {}, login {}",
                        s.server,
                        s.database,
                        s.login.clone().unwrap_or_default(),
                    ),
                );
                kv("", format!("password {}", opt(&s.password)));
            }
        }
    }
    let yes = |b: bool| if b { "yes" } else { "no" };
    kv(
        (w().field)(F::IntegrationService),
        format!(
            "{}, {} integration compan{}: {}",
            yes(d.integration_service),
            plan.integration.companies.len(),
            if plan.integration.companies.len() == 1 {
                "y"
            } else {
                "ies"
            },
            plan.integration
                .companies
                .iter()
                .map(|c| c.title.clone())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    kv(
        (w().field)(F::ProxyHost),
        d.proxy
            .as_ref()
            .map_or("-".into(), |p| format!("{}:{}", p.host, p.port)),
    );
    lines.push(Line::raw(""));
    let t = if wz.original.is_some() {
        w().summary_edit
    } else {
        w().summary_new
    };
    lines.push(Line::raw(fill(t, &[&wz.path.display()])));
    if all.is_empty() {
        lines.push(Line::styled(w().summary_ready, wz.theme.get("step.passed")));
    } else {
        lines.push(Line::styled(
            fill(w().summary_problems, &[&all.len()]),
            wz.theme.get("step.failed"),
        ));
        for i in &all {
            for l in wrap(
                &format!("{}: {} — {}", i.field, i.what, i.fix),
                area.width as usize - 2,
            ) {
                lines.push(Line::styled(format!("  {l}"), wz.theme.get("step.failed")));
            }
        }
    }
    f.render_widget(Paragraph::new(lines), area);
}
