//! An accepted story survives a crash: SIGKILL the server in the middle of a burst of
//! concurrent submissions, restart it, and find every story that was acknowledged.

use luister::store;
use serde_json::json;
use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn serve(data_dir: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_luister"))
        .args(["--data-dir", data_dir, "serve", "--addr", &format!("127.0.0.1:{port}")])
        // One test client sends everything: lift the per-address story limit.
        .args(["--stories-per-client-per-hour", "1000000", "--story-burst", "100000"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn wait_until_up(client: &reqwest::Client, port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(r) = client.get(format!("http://127.0.0.1:{port}/healthz")).send().await
            && r.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not come up on port {port}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_during_a_burst_of_submissions_loses_no_acknowledged_story() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_string();
    let campaign = concat!(env!("CARGO_MANIFEST_DIR"), "/campaigns/eigen-netwerk.toml");
    let ok = Command::new(env!("CARGO_BIN_EXE_luister"))
        .args(["--data-dir", &data, "campaign", "import", campaign])
        .output()
        .unwrap();
    assert!(ok.status.success());

    let port = free_port();
    let mut server = serve(&data, port);
    let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
    wait_until_up(&client, port).await;

    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let url = format!("http://127.0.0.1:{port}/api/v1/campaigns/eigen-netwerk/stories");
    let total = 400;
    let mut tasks = Vec::new();
    // 32 clients send 400 stories between them; the server is killed once 120 are acknowledged.
    for worker in 0..32 {
        let client = client.clone();
        let url = url.clone();
        let acked = acked.clone();
        tasks.push(tokio::spawn(async move {
            for i in (worker..total).step_by(32) {
                let body = json!({
                    "text": format!("Verhaal {i}: de buurvrouw hielp ons toen de wachtlijst maar niet korter werd."),
                    "perspective": "parent",
                    "prompt": "zelf-geregeld",
                    "consent": true,
                    "answers": { "gevoel": "opgelucht" }
                });
                match client.post(&url).json(&body).send().await {
                    Ok(r) if r.status() == 201 => {
                        let v: serde_json::Value = match r.json().await {
                            Ok(v) => v,
                            Err(_) => return,
                        };
                        acked.lock().unwrap().push(v["id"].as_str().unwrap().to_string());
                    }
                    _ => return,
                }
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.lock().unwrap().len() < 120 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.kill().unwrap(); // SIGKILL: no shutdown, no flush
    server.wait().unwrap();
    for t in tasks {
        let _ = t.await;
    }
    let acked: HashSet<String> = acked.lock().unwrap().iter().cloned().collect();
    assert!(acked.len() >= 120, "only {} acknowledged before the deadline", acked.len());
    assert!(acked.len() < total, "the kill came too late to test anything");

    // Restart: the server comes back on the same data, and every acknowledged story is there.
    let mut server = serve(&data, port);
    wait_until_up(&client, port).await;
    let store = store::connect(&format!("sqlite://{data}/luister.sqlite")).await.unwrap();
    let mut missing = Vec::new();
    for id in &acked {
        if store.story(id).await.is_err() {
            missing.push(id.clone());
        }
    }
    server.kill().unwrap();
    let _ = server.wait();
    assert!(missing.is_empty(), "{} acknowledged stories lost: {missing:?}", missing.len());
    eprintln!("acknowledged {} of {total} before SIGKILL; all present after restart", acked.len());
}
