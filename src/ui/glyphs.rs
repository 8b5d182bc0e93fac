//! Line-drawing and status glyphs. Only plain box lines and full blocks are
//! used; `--ascii` replaces every one of them with ASCII.

use ratatui::symbols::border;

use crate::engine::StepStatus;

#[derive(Debug, Clone, Copy)]
pub struct Glyphs {
    pub border: border::Set<'static>,
    /// The blinking running indicator, on and off.
    pub busy: [&'static str; 2],
    /// Filled and empty cells of a progress bar.
    pub bar: [&'static str; 2],
    /// Separator between status bar fields.
    pub sep: &'static str,
    pub ascii: bool,
}

pub const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

impl Glyphs {
    pub fn new(ascii: bool) -> Self {
        if ascii {
            Glyphs {
                border: ASCII_BORDER,
                busy: ["*", " "],
                bar: ["#", "."],
                sep: "|",
                ascii,
            }
        } else {
            Glyphs {
                border: border::PLAIN,
                busy: ["\u{2588}", " "],
                bar: ["\u{2588}", "\u{2500}"],
                sep: "\u{2502}",
                ascii,
            }
        }
    }

    /// The status mark of a step: the same bracketed marks in both modes, so
    /// they read the same in any font.
    pub fn step(&self, s: StepStatus) -> &'static str {
        match s {
            StepStatus::Pending => "[ ]",
            StepStatus::Running => "[>]",
            StepStatus::WaitingOperator => "[?]",
            StepStatus::Passed => "[x]",
            StepStatus::Failed => "[!]",
            StepStatus::Skipped => "[-]",
            StepStatus::Cancelled => "[c]",
            StepStatus::Interrupted => "[~]",
        }
    }
}
