//! A user's own settings: the desk's language and the time zone its times are shown in. Kept as
//! an event (`user.preferences_changed`) folded by the one fold into every API front's user
//! directory, so every front (and every later session) shows the same; the setting wins over
//! the browser's `Accept-Language` and time zone.

use super::layout::{self, PageError};
use super::session::Session;
use crate::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use claimledger_i18n::Locale;
use maud::{html, Markup};
use serde::Deserialize;

/// The settings form as sent: empty fields follow the browser.
#[derive(Debug, Default, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    time_zone: String,
}

/// The settings card on the home page, with the user's current choices.
pub fn card(state: &AppState, session: &Session) -> Markup {
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    let user = state.users.get(&session.caller.name);
    let language = user.as_ref().and_then(|user| user.language.clone());
    let zone = user.and_then(|user| user.time_zone).unwrap_or_default();
    let choice = |tag: Option<&str>| language.as_deref() == tag;
    html! {
        section.card #settings {
            h2 { (t("settings")) }
            form.filters method="post" action="/settings" {
                input type="hidden" name="csrf" value=(session.csrf());
                div {
                    label for="settings-language" { (t("settings-language")) }
                    select #settings-language name="language" {
                        option value="" selected[choice(None)] { (t("settings-browser")) }
                        @for option in Locale::ALL {
                            // Each language named in itself, so it can be found in any.
                            option value=(option.tag()) selected[choice(Some(option.tag()))] {
                                (layout::text(option, &format!("language-{}", option.tag())))
                            }
                        }
                    }
                }
                div {
                    label for="settings-zone" { (t("settings-zone")) }
                    input #settings-zone type="text" name="time_zone" value=(zone) size="24"
                        list="time-zones" placeholder=(t("settings-zone-placeholder"))
                        autocomplete="off" spellcheck="false";
                    datalist #time-zones {}
                }
                div { button type="submit" { (t("settings-save")) } }
            }
            p.hint { (t("settings-hint")) }
        }
    }
}

/// Records the user's settings and goes home, where the page is now in the chosen language.
pub async fn save(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Form(form): Form<SettingsForm>,
) -> Result<Response, PageError> {
    session.accept_form(&headers, &[], &form.csrf)?;
    let given = |value: &str| Some(value.trim().to_owned()).filter(|value| !value.is_empty());
    let (language, zone) = (given(&form.language), given(&form.time_zone));
    let event = crate::users::decide_preferences(
        &state.users,
        &session.caller.name,
        language.as_deref(),
        zone.as_deref(),
    )
    .map_err(|error| PageError::refused(session.locale, error))?;
    crate::routes::publish(&state, &event)
        .await
        .map_err(|error| PageError::refused(session.locale, error.0))?;
    Ok(Redirect::to("/?done=settings").into_response())
}

/// The notice after a save, in the new language.
pub fn saved(locale: Locale) -> Markup {
    html! { p.notice role="status" { (layout::text(locale, "settings-saved")) } }
}
