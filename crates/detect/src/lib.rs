//! mimamori detections: per-user baselines, one file per detection, incidents, Sigma.
//!
//! The app loads events of one tenant from the store, sorts them by time and feeds them to an
//! [`Engine`]; the engine derives [`facts::Facts`] once per event, lets every detection in
//! [`registry`] look at it against the user's baseline, turns their drafts into
//! [`model::Finding`]s with stable ids and, at [`Engine::finish`], groups findings into
//! [`model::Incident`]s. Pure: no SQL, no file reading except loading the configuration,
//! GeoIP database and Sigma rules.

pub mod baseline;
pub mod config;
pub mod engine;
pub mod error;
pub mod facts;
pub mod geo;
pub mod incident;
pub mod net;
pub mod registry;
pub mod rules;
pub mod sigma;
pub mod timeline;

pub use config::{Config, ExpectedLocation, NetworkClass};
pub use engine::{Engine, EngineStats, Report, finding_id};
pub use error::DetectError;
pub use geo::GeoIp;
pub use incident::IncidentDetail;
pub use registry::{DetectionMeta, Role, detections};
pub use sigma::SigmaRule;
pub use timeline::{Lang, TimelineRow};
