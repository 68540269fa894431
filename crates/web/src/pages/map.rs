//! The sign-in map page (サインインマップ): every sign-in of the tenant (or of one user with
//! `?user=`) on the offline world map, attacker IPs of all incidents highlighted.

use std::collections::BTreeSet;

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use store::EventFilter;

use crate::html::Html;
use crate::i18n::Lang;
use crate::layout::Nav;
use crate::pages::{internal_error, ok_page};
use crate::session::Viewer;
use crate::state::AppState;
use crate::worldmap::SignInPoints;

/// Query parameters.
#[derive(Debug, Deserialize)]
pub struct MapQuery {
    user: Option<String>,
}

/// `GET /map`.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Query(q): Query<MapQuery>,
) -> Response {
    let tenant = state.tenant().map(str::to_string);
    let user = q
        .user
        .map(|u| u.trim().to_lowercase())
        .filter(|u| !u.is_empty());
    let for_user = user.clone();
    let loaded = state
        .query(move |store| {
            let attacker: BTreeSet<String> = store
                .incidents(tenant.as_deref())?
                .into_iter()
                .flat_map(|i| i.attacker_ips)
                .collect();
            let filter = EventFilter {
                tenant,
                user: for_user,
                kinds: vec!["sign_in".into()],
                ..EventFilter::default()
            };
            let mut map = SignInPoints::default();
            store.for_each_event(&filter, &mut |e| {
                map.add(&e, &attacker);
                Ok(())
            })?;
            Ok(map)
        })
        .await;
    let map = match loaded {
        Ok(m) => m,
        Err(e) => return internal_error(&e),
    };
    let mut h = Html::new();
    h.raw("<h1>").raw(lang.t("サインインマップ", "Sign-in map"));
    if let Some(user) = &user {
        h.raw(": ").text(user);
    }
    h.raw("</h1>");
    map.render(&mut h, lang);
    ok_page(
        lang,
        lang.t("サインインマップ", "Sign-in map"),
        Nav::Map,
        &viewer,
        &h,
    )
}
