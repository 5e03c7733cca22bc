//! The editor's pages: submit an article (pasted or uploaded), the editor's own articles with
//! their extraction state and sourcing profile, and one article's page.

use super::layout::{self, PageError};
use super::session::Session;
use super::widgets::{claims_table, extraction_badge, profile_chart};
use crate::auth::require;
use crate::AppState;
use axum::extract::multipart::MultipartError;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use claimledger_bus::rpc;
use claimledger_i18n::{Arg, Locale};
use claimledger_types::message::{
    ArticleAccepted, ErrorCode, GetById, ListArticles, ServiceError, SubmitArticle,
    CMD_INGEST_SUBMIT, QUERY_VERIFY_ARTICLE, QUERY_VERIFY_ARTICLES,
};
use claimledger_types::view::{
    ArticlePage, ArticleSummary, ArticleView, ExtractionState, SourcingProfile,
};
use claimledger_types::{Language, Role};
use maud::{html, Markup};
use rand::RngCore;
use uuid::Uuid;

/// The editor's list shows this many of their newest articles.
const OWN_ARTICLES_SHOWN: usize = 50;

/// What the submit form held, to show it again after a refusal.
#[derive(Debug, Default)]
struct Draft {
    title: String,
    body: String,
    language: String,
    source_url: String,
    outlet: String,
    csrf: String,
    idempotency_key: String,
    file_name: String,
    file: Vec<u8>,
}

/// The articles `name` submitted, newest first, with their extraction state and profile.
async fn own_articles(state: &AppState, name: &str) -> Result<Vec<ArticleSummary>, ServiceError> {
    let page: ArticlePage = rpc::call(
        &*state.bus,
        QUERY_VERIFY_ARTICLES,
        &ListArticles {
            submitted_by: Some(name.to_owned()),
            after: None,
            limit: OWN_ARTICLES_SHOWN,
        },
    )
    .await?;
    Ok(page.articles)
}

fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("page-{}", hex::encode(bytes))
}

fn submit_form(session: &Session, draft: &Draft) -> Markup {
    let key = if draft.idempotency_key.is_empty() {
        new_idempotency_key()
    } else {
        draft.idempotency_key.clone()
    };
    let language = draft.language.as_str();
    let t = |key: &str| layout::text(session.locale, key);
    html! {
        form.card #submit data-draft method="post" action="/editor/articles" enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(session.csrf());
            // One key per rendered form: submitting it twice stores one article.
            input type="hidden" name="idempotency_key" value=(key);
            label for="title" { (t("title")) }
            input #title type="text" name="title" value=(draft.title) size="40" maxlength="1024";
            p.hint { (t("title-hint")) }
            div.filters {
                div {
                    label for="language" { (t("filter-language")) }
                    select #language name="language" {
                        option value="" selected[language.is_empty()] { (t("language-detect")) }
                        option value="ru" selected[language == "ru"] { (t("language-ru")) }
                        option value="en" selected[language == "en"] { (t("language-en")) }
                    }
                }
                div {
                    label for="source_url" { (t("source-url")) " " (t("optional")) }
                    input #source_url type="url" name="source_url" value=(draft.source_url) size="28";
                }
                div {
                    label for="outlet" { (t("outlet")) " " (t("optional")) }
                    input #outlet type="text" name="outlet" value=(draft.outlet) size="16";
                }
            }
            label for="body" { (t("article-text")) " " span.hint { (t("body-required-hint")) } }
            textarea #body name="body" rows="10" aria-describedby="body-hint" { (draft.body) }
            p.hint #body-hint { (t("body-hint-paste")) " " code { ".txt" } " " (t("body-hint-file"))
                " " code { "date YYYY-MM-DD" } " " (t("body-hint-date")) }
            label for="file" { (t("upload-file")) }
            input #file type="file" name="file" accept=".txt,text/plain";
            p { button type="submit" accesskey="s" { (t("submit-article")) } }
        }
    }
}

fn editor_view(
    session: &Session,
    draft: &Draft,
    error: Option<&str>,
    articles: &[ArticleSummary],
) -> Markup {
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    let content = html! {
        h1 { (t("nav-articles")) }
        @if let Some(error) = error {
            p.error role="alert" { (error) }
        }
        div.columns {
            div {
                h2 { (t("submit-an-article")) }
                (submit_form(session, draft))
            }
            div {
                h2 #yours { (t("your-articles")) }
                @if articles.is_empty() {
                    p.hint { (t("no-articles-yet")) }
                }
                @for article in articles {
                    section.card aria-labelledby={"a-" (article.id)} {
                        h3 #{"a-" (article.id)} style="margin:0 0 .3rem" {
                            a href={"/articles/" (article.id)} { (article.title) }
                        }
                        p.hint {
                            (t("submitted")) " " (layout::time(&article.submitted_at)) " · "
                            (extraction_badge(locale, Some(article.extraction)))
                        }
                        @if article.extraction == ExtractionState::Extracted {
                            (profile_chart(locale, &article.id.to_string(), &article.profile))
                        }
                    }
                }
            }
        }
    };
    layout::page(&t("nav-articles"), Some(session), "/editor", content)
}

