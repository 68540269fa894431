//! Test-only writers (formats whose writer needs a dev-dependency).

pub mod xls;
