//! Configuration: typed structs whose defaults are `config/default.toml` (embedded in the
//! binary), with the user's file read over them. Unknown keys and wrong types are errors that
//! name the file, the key and the value. Where files live comes from the platform's
//! conventions (the `directories` crate) unless `--db` / `--config` say otherwise.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The commented default configuration, exactly as shipped.
pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub scan: ScanConfig,
    pub(crate) status: StatusConfig,
    pub(crate) identify: IdentifyConfig,
    pub probe: ProbeConfig,
    pub(crate) ui: UiConfig,
    pub organise: OrganiseConfig,
    /// Action name → keys (see `[keys]` in config/default.toml).
    pub keys: BTreeMap<String, Vec<String>>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            scan: ScanConfig::default(),
            status: StatusConfig::default(),
            identify: IdentifyConfig::default(),
            probe: ProbeConfig::default(),
            organise: OrganiseConfig::default(),
            ui: UiConfig::default(),
            keys: default_keys(),
        }
    }
}

/// The `[keys]` table of the shipped defaults.
pub fn default_keys() -> BTreeMap<String, Vec<String>> {
    #[derive(Deserialize)]
    struct KeysOnly {
        #[serde(default)]
        keys: BTreeMap<String, Vec<String>>,
    }
    // The embedded file is checked by a test; an unreadable one gives no defaults.
    let doc: toml::Table = toml::from_str(DEFAULT_TOML).unwrap_or_default();
    toml::Value::Table(doc)
        .try_into::<KeysOnly>()
        .map(|k| k.keys)
        .unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScanConfig {
    pub ignore: Vec<String>,
    pub follow_symlinks: bool,
    pub hash_threads: usize,
    pub batch_size: usize,
    /// How much of a large file a scan reads: all of it, or its ends only.
    pub hash: HashMode,
}

/// `scan.hash`: whether a scan reads large files whole for their full hash after it has
/// cataloged them by fingerprint (`full`, the default), or stops at the fingerprint
/// (`fingerprint`: moves are still recognised; duplicates need full hashes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HashMode {
    #[default]
    Full,
    Fingerprint,
}

impl HashMode {
    /// What becomes of a large file's full hash still to read, under this setting.
    pub fn pending_fate(self) -> &'static str {
        match self {
            HashMode::Full => "the next scan reads it",
            HashMode::Fingerprint => {
                "scan.hash is \"fingerprint\": only a scan with scan.hash = \"full\" reads it"
            }
        }
    }
}

impl Default for ScanConfig {
    fn default() -> Self {
        Self {
            ignore: [
                "**/@eaDir",
                "**/#recycle",
                "**/$RECYCLE.BIN",
                "**/System Volume Information",
                "**/lost+found",
                "**/Thumbs.db",
                "**/desktop.ini",
                "**/*.part",
                "**/*.!qB",
                "**/*.crdownload",
            ]
            .map(String::from)
            .to_vec(),
            follow_symlinks: true,
            hash_threads: 0,
            batch_size: 100_000,
            hash: HashMode::Full,
        }
    }
}

/// `[organise]`: how an inbox is emptied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OrganiseConfig {
    /// Where a file goes below DEST (see `shelf organise --help`).
    pub template: String,
    /// A file modified this recently is still being written: left for the next run.
    pub quiet_secs: u64,
    /// The offset videos' UTC creation times are shown at (`+02:00`), or empty.
    pub timezone: String,
    /// Where a file dated only by its mtime goes (a template), or empty: by its mtime.
    pub undated: String,
}

