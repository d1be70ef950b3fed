//! Destination templates: `{year}/{year}-{month}-{day}/{name}` and the like, parsed and
//! checked before anything moves.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Name,
    Stem,
    Ext,
    ExtLower,
    Make,
    Model,
    Counter,
}

impl Token {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "year" => Token::Year,
            "month" => Token::Month,
            "day" => Token::Day,
            "hour" => Token::Hour,
            "minute" => Token::Minute,
            "second" => Token::Second,
            "name" => Token::Name,
            "stem" => Token::Stem,
            "ext" => Token::Ext,
            "ext_lower" => Token::ExtLower,
            "make" => Token::Make,
            "model" => Token::Model,
            "counter" => Token::Counter,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Tok(Token),
}

/// A checked template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    source: String,
    pieces: Vec<Piece>,
}

/// What a template is filled with for one file.
#[derive(Debug, Clone, Default)]
pub struct Fields<'a> {
    /// `YYYY-MM-DDTHH:MM:SS` as the capture's wall clock.
    pub when: &'a str,
    pub name: &'a str,
    pub make: Option<&'a str>,
    pub model: Option<&'a str>,
    /// 1-based position of the file in its batch.
    pub counter: usize,
}

pub const DEFAULT: &str = "{year}/{year}-{month}-{day}/{name}";

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl Template {
    /// Parses and checks a template: known tokens only, a relative path with no `..`, and a
    /// file name part that names the file (`{name}`, `{stem}` or `{counter}`).
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut pieces = Vec::new();
        let mut rest = s;
        while !rest.is_empty() {
            match rest.find(['{', '}']) {
                None => {
                    pieces.push(Piece::Text(rest.to_owned()));
                    rest = "";
                }
                Some(i) if rest.as_bytes()[i] == b'}' => {
                    return Err(format!("template {s:?}: a '}}' with no '{{'"));
                }
                Some(i) => {
                    if i > 0 {
                        pieces.push(Piece::Text(rest[..i].to_owned()));
                    }
                    let end = rest[i..]
                        .find('}')
                        .ok_or_else(|| format!("template {s:?}: a '{{' with no '}}'"))?;
                    let name = &rest[i + 1..i + end];
                    let tok = Token::parse(name).ok_or_else(|| {
                        format!(
                            "template {s:?}: unknown token {{{name}}} (known: year month day hour minute second name stem ext ext_lower make model counter)"
                        )
                    })?;
                    pieces.push(Piece::Tok(tok));
                    rest = &rest[i + end + 1..];
                }
            }
        }
        if s.starts_with('/') || s.contains('\\') || s.contains('\0') {
            return Err(format!(
                "template {s:?}: must be a relative path with '/' between folders"
            ));
        }
        if s.split('/').any(|c| c.is_empty() || c == "." || c == "..") {
            return Err(format!("template {s:?}: an empty, '.' or '..' folder"));
        }
        let t = Template {
            source: s.to_owned(),
            pieces,
        };
        let last = s.rsplit('/').next().unwrap_or(s);
        if !["{name}", "{stem}", "{counter}"]
            .iter()
            .any(|k| last.contains(k))
        {
            return Err(format!(
                "template {s:?}: its file name must hold {{name}}, {{stem}} or {{counter}}"
            ));
        }
        Ok(t)
    }

    /// The relative destination of a file.
    pub fn render(&self, f: &Fields<'_>) -> String {
        let (stem, ext) = split_ext(f.name);
        let part = |a: usize, b: usize| f.when.get(a..b).unwrap_or("00").to_owned();
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Tok(t) => out.push_str(&match t {
                    Token::Year => part(0, 4),
                    Token::Month => part(5, 7),
                    Token::Day => part(8, 10),
                    Token::Hour => part(11, 13),
                    Token::Minute => part(14, 16),
                    Token::Second => part(17, 19),
                    Token::Name => clean(f.name),
                    Token::Stem => clean(stem),
                    Token::Ext => clean(ext),
                    Token::ExtLower => clean(&ext.to_lowercase()),
                    Token::Make => clean(f.make.unwrap_or("unknown")),
                    Token::Model => clean(f.model.unwrap_or("unknown")),
                    Token::Counter => format!("{:05}", f.counter),
                }),
            }
        }
        out
    }
}

/// A value fit for one path component: no separators, no NUL, not empty or dots.
fn clean(s: &str) -> String {
    let c: String = s
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c == '\0' {
                '_'
            } else {
                c
            }
        })
        .collect();
    let c = c.trim().to_owned();
    if c.is_empty() || c == "." || c == ".." {
        "_".into()
    } else {
        c
    }
}

/// `IMG_0001.JPG` → (`IMG_0001`, `JPG`); no extension → (name, "").
pub fn split_ext(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i + 1..]),
        _ => (name, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(name: &str) -> Fields<'_> {
        Fields {
            when: "2023-12-25T08:09:10",
            name,
            make: Some("Canon/EOS"),
            model: None,
            counter: 7,
        }
    }

    #[test]
    fn the_default_makes_dated_folders() {
        let t = Template::parse(DEFAULT).unwrap();
        assert_eq!(
            t.render(&fields("IMG_0001.JPG")),
            "2023/2023-12-25/IMG_0001.JPG"
        );
    }

    #[test]
    fn every_token_renders_and_values_cannot_make_folders() {
        let t = Template::parse(
            "{make}/{model}/{year}{month}{day}_{hour}{minute}{second}_{counter}_{stem}.{ext_lower}",
        )
        .unwrap();
        assert_eq!(
            t.render(&fields("IMG_0001.JPG")),
            "Canon_EOS/unknown/20231225_080910_00007_IMG_0001.jpg"
        );
    }

    #[test]
    fn bad_templates_are_refused_before_anything_moves() {
        for bad in [
            "{year}/{nme}",
            "{year}/{name",
            "{year}}/{name}",
            "/abs/{name}",
            "../{name}",
            "{year}//{name}",
            "{year}/{month}",
            "",
        ] {
            assert!(Template::parse(bad).is_err(), "{bad:?}");
        }
    }
}
