//! An in-process server on 127.0.0.1:0 over a fresh ledger, with a clerk (PER-1) and an auditor
//! (PER-2) token, driven by a real HTTP client.

use delib::app::{LedgerService, Request};
use delib::clock::SystemClock;
use delib::ledger::Ledger;
use delib::server::tokens::{Role, Tokens};
use delib::server::{self, State};
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;

pub struct TestServer {
    pub url: String,
    pub data: PathBuf,
    pub clerk: String,
    pub auditor: String,
    pub client: Client,
    _tmp: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

fn seed(svc: &LedgerService, request: Request) -> Value {
    let meta = svc.meta(None, None).expect("meta");
    svc.submit(&meta, request).expect("seed").to_json()
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(server::ServerOptions::default()).await
    }

    /// A server with the given time limits.
    pub async fn start_with(options: server::ServerOptions) -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let data = tmp.path().join("data");
        let dir = data.clone();
        // Setup appends block: off the async workers.
        let (state, clerk, auditor) = tokio::task::spawn_blocking(move || {
            let data = dir;
            let clock = Arc::new(SystemClock);
            let (ledger, _) = Ledger::init(&data, "test ledger", clock).expect("init");
            let svc = LedgerService::from_ledger(ledger, &data).expect("service");
            for name in ["Clerk Li", "Auditor Zhao"] {
                seed(
                    &svc,
                    Request::PersonAdd {
                        name: name.into(),
                        memberships: vec![],
                    },
                );
            }
            let tokens = Tokens::open(svc.store()).expect("tokens");
            let p1 = svc.person_id("PER-1").unwrap();
            let p2 = svc.person_id("PER-2").unwrap();
            let (_, clerk) = tokens
                .create(Role::Clerk, p1, "PER-1".into(), "now".into())
                .unwrap();
            let (_, auditor) = tokens
                .create(Role::Auditor, p2, "PER-2".into(), "now".into())
                .unwrap();
            (State::new(svc).expect("state"), clerk, auditor)
        })
        .await
        .expect("setup");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let handle = tokio::spawn(async move {
            server::run_with(&listener, state, &options, async {
                let _ = rx.await;
            })
            .await
        });
        TestServer {
            url,
            data,
            clerk,
            auditor,
            client: Client::new(),
            _tmp: tmp,
            stop: Some(tx),
            handle: Some(handle),
        }
    }

    /// Stops the server gracefully and waits until it has let go of the ledger.
    pub async fn stop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            h.await.expect("join").expect("run");
        }
        // The state (and the store) is dropped once the last request task lets go of it.
        for _ in 0..200 {
            if !self.data.join("server.json").exists()
                && delib::ledger::Ledger::open(&self.data, Arc::new(SystemClock)).is_ok()
            {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut rb = self.client.request(method, format!("{}{path}", self.url));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let resp = rb.send().await.expect("send");
        let status = resp.status();
        let text = resp.text().await.expect("body");
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let clerk = self.clerk.clone();
        self.call(Method::POST, path, Some(&clerk), Some(body))
            .await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, None, None).await
    }

    pub async fn get_as_auditor(&self, path: &str) -> (StatusCode, Value) {
        let a = self.auditor.clone();
        self.call(Method::GET, path, Some(&a), None).await
    }

    pub async fn text(&self, path: &str) -> (StatusCode, String) {
        let resp = self
            .client
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .expect("send");
        (resp.status(), resp.text().await.expect("text"))
    }

    pub async fn size(&self) -> u64 {
        self.get("/api/v1/status").await.1["size"].as_u64().unwrap()
    }
}
