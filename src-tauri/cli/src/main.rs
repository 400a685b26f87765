//! `doudi`: the command line over the same command layer as the app, plus admin verbs.
//!
//! `doudi --db FILE --user NAME call COMMAND 'JSON'` prints the command's JSON result; on failure
//! it prints the error JSON `{code, message, field}` on stderr and exits non-zero. A long command
//! (a ledger import) reports its progress on stderr while it runs.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;

mod measure;

use clap::{Parser, Subcommand};
use doudi_core::{call, CmdError, Progress, Session, SystemClock};
use serde_json::{json, Value};

#[derive(Parser)]
#[command(
    name = "doudi",
    version,
    about = "Doudi 兜底 — 县级社会救助管理（命令行）"
)]
struct Cli {
    /// Database file (default: the app's data directory; env DOUDI_DB).
    #[arg(long, global = true, env = "DOUDI_DB")]
    db: Option<PathBuf>,
    /// Sign in as this user before running the command; the password comes from
    /// DOUDI_PASSWORD or a prompt.
    #[arg(long, global = true, env = "DOUDI_USER")]
    user: Option<String>,
    #[command(subcommand)]
    verb: Verb,
}

#[derive(Subcommand)]
enum Verb {
    /// Run one named command with a JSON input ('-' reads it from stdin).
    Call { name: String, input: Option<String> },
    /// List every command.
    Commands,
    /// Fill an empty database with a synthetic demo county.
    Demo {
        #[arg(long, default_value_t = 2000)]
        households: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Copy the database to a new file (online backup; needs an administrator).
    Backup { dest: PathBuf },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        what: AuditVerb,
    },
    /// The county server: the command layer over HTTPS for every desktop (docs/server.md).
    /// `serve --init --tls-dir DIR` makes the county's certificate; `serve --listen ADDR
    /// --tls-dir DIR` serves the database given with --db.
    Serve(ServeArgs),
    /// Benchmarks that print figures.
    Bench {
        #[command(subcommand)]
        what: BenchVerb,
    },
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Make the county's key and self-signed certificate in --tls-dir and print its SHA-256
    /// fingerprint (each desktop registers it when it connects).
    #[arg(long)]
    init: bool,
    /// Print the fingerprint of the certificate in --tls-dir again.
    #[arg(long)]
    fingerprint: bool,
    /// Folder of the certificate (cert.pem) and key (key.pem, readable by its owner only).
    #[arg(long)]
    tls_dir: PathBuf,
    /// With --init: a host name or IP address the desktops use to reach the server (repeat it;
    /// default localhost and 127.0.0.1).
    #[arg(long = "name")]
    names: Vec<String>,
    /// Address and port to listen on.
    #[arg(long, default_value = "0.0.0.0:8443")]
    listen: std::net::SocketAddr,
    /// Largest request accepted, in MB (72 fits a 50 MB upload in base64 with its JSON).
    #[arg(long, default_value_t = 72)]
    body_limit_mb: usize,
    /// Back the database up into this folder on a schedule, verifying each copy.
    #[arg(long)]
    backup_dir: Option<PathBuf>,
    #[arg(long, default_value_t = 24)]
    backup_every_hours: u64,
    /// Delete scheduled backups older than this many days.
    #[arg(long, default_value_t = 30)]
    keep_days: u32,
}

#[derive(Subcommand)]
enum AuditVerb {
    /// Check the hash chain; exit 3 and name the first broken link if it is broken.
    Verify,
}