pub async fn editor_page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Markup, PageError> {
    require(&session.caller, &[Role::Editor])?;
    let articles = own_articles(&state, &session.caller.name).await?;
    Ok(editor_view(&session, &Draft::default(), None, &articles))
}

fn multipart_error(locale: Locale, error: MultipartError) -> (StatusCode, String) {
    let text = error.body_text();
    if text.contains("length limit") {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            layout::text(locale, "upload-too-large"),
        )
    } else {
        (
            StatusCode::BAD_REQUEST,
            layout::text_with(locale, "form-unreadable", &[("why", Arg::Text(&text))]),
        )
    }
}

async fn read_draft(
    locale: Locale,
    multipart: &mut Multipart,
) -> Result<Draft, (StatusCode, String)> {
    let multipart_error = |error| multipart_error(locale, error);
    let mut draft = Draft::default();
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            draft.file_name = field.file_name().unwrap_or("").to_owned();
            draft.file = field.bytes().await.map_err(multipart_error)?.to_vec();
            continue;
        }
        let value = field.text().await.map_err(multipart_error)?;
        match name.as_str() {
            "title" => draft.title = value,
            "body" => draft.body = value,
            "language" => draft.language = value,
            "source_url" => draft.source_url = value,
            "outlet" => draft.outlet = value,
            "csrf" => draft.csrf = value,
            "idempotency_key" => draft.idempotency_key = value,
            _ => {}
        }
    }
    Ok(draft)
}

fn file_stem(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.strip_suffix(".txt").unwrap_or(base)
}

/// The command a draft asks for, or why it cannot (in `locale`).
fn command(locale: Locale, draft: &Draft, submitted_by: &str) -> Result<SubmitArticle, String> {
    let body = if draft.file.is_empty() {
        draft.body.clone()
    } else {
        String::from_utf8(draft.file.clone()).map_err(|_| {
            layout::text_with(
                locale,
                "file-not-utf8",
                &[("file", Arg::Text(&draft.file_name))],
            )
        })?
    };
    if body.trim().is_empty() {
        return Err(layout::text(locale, "no-article-text"));
    }
    let title = if draft.title.trim().is_empty() && !draft.file.is_empty() {
        file_stem(&draft.file_name).to_owned()
    } else if draft.title.trim().is_empty() {
        return Err(layout::text(locale, "title-empty"));
    } else {
        draft.title.clone()
    };
    let language = match draft.language.as_str() {
        "" => None,
        other => Some(other.parse::<Language>().map_err(|_| {
            layout::text_with(locale, "not-a-choice", &[("value", Arg::Text(other))])
        })?),
    };
    let source_url = Some(draft.source_url.trim().to_owned()).filter(|url| !url.is_empty());
    let outlet = Some(draft.outlet.trim().to_owned()).filter(|outlet| !outlet.is_empty());
    let key = draft.idempotency_key.trim();
    Ok(SubmitArticle {
        title,
        body,
        language,
        source_url,
        outlet,
        published_at: None,
        submitted_by: submitted_by.to_owned(),
        idempotency_key: (!key.is_empty()
            && key.len() <= 255
            && key.chars().all(|c| c.is_ascii_graphic()))
        .then(|| key.to_owned()),
    })
}

pub async fn submit(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    require(&session.caller, &[Role::Editor])?;
    let locale = session.locale;
    let draft = read_draft(locale, &mut multipart)
        .await
        .map_err(|(status, message)| PageError::shown(status, message))?;
    session.check_form(&headers, &draft.csrf)?;
    if let Err(error) = crate::limits::spend(
        &state,
        crate::limits::Counted::Submissions,
        &session.caller.name,
    )
    .await
    {
        let status = crate::error::status_of(error.0.code);
        let message = layout::refusal(locale, &error.0);
        return Ok(refused(&state, &session, status, &message, &draft).await);
    }
    let command = match command(locale, &draft, &session.caller.name) {
        Ok(command) => command,
        Err(message) => {
            return Ok(refused(&state, &session, StatusCode::BAD_REQUEST, &message, &draft).await)
        }
    };
    match rpc::call::<_, ArticleAccepted>(&*state.bus, CMD_INGEST_SUBMIT, &command).await {
        Ok(accepted) => {
            tracing::info!(article_id = %accepted.article_id, user = %session.caller.name, "article submitted from the pages");
            Ok(Redirect::to(&format!("/articles/{}", accepted.article_id)).into_response())
        }
        Err(error) => {
            let status = crate::error::status_of(error.code);
            let message = layout::refusal(locale, &error);
            Ok(refused(&state, &session, status, &message, &draft).await)
        }
    }
}

