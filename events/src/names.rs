//! Closed vocabularies spelled as on the command line (`party-committee`, `two-thirds`...).
//!
//! Each vocabulary is an enum with `as_str()` and `FromStr` using exactly the CLI spellings of
//! `CLI.md`; stored bytes hold the variant index, never the spelling.

use std::fmt;

/// A word that is not in a closed vocabulary (an unknown `--kind`, `--role`, `--stance`...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownName {
    /// What was being parsed, e.g. "organisation kind".
    pub what: &'static str,
    /// The rejected input.
    pub value: String,
    /// The accepted spellings, comma separated.
    pub expected: String,
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} `{}` (expected one of: {})",
            self.what, self.value, self.expected
        )
    }
}

impl std::error::Error for UnknownName {}

/// Declares a closed vocabulary: a `Copy` enum with `ALL`, `as_str`, `Display` and `FromStr`.
macro_rules! names {
    (
        $(#[$doc:meta])*
        $name:ident ($what:literal) {
            $( $(#[$vdoc:meta])* $var:ident => $s:literal ),+ $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        pub enum $name {
            $( $(#[$vdoc])* $var ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$var),+];

            /// The CLI spelling.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$var => $s ),+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::names::UnknownName;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $s => Ok($name::$var), )+
                    _ => Err($crate::names::UnknownName {
                        what: $what,
                        value: s.to_owned(),
                        expected: [$($s),+].join(", "),
                    }),
                }
            }
        }
    };
}

/// Shortens free text for a one-line summary: whitespace runs become one space, at most 80 characters.
pub(crate) fn brief(text: &str) -> String {
    const MAX: usize = 80;
    let flat: Vec<&str> = text.split_whitespace().collect();
    let flat = flat.join(" ");
    if flat.chars().count() <= MAX {
        flat
    } else {
        let cut: String = flat.chars().take(MAX - 1).collect();
        format!("{cut}…")
    }
}
