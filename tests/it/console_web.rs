//! The clerk's console over real HTTP: signing in exchanges a token for a session cookie; a form
//! records through the same request model as the API and the record shows on the public board; a
//! rejected form shows the rule beside its field and records nothing; a form without its session's
//! CSRF token, or from another origin, or after the session ended, is refused; auditors read the
//! log with names; no public page shows a name.

use super::server_support::TestServer;
use reqwest::header::{COOKIE, SET_COOKIE};
use reqwest::{redirect, Client, StatusCode};

/// A browser without JavaScript: follows no redirect by itself, keeps the console cookie.
struct Browser {
    client: Client,
    base: String,
    cookie: Option<String>,
}

impl Browser {
    fn new(s: &TestServer) -> Self {
        Browser {
            client: Client::builder()
                .redirect(redirect::Policy::none())
                .build()
                .unwrap(),
            base: s.url.clone(),
            cookie: None,
        }
    }

    /// Signs in with `token`; returns the Set-Cookie header.
    async fn sign_in(&mut self, token: &str) -> String {
        let r = self
            .client
            .post(format!("{}/console/sign-in", self.base))
            .form(&[("token", token)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let set = r.headers()[SET_COOKIE].to_str().unwrap().to_owned();
        self.cookie = Some(set.split(';').next().unwrap().to_owned());
        set
    }

    async fn get(&self, path: &str) -> (StatusCode, String) {
        let mut rb = self.client.get(format!("{}{path}", self.base));
        if let Some(c) = &self.cookie {
            rb = rb.header(COOKIE, c);
        }
        let r = rb.send().await.unwrap();
        (r.status(), r.text().await.unwrap())
    }

    /// Posts a `multipart/form-data` form, as a browser sends one with a file: text parts, and
    /// (name, file name, bytes) file parts.
    async fn post_multipart(
        &self,
        path: &str,
        text: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> (StatusCode, String) {
        let boundary = "----delibtestboundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in text {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (name, file_name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut rb = self
            .client
            .post(format!("{}{path}", self.base))
            .header(
                reqwest::header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body);
        if let Some(c) = &self.cookie {
            rb = rb.header(COOKIE, c);
        }
        let r = rb.send().await.unwrap();
        (r.status(), r.text().await.unwrap())
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
        let mut rb = self.client.post(format!("{}{path}", self.base)).form(form);
        if let Some(c) = &self.cookie {
            rb = rb.header(COOKIE, c);
        }
        let r = rb.send().await.unwrap();
        (r.status(), r.text().await.unwrap())
    }

    /// The CSRF token of the form at `path`.
    async fn csrf(&self, path: &str) -> String {
        let (status, page) = self.get(path).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let at = page.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
        page[at..at + 64].to_owned()
    }
}

async fn submit_proposal(b: &Browser, title: &str, by: &str) -> (StatusCode, String) {
    let csrf = b.csrf("/console/record/proposal-submit").await;
    b.post(
        "/console/record/proposal-submit?lang=en",
        &[
            ("csrf", &csrf),
            ("title", title),
            ("body", "东门晚上太黑，老人出行不便。"),
            ("category", "infrastructure"),
            ("by", by),
            ("community", ""),
            ("at", ""),
        ],
    )
    .await
}

#[tokio::test]
async fn a_clerk_signs_in_records_a_proposal_and_sees_it_on_the_public_board() {
    let mut s = TestServer::start().await;
    let mut b = Browser::new(&s);
    // given a clerk who signs in: the token becomes an HttpOnly, SameSite=Strict session cookie
    let clerk = s.clerk.clone();
    let set = b.sign_in(&clerk).await;
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/console", "Max-Age="] {
        assert!(set.contains(attr), "{attr} missing from {set}");
    }
    assert!(!set.contains(&clerk), "the cookie is not the token");
    let (status, home) = b.get("/console").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        home.contains("提交提案") && home.contains("Clerk Li"),
        "{home}"
    );
    // the dashboard links to a form for every recording command it offers (not file uploads)
    for route in delib::server::routes::COMMANDS
        .iter()
        .filter(|r| delib::server::console::fields::offered(r.command))
    {
        assert!(
            home.contains(&format!("href=\"/console/record/{}?", route.command)),
            "the dashboard has no link to {}",
            route.command
        );
    }
    // the form's pickers name the persons
    let (_, form) = b.get("/console/record/proposal-submit").await;
    assert!(form.contains("PER-2 Auditor Zhao"), "{form}");
    // when the clerk records a proposal through the form
    let before = s.size().await;
    let (status, page) = submit_proposal(&b, "小区东门加装照明", "PER-2").await;
    // then it is recorded, as the clerk, and shows on the public board and its own page
    assert_eq!(status, StatusCode::CREATED, "{page}");
    assert!(page.contains("PROP-1"), "{page}");
    assert!(s.size().await > before);
    let (_, board) = s.text("/").await;
    assert!(board.contains("小区东门加装照明"), "{board}");
    let (status, public) = s.text("/proposals/PROP-1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(public.contains("小区东门加装照明"));
    let (_, history) = s.get("/api/v1/history/PROP-1").await;
    assert_eq!(history[0]["recorded_by"], "PER-1", "{history}");
    // and no public page or public answer names the author or the clerk
    for path in [
        "/",
        "/proposals/PROP-1",
        "/api/v1/proposals",
        "/api/v1/proposals/PROP-1",
        "/api/v1/history/PROP-1",
    ] {
        let (_, text) = s.text(path).await;
        for name in ["Clerk Li", "Auditor Zhao"] {
            assert!(!text.contains(name), "{path} shows {name}");
        }
    }
    s.stop().await;
}

#[tokio::test]
async fn a_rejected_form_shows_the_rule_beside_its_field_and_records_nothing() {
    let mut s = TestServer::start().await;
    let mut b = Browser::new(&s);
    let clerk = s.clerk.clone();
    b.sign_in(&clerk).await;
    assert_eq!(
        submit_proposal(&b, "路灯", "PER-2").await.0,
        StatusCode::CREATED
    );
    let before = s.size().await;
    // when the author co-signs their own proposal
    let csrf = b.csrf("/console/record/proposal-cosign").await;
    let (status, page) = b
        .post(
            "/console/record/proposal-cosign?lang=zh",
            &[("csrf", &csrf), ("proposal", "PROP-1"), ("by", "PER-2")],
        )
        .await;
    // then the rule is shown beside the `by` field, in Chinese, and nothing is recorded
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    let beside = page
        .find("id=\"f-by-error\"")
        .expect("an error beside `by`");
    assert!(
        page[beside..].starts_with("id=\"f-by-error\" role=\"alert\">提案人不能附议自己的提案"),
        "{}",
        &page[beside..beside + 200]
    );
    assert!(page.contains("未登记任何内容"));
    // and the form keeps what was typed
    assert!(page.contains("<option value=\"PER-2\" selected>"), "{page}");
    // in English the same rule reads in English
    let (_, page) = b
        .post(
            "/console/record/proposal-cosign?lang=en",
            &[("csrf", &csrf), ("proposal", "PROP-1"), ("by", "PER-2")],
        )
        .await;
    assert!(
        page.contains("The author cannot co-sign their own proposal."),
        "{page}"
    );
    // a missing field is named beside it, before anything reaches the ledger
    let (status, page) = b
        .post(
            "/console/record/proposal-submit?lang=zh",
            &[
                ("csrf", &csrf),
                ("title", ""),
                ("body", "b"),
                ("category", "infrastructure"),
                ("by", "PER-2"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("id=\"f-title-error\" role=\"alert\">此项为必填"),
        "{page}"
    );
    // an unknown reference too
    let (status, page) = b
        .post(
            "/console/record/proposal-admit?lang=en",
            &[("csrf", &csrf), ("proposal", "PROP-9")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("id=\"f-proposal-error\" role=\"alert\">No entity has the reference PROP-9"),
        "{page}"
    );
    assert_eq!(s.size().await, before, "a rejected form recorded something");
    s.stop().await;
}

#[tokio::test]
async fn forms_without_the_sessions_csrf_token_or_from_elsewhere_are_refused() {
    let mut s = TestServer::start().await;
    let mut b = Browser::new(&s);
    let clerk = s.clerk.clone();
    b.sign_in(&clerk).await;
    let csrf = b.csrf("/console/record/org-add").await;
    let before = s.size().await;
    let fields = |c: &'static str| {
        vec![
            ("csrf", c),
            ("name", "十北社区居委会"),
            ("kind", "residents-committee"),
        ]
    };
    // missing, wrong, and another session's token
    let mut other = Browser::new(&s);
    other.sign_in(&clerk).await;
    let others = other.csrf("/console/record/org-add").await;
    assert_ne!(others, csrf);
    for token in [None, Some("0".repeat(64)), Some(others)] {
        let mut form = fields("");
        form.retain(|(k, _)| *k != "csrf");
        if let Some(t) = &token {
            form.push(("csrf", t.as_str()));
        }
        let (status, page) = b.post("/console/record/org-add", &form).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{token:?}: {page}");
    }
    // a cross-origin post with the right token
    let r = b
        .client
        .post(format!("{}/console/record/org-add", b.base))
        .header(COOKIE, b.cookie.clone().unwrap())
        .header("origin", "http://evil.example")
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "x"),
            ("kind", "residents-committee"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(s.size().await, before, "a refused form recorded something");
    // and with its own token the same form records
    let (status, _) = b
        .post(
            "/console/record/org-add",
            &[
                ("csrf", &csrf),
                ("name", "十北社区居委会"),
                ("kind", "residents-committee"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    s.stop().await;
}

#[tokio::test]
async fn an_ended_session_is_refused() {
    let mut s = TestServer::start().await;
    let clerk = s.clerk.clone();
    // given a session signed out
    let mut b = Browser::new(&s);
    b.sign_in(&clerk).await;
    let csrf = b.csrf("/console/record/org-add").await;
    let r = b.post("/console/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(r.0, StatusCode::SEE_OTHER);
    let (status, page) = b
        .post(
            "/console/record/org-add",
            &[("csrf", &csrf), ("name", "x"), ("kind", "other")],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{page}");
    // and a session that expired
    s.state
        .upgrade()
        .unwrap()
        .console
        .set_ttl(std::time::Duration::from_millis(1500));
    let mut late = Browser::new(&s);
    late.sign_in(&clerk).await;
    let csrf = late.csrf("/console/record/org-add").await;
    tokio::time::sleep(std::time::Duration::from_millis(1700)).await;
    let before = s.size().await;
    let (status, page) = late
        .post(
            "/console/record/org-add",
            &[("csrf", &csrf), ("name", "x"), ("kind", "other")],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{page}");
    assert!(page.contains("会话已结束"), "{page}");
    let (_, home) = late.get("/console").await;
    assert!(
        home.contains("name=\"token\""),
        "an expired session shows the sign-in form"
    );
    assert_eq!(s.size().await, before);
    // a wrong token opens no session
    let r = Browser::new(&s)
        .client
        .post(format!("{}/console/sign-in", s.url))
        .form(&[("token", "delib_0000000000000000_00")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.headers().get(SET_COOKIE).is_none());
    s.stop().await;
}

#[tokio::test]
async fn auditors_read_the_log_and_histories_with_names_and_clerks_do_not() {
    let mut s = TestServer::start().await;
    let clerk = s.clerk.clone();
    let auditor = s.auditor.clone();
    let mut c = Browser::new(&s);
    c.sign_in(&clerk).await;
    assert_eq!(
        submit_proposal(&c, "路灯", "PER-2").await.0,
        StatusCode::CREATED
    );
    // the clerk may not read the audit log; nobody may without a session
    assert_eq!(c.get("/console/audit").await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        Browser::new(&s).get("/console/audit").await.0,
        StatusCode::UNAUTHORIZED
    );
    // the auditor reads it, and a history, with names
    let mut a = Browser::new(&s);
    a.sign_in(&auditor).await;
    let (status, log) = a.get("/console/audit?lang=en").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        log.contains("PER-2 (Auditor Zhao)") && log.contains("PER-1 (Clerk Li)"),
        "{log}"
    );
    let (status, history) = a.get("/console/history?ref=PROP-1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        history.contains("proposal.submitted") && history.contains("Auditor Zhao"),
        "{history}"
    );
    // in Chinese the history reads in Chinese: the kind in words, the recorded text, no English
    let (_, zh) = a.get("/console/history?ref=PROP-1&lang=zh").await;
    assert!(
        zh.contains("提交提案") && zh.contains("路灯（基础设施）") && !zh.contains("submitted by"),
        "{zh}"
    );
    // and may not record
    assert_eq!(
        a.get("/console/record/org-add").await.0,
        StatusCode::FORBIDDEN
    );
    s.stop().await;
}

#[tokio::test]
async fn every_recording_command_has_a_form_with_a_label_on_every_input() {
    let mut s = TestServer::start().await;
    let mut b = Browser::new(&s);
    let clerk = s.clerk.clone();
    b.sign_in(&clerk).await;
    for route in delib::server::routes::COMMANDS {
        for lang in ["zh", "en"] {
            let (status, page) = b
                .get(&format!("/console/record/{}?lang={lang}", route.command))
                .await;
            assert_eq!(status, StatusCode::OK, "{}", route.command);
            assert!(!page.contains("<script"), "no JavaScript");
            // every input, select and textarea (but the hidden CSRF field) has a label naming its id
            let mut rest = page.as_str();
            while let Some(at) = rest.find(" id=\"f-") {
                let id = &rest[at + 5..];
                let id = &id[..id.find('"').unwrap()];
                if !id.ends_with("-error") {
                    assert!(
                        page.contains(&format!("<label for=\"{id}\"")),
                        "{}: {id} has no label",
                        route.command
                    );
                }
                rest = &rest[at + 5..];
            }
            // every choice of a closed list reads as words, not as the code it records
            if lang == "zh" {
                for part in page.split("<option value=\"").skip(1) {
                    let value = &part[..part.find('"').unwrap()];
                    let text = &part[part.find('>').unwrap() + 1..part.find("</option>").unwrap()];
                    assert!(
                        value.is_empty() || text.trim() != value,
                        "{}: the choice `{value}` shows its code",
                        route.command
                    );
                }
            }
            // and no message id is shown for want of a translation
            for missing in ["cmd-", "field-", "console-"] {
                assert!(
                    !page.contains(&format!(">{missing}")),
                    "{}/{lang}: untranslated {missing}",
                    route.command
                );
            }
        }
    }
    s.stop().await;
}

#[test]
fn every_console_message_is_in_both_languages() {
    use delib::server::console::i18n::{ids, Lang};
    assert_eq!(ids(Lang::Zh), ids(Lang::En));
    assert!(ids(Lang::En).len() > 150);
    // and every recording command, field and rule has its message
    for route in delib::server::routes::COMMANDS {
        assert!(
            ids(Lang::Zh).contains(&format!("cmd-{}", route.command)),
            "{}",
            route.command
        );
        for f in delib::server::console::fields::fields(route) {
            assert!(
                ids(Lang::Zh).contains(&format!("field-{}", f.name)),
                "field {}",
                f.name
            );
        }
    }
}

#[test]
fn every_choice_of_a_console_list_has_words_in_both_languages() {
    use delib::server::console::fields::{fields, vocab_group, Input};
    use delib::server::i18n::catalog::code_id;
    use delib::server::i18n::{Lang, Tr};
    let mut seen = 0;
    for route in delib::server::routes::COMMANDS {
        for f in fields(route) {
            if let Input::Vocab(words) = &f.input {
                for w in words {
                    for lang in [Lang::Zh, Lang::En] {
                        let id = code_id(vocab_group(f.name), w);
                        assert!(
                            Tr::new(lang).has(&id),
                            "{}: no {id} in {lang:?}",
                            route.command
                        );
                    }
                    seen += 1;
                }
            }
        }
    }
    assert!(seen > 30, "only {seen} choices");
}

#[tokio::test]
async fn a_clerk_attaches_the_minutes_through_the_console_and_a_form_without_the_file_records_nothing(
) {
    // given a signed-in clerk and a proposal
    let mut s = TestServer::start().await;
    let mut b = Browser::new(&s);
    let clerk = s.clerk.clone();
    b.sign_in(&clerk).await;
    let (status, _) = submit_proposal(&b, "东门路灯", "PER-1").await;
    assert_eq!(status, StatusCode::CREATED);
    // when the attach form is opened, it is a file upload with a labelled file input
    let (status, page) = b.get("/console/record/attach?lang=zh").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("enctype=\"multipart/form-data\""), "{page}");
    assert!(page.contains("type=\"file\""), "{page}");
    let csrf = b.csrf("/console/record/attach").await;
    // and the minutes are sent as a browser sends them
    let minutes = "十北社区路灯听证会会议纪要\n与会居民普遍支持。".as_bytes();
    let (status, page) = b
        .post_multipart(
            "/console/record/attach?lang=en",
            &[
                ("csrf", &csrf),
                ("reference", "PROP-1"),
                ("title", "会议纪要"),
                ("at", ""),
            ],
            &[("file", "minutes.txt", minutes)],
        )
        .await;
    // then it is recorded, and the public documents list it with the file's SHA-256
    assert_eq!(status, StatusCode::OK, "{page}");
    let docs = s
        .client
        .get(format!("{}/api/v1/documents", s.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    use sha2::Digest;
    let sha = hex::encode(sha2::Sha256::digest(minutes));
    assert!(docs.contains(&sha) && docs.contains("会议纪要"), "{docs}");
    // and the file served back is the same bytes
    let served = s
        .client
        .get(format!("{}/documents/{sha}", s.url))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&served[..], minutes);
    // when the form is sent without a file, then it is refused beside the file field and the
    // ledger is unchanged
    let size = |docs: &str| docs.matches("\"sha256\"").count();
    let before = size(&docs);
    let csrf = b.csrf("/console/record/attach").await;
    let (status, page) = b
        .post_multipart(
            "/console/record/attach?lang=en",
            &[("csrf", &csrf), ("reference", "PROP-1"), ("at", "")],
            &[("file", "", b"")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("f-file-error"), "{page}");
    let after = s
        .client
        .get(format!("{}/api/v1/documents", s.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(size(&after), before, "{after}");
    s.stop().await;
}