/// The editor page again, with the form as the editor left it and why it was refused.
async fn refused(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    message: &str,
    draft: &Draft,
) -> Response {
    let articles = own_articles(state, &session.caller.name)
        .await
        .unwrap_or_default();
    (
        status,
        editor_view(session, draft, Some(message), &articles),
    )
        .into_response()
}

pub async fn article_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require(
        &session.caller,
        &[Role::Editor, Role::Reviewer, Role::Auditor],
    )?;
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    let id = Uuid::parse_str(&id).map_err(|_| super::queue::not_an_id(locale, "article", &id))?;
    let article: ArticleView =
        match rpc::call(&*state.bus, QUERY_VERIFY_ARTICLE, &GetById { id }).await {
            Ok(article) => article,
            // Just submitted: the verify queue has not seen it yet. Look again shortly.
            Err(error) if error.code == ErrorCode::NotFound => {
                let content = html! {
                    h1 { (t("article-received")) }
                    p role="status" { (t("article-received-hint")) }
                };
                let mut response =
                    layout::page(&t("col-article"), Some(&session), "", content).into_response();
                response
                    .headers_mut()
                    .insert("refresh", axum::http::HeaderValue::from_static("2"));
                return Ok(response);
            }
            Err(error) => return Err(PageError::refused(locale, error)),
        };
    let pending = article.extraction == ExtractionState::Pending;
    let content = html! {
        h1 { (article.title) }
        p.hint {
            (t("submitted-by")) " " strong { (article.submitted_by) } " " (t("on-time")) " " (layout::time(&article.submitted_at))
            " · " (t("filter-language")) ": " (t(&format!("language-{}", article.language.as_str())))
            @if !article.versions.is_empty() {
                " · " (layout::text_with(locale, "version-of", &[
                    ("version", Arg::Number(article.version as i64)),
                    ("count", Arg::Number(article.versions.len() as i64)),
                ]))
            }
            @if let Some(date) = &article.published_at { " · " (t("published")) " " (date) }
            " · " (extraction_badge(locale, Some(article.extraction)))
        }
        @if let Some(url) = &article.source_url {
            p.hint { (t("col-source")) ": " (url) }
        }
        @if pending {
            p role="status" { (t("claims-being-extracted")) }
        } @else {
            (profile_chart(locale, &article.id.to_string(), &SourcingProfile::of(&article.claims)))
            h2 { (t("claims")) }
            (claims_table(locale, &article))
            (super::team::article_box(&session, article.id, &article.submitted_by, &super::team::reviewers(&state)))
            @if session.caller.has(Role::Reviewer) {
                p { a href={"/articles/" (article.id) "/claims/new"} { (t("add-missed-short")) } }
            }
        }
        (super::versions::section(locale, &article))
        @if session.caller.has(Role::Editor) && !pending {
            (super::versions::form(locale, &article, &session.csrf()))
        }
        h2 { (t("text")) }
        div.article-body { (article.body) }
    };
    let mut response = layout::page(&article.title, Some(&session), "", content).into_response();
    if pending {
        response
            .headers_mut()
            .insert("refresh", axum::http::HeaderValue::from_static("2"));
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uploaded_file_wins_and_names_an_untitled_article() {
        let draft = Draft {
            body: "pasted".into(),
            file_name: "C:\\news\\gaza.txt".into(),
            file: "uploaded".as_bytes().to_vec(),
            idempotency_key: "page-1".into(),
            ..Draft::default()
        };
        let command = command(Locale::En, &draft, "eddie").unwrap();
        assert_eq!(command.body, "uploaded");
        assert_eq!(command.title, "gaza");
        assert_eq!(command.idempotency_key.as_deref(), Some("page-1"));
        assert_eq!(command.language, None);
    }

    #[test]
    fn an_empty_form_is_told_the_text_is_missing_not_the_title() {
        let error = command(Locale::En, &Draft::default(), "eddie").unwrap_err();
        assert!(error.contains("no article text"), "{error}");
        let untitled = Draft {
            body: "Some text.".into(),
            ..Draft::default()
        };
        let error = command(Locale::En, &untitled, "eddie").unwrap_err();
        assert!(error.contains("only when uploading a file"), "{error}");
    }

    #[test]
    fn a_file_that_is_not_text_is_refused() {
        let draft = Draft {
            file_name: "x.txt".into(),
            file: vec![0xff, 0xfe],
            ..Draft::default()
        };
        assert!(command(Locale::En, &draft, "eddie").is_err());
        let bad_language = Draft {
            body: "x".into(),
            language: "de".into(),
            ..Draft::default()
        };
        assert!(command(Locale::En, &bad_language, "eddie").is_err());
    }
}
