//! A run as data: the events a run produces ([`event`]) and the run state,
//! one pure fold over them ([`state`]). The engine writes the events into
//! the journal; the gate rule (`recipe::gate_rule`), the screens, the
//! headless printer, resume and the reports all read the same fold.

pub mod event;
pub mod state;