#[derive(Subcommand)]
enum BenchVerb {
    /// N desktops over HTTPS against a loopback `doudi serve` on the --db demo county (made by
    /// `doudi demo`): searches, households, work queue, case lists and case steps; prints
    /// throughput, errors and p50/p99 per class.
    Serve {
        #[arg(long, default_value_t = 50)]
        clients: usize,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// The demo staff's password.
        #[arg(long, env = "DOUDI_PASSWORD", default_value = "doudi2026")]
        password: String,
    },
    /// Build a demo county and time household search (name, ID prefix, pinyin initials).
    Search {
        #[arg(long, default_value_t = 70_000)]
        persons: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Render the printed documents (2,000-row 公示, 审批表, 一事一议, 不予批准通知书): median time
    /// and size against the targets. `--out DIR` also saves the PDFs there.
    Documents {
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Generate a ledger .xlsx of N households on a demo county's areas and time ledger.import.
    Ledger {
        #[arg(long, default_value_t = 40_000)]
        households: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Build a demo county and time recomputing every household's 低保 and one what-if.
    Rules {
        #[arg(long, default_value_t = 70_000)]
        persons: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Build a county where every household is paid, with years of locked payment history; time
    /// this month's run and the statistics, then write the roster in a separate process and
    /// report its time and peak memory.
    Payments {
        /// Households, all on the roster (the 70,000-row roster).
        #[arg(long, default_value_t = 70_000)]
        households: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Months of history before this month.
        #[arg(long, default_value_t = 60)]
        months: i64,
        /// Build the county in this new file and keep it (to study it afterwards).
        #[arg(long)]
        keep: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", e.to_json());
            ExitCode::from(1)
        }
    }
}

fn open(cli: &Cli) -> Result<Session, CmdError> {
    let path = cli.db.clone().unwrap_or_else(doudi_core::db::default_path);
    let mut session = Session::open(&path, Box::new(SystemClock))?;
    if let Some(user) = &cli.user {
        let password = match std::env::var("DOUDI_PASSWORD") {
            Ok(p) => p,
            Err(_) => rpassword::prompt_password(format!("{user} 的密码: "))
                .map_err(|e| CmdError::internal(format!("无法读取密码：{e}")))?,
        };
        call(
            &mut session,
            "auth.sign_in",
            json!({"username": user, "password": password}),
        )?;
    }
    Ok(session)
}

/// Print to stdout; a closed pipe (`doudi … | head`) ends the output quietly instead of panicking.
fn out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{text}");
}

fn print(v: &Value) {
    out(&serde_json::to_string_pretty(v).expect("JSON values always print"));
}

/// Progress of long commands on stderr: on a terminal one line per phase, rewritten in place;
/// otherwise (a log) only each phase's start and end.
fn progress_to_stderr(session: &mut Session) {
    let terminal = std::io::stderr().is_terminal();
    session.set_progress(Box::new(move |p: Progress| {
        let end = p.done == p.total;
        if !terminal && p.done != 0 && !end {
            return;
        }
        let text = if p.total == 0 {
            format!("{} {}…", p.task, p.phase)
        } else {
            format!("{} {} {}/{}", p.task, p.phase, p.done, p.total)
        };
        if terminal {
            eprint!("\r{text}{}", if end { "\n" } else { "" });
        } else {
            eprintln!("{text}");
        }
    }));
}

/// `doudi bench payments`: the core builds the county and times the run and the statistics; the
/// roster is then written by `doudi call payment.roster` as a child process, so that its peak
/// memory is its own and not the building's.
fn payments_bench(
    households: usize,
    seed: u64,
    months: i64,
    keep: Option<&std::path::Path>,
) -> Result<(), CmdError> {
    let dir =
        tempfile::tempdir().map_err(|e| CmdError::internal(format!("无法建立临时目录：{e}")))?;
    let db = match keep {
        Some(p) if p.exists() => {
            return Err(CmdError::invalid(
                "keep",
                format!("{} 已存在，请换一个文件名", p.display()),
            ))
        }
        Some(p) => p.to_owned(),
        None => dir.path().join("bench.sqlite"),
    };
    let report = doudi_core::bench::payments_bench(households, seed, months, &db)?;
    out(&report.to_string());
    let roster = dir.path().join("花名册.xlsx");
    let exe =
        std::env::current_exe().map_err(|e| CmdError::internal(format!("找不到本程序：{e}")))?;
    let input = json!({"month": report.month, "path": roster.to_string_lossy()});
    let m = measure::run(
        std::process::Command::new(exe)
            .arg("--db")
            .arg(&db)
            .args(["--user", "spr", "call", "payment.roster"])
            .arg(input.to_string())
            .env("DOUDI_PASSWORD", doudi_core::demo::PASSWORD),
    )
    .map_err(|e| CmdError::internal(format!("无法运行花名册子进程：{e}")))?;
    if !m.output.status.success() {
        return Err(CmdError::internal(format!(
            "花名册子进程失败：{}",
            String::from_utf8_lossy(&m.output.stderr)
        )));
    }
    let reply: Value = serde_json::from_slice(&m.output.stdout)
        .map_err(|e| CmdError::internal(format!("花名册子进程的输出不是 JSON：{e}")))?;
    let size = std::fs::metadata(&roster).map_or(0, |md| md.len());
    out(&format!(
        "  payment.roster  {:>8.0} ms  {} 行 xlsx {:.1} MB（独立进程，含启动和打开数据库；目标 ≤ 1500 ms）",
        m.wall.as_secs_f64() * 1000.0,
        reply["rows"],
        size as f64 / 1_048_576.0
    ));
    out(&format!(
        "  花名册峰值内存   {}（子进程执行命令期间的 VmHWM，不含登录时的密码校验；目标 ≤ 64 MB）",
        m.peak_kib.map_or("本平台不提供".to_owned(), |k| format!(
            "{:.1} MB",
            k as f64 / 1024.0
        ))
    ));
    Ok(())
}

/// `doudi serve`: make the certificate, print its fingerprint, or serve until stopped.
fn serve(cli: &Cli, a: &ServeArgs) -> Result<(), CmdError> {
    let failed = |m: String| CmdError::internal(m);
    if a.init {
        let fp = doudi_server::tls::init(&a.tls_dir, &a.names).map_err(failed)?;
        out(&format!("已生成县级服务器证书：{}", a.tls_dir.display()));
        out(&format!("SHA-256 指纹（每台电脑连接时登记）：\n{fp}"));
        return Ok(());
    }
    if a.fingerprint {
        out(&doudi_server::tls::fingerprint_of(&a.tls_dir).map_err(failed)?);
        return Ok(());
    }
    let db = cli.db.clone().unwrap_or_else(doudi_core::db::default_path);
    let mut config = doudi_server::Config::new(db.clone(), a.listen, a.tls_dir.clone());
    config.body_limit = a.body_limit_mb.max(1) * 1024 * 1024;
    config.backup = a.backup_dir.clone().map(|dir| doudi_server::BackupPlan {
        dir,
        every: std::time::Duration::from_secs(a.backup_every_hours.max(1) * 3600),
        keep_days: a.keep_days,
    });
    let running = doudi_server::start(config).map_err(failed)?;
    eprintln!(
        "Doudi 县级服务器：https://{} 数据库 {}",
        running.address,
        db.display()
    );
    running.wait();
    Ok(())
}

fn run(cli: Cli) -> Result<ExitCode, CmdError> {
    match &cli.verb {
        Verb::Commands => {
            for doudi_core::commands::Command { name, summary, .. } in
                doudi_core::commands::COMMANDS
            {
                out(&format!("{name:<24} {summary}"));
            }
        }
        Verb::Call { name, input } => {
            let text = match input.as_deref() {
                None => "{}".to_owned(),
                Some("-") => {
                    let mut s = String::new();
                    std::io::stdin()
                        .read_to_string(&mut s)
                        .map_err(|e| CmdError::internal(format!("无法读取标准输入：{e}")))?;
                    s
                }
                Some(s) => s.to_owned(),
            };
            let input: Value = serde_json::from_str(&text)
                .map_err(|e| CmdError::invalid("input", format!("输入不是有效的 JSON：{e}")))?;
            let mut session = open(&cli)?;
            progress_to_stderr(&mut session);
            measure::reset_peak();
            let reply = call(&mut session, name, input)?;
            measure::report_peak();
            print(&reply);
        }
        Verb::Demo { households, seed } => {
            let mut session = open(&cli)?;
            let opts = doudi_core::demo::DemoOptions {
                households: *households,
                seed: *seed,
            };
            let summary = doudi_core::demo::generate(&mut session, &opts)?;
            out(&summary.to_string());
        }
        Verb::Backup { dest } => {
            let mut session = open(&cli)?;
            print(&call(&mut session, "system.backup", json!({"dest": dest}))?);
        }
        Verb::Audit {
            what: AuditVerb::Verify,
        } => {
            let mut session = open(&cli)?;
            let v = call(&mut session, "audit.verify", json!({}))?;
            print(&v);
            if v["intact"] != json!(true) {
                return Ok(ExitCode::from(3));
            }
        }
        Verb::Serve(args) => serve(&cli, args)?,
        Verb::Bench {
            what: BenchVerb::Documents { out: dir },
        } => {
            let report =
                doudi_core::bench::documents_bench(dir.as_deref()).map_err(CmdError::from)?;
            out(&report.to_string());
        }
        Verb::Bench {
            what:
                BenchVerb::Payments {
                    households,
                    seed,
                    months,
                    keep,
                },
        } => payments_bench(*households, *seed, *months, keep.as_deref())?,
        Verb::Bench {
            what: BenchVerb::Ledger { households, seed },
        } => {
            let report = doudi_core::bench::ledger_bench(*households, *seed)?;
            out(&report.to_string());
        }
        Verb::Bench {
            what: BenchVerb::Rules { persons, seed },
        } => {
            let report = doudi_core::bench::rules_bench(*persons, *seed)?;
            out(&report.to_string());
        }
        Verb::Bench {
            what:
                BenchVerb::Serve {
                    clients,
                    seconds,
                    password,
                },
        } => {
            let db = cli.db.clone().ok_or_else(|| {
                CmdError::invalid(
                    "db",
                    "请用 --db 指定一个演示数据库（先运行 doudi --db 文件 demo）",
                )
            })?;
            let report = doudi_server::bench::load(
                &db,
                *clients,
                std::time::Duration::from_secs(*seconds),
                password,
            )
            .map_err(CmdError::internal)?;
            out(&report.to_string());
        }
        Verb::Bench {
            what: BenchVerb::Search { persons, seed },
        } => {
            let report = doudi_core::bench::search_bench(*persons, *seed, cli.db.as_deref())?;
            out(&report.to_string());
        }
    }
    Ok(ExitCode::SUCCESS)
}
