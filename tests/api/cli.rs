//! The command line as an operator uses it.

use std::io::Write;
use std::process::{Command, Stdio};

fn luister() -> Command {
    Command::new(env!("CARGO_BIN_EXE_luister"))
}

fn run_with_stdin(args: &[&str], input: &str) -> (String, String, bool) {
    let mut child = luister()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap(), out.status.success())
}

#[test]
fn scrub_reads_stdin_and_reports_spans_in_characters() {
    let input = "Café Ömer: bel Sanne op 06-12345678.";
    let (out, _, ok) = run_with_stdin(&["scrub"], input);
    assert!(ok);
    assert!(out.contains("[telefoon]") && out.contains("[naam]"), "{out}");
    let (out, _, ok) = run_with_stdin(&["scrub", "--json"], input);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let phone = v["spans"].as_array().unwrap().iter().find(|s| s["kind"] == "phone").unwrap();
    let start = phone["start"].as_u64().unwrap() as usize;
    let end = phone["end"].as_u64().unwrap() as usize;
    let chars: String = input.chars().skip(start).take(end - start).collect();
    assert_eq!(chars, "06-12345678");
    assert_eq!(phone["original"], "06-12345678");
}

#[test]
fn campaign_import_then_story_import_and_export_work_on_a_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let campaign = concat!(env!("CARGO_MANIFEST_DIR"), "/campaigns/eigen-netwerk.toml");
    let out = luister().args(["--data-dir", data, "campaign", "import", campaign]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("created campaign 'eigen-netwerk'"));
    let out = luister().args(["--data-dir", data, "campaign", "import", campaign]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("updated campaign 'eigen-netwerk' (form version 2")
    );

    let demo = dir.path().join("demo.jsonl");
    let out = luister()
        .args(["demo", "generate", "--stories", "25", "--seed", "7", "--output", demo.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = std::fs::read_to_string(&demo).unwrap();
    assert_eq!(text.lines().count(), 25);
    assert!(text.contains("\"true_themes\""));

    let out = luister().args(["--data-dir", data, "import", demo.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("25 stories added"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let out = luister()
        .args(["--data-dir", data, "export", "--campaign", "eigen-netwerk", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).lines().count() >= 26);

    let out = luister().args(["--data-dir", data, "export", "--campaign", "nope"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("campaign 'nope'"));
}

#[test]
fn serve_logs_piped_to_a_file_carry_no_colour_codes() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let mut child = luister()
        .args(["--data-dir", dir.path().to_str().unwrap(), "serve", "--addr", "127.0.0.1:0"])
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            let listening = line.contains("luister is listening");
            let _ = tx.send(line);
            if listening {
                break;
            }
        }
    });
    let mut log = String::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while let Ok(line) = rx.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now())) {
        log.push_str(&line);
        log.push('\n');
        if line.contains("luister is listening") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(log.contains("luister is listening"), "the server logged its start: {log}");
    assert!(!log.contains('\u{1b}'), "no ANSI escape codes when stderr is not a terminal: {log:?}");
}

/// A data dir with the demo campaign and `n` demo stories tagged with their true themes, the
/// first `manual` by people and the rest by rules.
fn coded_data_dir(n: usize, manual: usize) -> (tempfile::TempDir, usize) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let campaign = concat!(env!("CARGO_MANIFEST_DIR"), "/campaigns/eigen-netwerk.toml");
    assert!(luister().args(["--data-dir", data, "campaign", "import", campaign]).status().unwrap().success());
    let mut people = 0;
    let lines: Vec<String> = luister::demo::generate(n, 11)
        .enumerate()
        .map(|(i, d)| {
            let source = if i < manual { "manual" } else { "rule" };
            if i < manual {
                people += d.true_themes.len();
            }
            let mut v = serde_json::to_value(&d).unwrap();
            v["tags"] = d
                .true_themes
                .iter()
                .map(|t| serde_json::json!({"theme": t, "state": "accepted", "source": source}))
                .collect();
            v.to_string()
        })
        .collect();
    let file = dir.path().join("coded.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let out = luister().args(["--data-dir", data, "import", file.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (dir, people)
}

#[test]
fn themes_evaluate_scores_peoples_decisions_only_and_rule_tags_only_train() {
    let (dir, people) = coded_data_dir(400, 200);
    let data = dir.path().to_str().unwrap();
    let out = luister()
        .args([
            "--data-dir",
            data,
            "themes",
            "evaluate",
            "--campaign",
            "eigen-netwerk",
            "--folds",
            "3",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let e: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let support: u64 = e["themes"].as_array().unwrap().iter().map(|t| t["support"].as_u64().unwrap()).sum();
    assert_eq!(support as usize, people, "every scored positive is a person's decision");
    assert!(e["assist_labels"].as_u64().unwrap() > 0, "the rule tags were training data");
    assert!(e["without_assist"]["macro_f1"].as_f64().is_some(), "and the run without them is reported");

    let text = luister()
        .args(["--data-dir", data, "themes", "evaluate", "--campaign", "eigen-netwerk", "--folds", "3"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("scored on people's decisions only") && text.contains("without rule tags"),
        "{text}"
    );

    let (rules_only, _) = coded_data_dir(120, 0);
    let out = luister()
        .args([
            "--data-dir",
            rules_only.path().to_str().unwrap(),
            "themes",
            "evaluate",
            "--campaign",
            "eigen-netwerk",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success(), "rule tags alone are nothing to score");
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to evaluate"));
}
