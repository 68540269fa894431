//! The nouns of mimamori: what every other crate reads and writes.
//!
//! A normalized [`Event`] is one record from Microsoft 365 evidence (a sign-in, an audit record,
//! a message-trace row, a mailbox item) with its tenant, its natural id (the id Microsoft gave it,
//! used to de-duplicate the same record arriving through two exports), the file and line it came
//! from, and the raw record kept verbatim for evidence. Detections turn events into
//! [`Finding`]s, and findings about one user and period become an [`Incident`].
//!
//! This crate does no I/O: serde only, so it can be shared by the store, the detections, the
//! readers and (later) the scale-out workers without pulling anything else in.

pub mod capped_json;
pub mod error;
pub mod event;
pub mod finding;
pub mod ip;
pub mod text;

pub use error::RecordError;
pub use event::{
    AuditRecord, AuthStep, Direction, DirectoryAudit, Event, EventKind, GeoPoint, Location,
    MailEnvelope, MessageTrace, Provenance, SignIn, SignInKind, TargetResource,
};
pub use finding::{EvidenceRef, Finding, Incident, Severity};
pub use ip::{ClientAddr, parse_client_ip};

/// The id of one Microsoft 365 tenant inside a store (a name or the tenant GUID).
/// One store can hold many tenants; every stored row carries this.
pub type TenantId = String;

/// The tenant id used when the operator gives none.
pub const DEFAULT_TENANT: &str = "default";
