//! Which language people read: Japanese first, English for the rest.
//!
//! `--lang ja|en` wins; without it the language follows `LC_ALL`, `LC_MESSAGES` or `LANG`
//! (`ja_JP.UTF-8` → Japanese), and anything else is English. Every message the CLI prints goes
//! through [`Lang::pick`] with both texts side by side, so neither language can fall behind.

use clap::ValueEnum;

/// The language of messages, reports and pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 日本語
    Ja,
    /// English
    En,
}

impl Lang {
    /// Language from the locale environment variables.
    pub fn from_env() -> Self {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var) {
                if v.is_empty() {
                    continue;
                }
                return Self::from_locale(&v);
            }
        }
        Lang::En
    }

    /// Language of a locale name such as `ja_JP.UTF-8` or `C`.
    pub fn from_locale(locale: &str) -> Self {
        if locale.to_ascii_lowercase().starts_with("ja") {
            Lang::Ja
        } else {
            Lang::En
        }
    }

    /// The Japanese or the English text.
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_names() {
        assert_eq!(Lang::from_locale("ja_JP.UTF-8"), Lang::Ja);
        assert_eq!(Lang::from_locale("ja"), Lang::Ja);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("C.UTF-8"), Lang::En);
        assert_eq!(Lang::Ja.pick("はい", "yes"), "はい");
    }
}
