//! The PPC breach report (漏えい等報告): whether it is required, its clock, and the draft.

pub mod assess;
pub mod deadline;
pub mod draft;
mod items;

pub use assess::{PpcAssessment, Requirement, Trigger, TriggerHit, assess};
pub use deadline::{Deadlines, deadlines};
pub use draft::render_ppc_draft;