impl Default for OrganiseConfig {
    fn default() -> Self {
        Self {
            template: crate::organise::template::DEFAULT.into(),
            quiet_secs: 10,
            timezone: String::new(),
            undated: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StatusConfig {
    pub retention_days: u32,
    pub heartbeat_secs: u64,
}

impl Default for StatusConfig {
    fn default() -> Self {
        Self {
            retention_days: 60,
            heartbeat_secs: 10,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IdentifyConfig {
    pub confidence_threshold: f64,
    pub min_episode_secs: u64,
}

impl Default for IdentifyConfig {
    fn default() -> Self {
        Self {
            confidence_threshold: 0.8,
            min_episode_secs: 60,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProbeConfig {
    pub ffprobe: String,
    pub ffprobe_timeout_secs: u64,
}

impl Default for ProbeConfig {
    fn default() -> Self {
        Self {
            ffprobe: "ffprobe".into(),
            ffprobe_timeout_secs: 20,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UiConfig {
    /// Wheel scrolling and click-to-select; off leaves the mouse to the terminal.
    pub mouse: bool,
}

impl Default for UiConfig {
    fn default() -> Self {
        Self { mouse: true }
    }
}

impl ProbeConfig {
    /// Probe options, with ffprobe looked up once.
    pub(crate) fn options(&self) -> crate::probe::ProbeOptions {
        crate::probe::ProbeOptions {
            ffprobe: crate::probe::find_ffprobe(&self.ffprobe),
            ffprobe_timeout: std::time::Duration::from_secs(self.ffprobe_timeout_secs.max(1)),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path} is not valid: {problem}")]
    Invalid {
        path: PathBuf,
        problem: ConfigProblem,
    },
    #[error("cannot find a home directory to keep shelf's files in; pass --db and --config")]
    NoHome,
}

/// What is wrong inside a config file: its TOML (the parser's message names the key and
/// the value), or a value out of range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigProblem {
    #[error("{0}")]
    Toml(String),
    #[error("key `{key}` = {value}: {why}")]
    Value {
        key: &'static str,
        value: String,
        why: String,
    },
}

impl Config {
    /// Reads `path` over the defaults. A missing file at the *default* location is fine
    /// (defaults apply); a missing file that was asked for explicitly is an error.
    pub fn load(path: &Path, explicit: bool) -> Result<Config, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                return Ok(Config::default());
            }
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.to_owned(),
                    source,
                });
            }
        };
        Self::parse(&text).map_err(|problem| ConfigError::Invalid {
            path: path.to_owned(),
            problem,
        })
    }

    /// Parses TOML text over the defaults and checks the values.
    pub fn parse(text: &str) -> Result<Config, ConfigProblem> {
        let mut cfg: Config = toml::from_str(text)
            .map_err(|e| ConfigProblem::Toml(e.to_string().trim().to_owned()))?;
        // A user's [keys] rebinds the actions it names; the others keep their defaults.
        let mut keys = default_keys();
        keys.extend(std::mem::take(&mut cfg.keys));
        cfg.keys = keys;
        cfg.validate()?;
        Ok(cfg)
    }

    fn validate(&self) -> Result<(), ConfigProblem> {
        let bad = |key: &'static str, value: String, why: &str| {
            Err(ConfigProblem::Value {
                key,
                value,
                why: why.to_owned(),
            })
        };
        let t = self.identify.confidence_threshold;
        if !(0.0..=1.0).contains(&t) {
            return bad(
                "identify.confidence_threshold",
                t.to_string(),
                "must be between 0 and 1",
            );
        }
        if self.scan.batch_size == 0 {
            return bad("scan.batch_size", "0".into(), "must be at least 1");
        }
        if self.status.heartbeat_secs == 0 {
            return bad("status.heartbeat_secs", "0".into(), "must be at least 1");
        }
        for g in &self.scan.ignore {
            if let Err(e) = globset::Glob::new(g) {
                return bad(
                    "scan.ignore",
                    format!("{g:?}"),
                    &format!("a bad pattern: {e}"),
                );
            }
        }
        Ok(())
    }
}

/// Where shelf keeps its files.
#[derive(Debug, Clone, Serialize)]
pub struct Locations {
    pub config: PathBuf,
    pub db: PathBuf,
    pub log_dir: PathBuf,
    pub config_explicit: bool,
}

impl Locations {
    /// The platform's places, overridden by `--config` / `--db` when given. With `--db`
    /// and no platform home, logs go beside the catalog.
    pub fn resolve(config: Option<PathBuf>, db: Option<PathBuf>) -> Result<Self, ConfigError> {
        let dirs = directories::ProjectDirs::from("", "", "shelf");
        let config_explicit = config.is_some();
        let config = match (config, &dirs) {
            (Some(p), _) => p,
            (None, Some(d)) => d.config_dir().join("config.toml"),
            (None, None) => return Err(ConfigError::NoHome),
        };
        let db = match (db, &dirs) {
            (Some(p), _) => p,
            (None, Some(d)) => d.data_dir().join("catalog.db"),
            (None, None) => return Err(ConfigError::NoHome),
        };
        let log_dir = match &dirs {
            Some(d) => d.state_dir().unwrap_or(d.data_dir()).join("logs"),
            None => db
                .parent()
                .map(|p| p.join("logs"))
                .unwrap_or_else(|| PathBuf::from("logs")),
        };
        Ok(Self {
            config,
            db,
            log_dir,
            config_explicit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_default_file_equals_the_built_in_defaults() {
        assert_eq!(Config::parse(DEFAULT_TOML).unwrap(), Config::default());
    }

    #[test]
    fn user_file_overrides_only_what_it_names() {
        let c = Config::parse("[scan]\nbatch_size = 50\n").unwrap();
        assert_eq!(c.scan.batch_size, 50);
        assert_eq!(c.scan.ignore, ScanConfig::default().ignore);
        assert_eq!(c.status, StatusConfig::default());
    }

    #[test]
    fn a_user_keymap_rebinds_only_what_it_names() {
        let c = Config::parse("[keys]\nquit = [\"Q\", \"ctrl-c\"]\n").unwrap();
        assert_eq!(c.keys["quit"], vec!["Q".to_string(), "ctrl-c".to_string()]);
        assert_eq!(c.keys["down"], vec!["j".to_string(), "down".to_string()]);
    }

    #[test]
    fn errors_name_the_key_and_value() {
        let e = Config::parse("[scan]\nbatch_size = \"lots\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("batch_size"), "{e}");
        assert!(e.contains("lots"), "{e}");
        let e = Config::parse("[scan]\nbatchsize = 3\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("batchsize"), "{e}");
        let e = Config::parse("[identify]\nconfidence_threshold = 1.5\n").unwrap_err();
        assert_eq!(
            e,
            ConfigProblem::Value {
                key: "identify.confidence_threshold",
                value: "1.5".into(),
                why: "must be between 0 and 1".into()
            }
        );
        assert!(e.to_string().contains("1.5"), "{e}");
    }
}
