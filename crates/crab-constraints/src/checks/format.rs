//! `format:*` — the response's layout and marks (IFBench).

pub mod emoji;
pub mod line_indent;
pub mod list;
pub mod newline;
pub mod no_bullets_bullets;
pub mod no_whitespace;
pub mod options;
pub mod output_template;
pub mod parentheses;
pub mod quote_unquote;
pub mod quotes;
pub mod sub_bullets;
pub mod thesis;
pub mod title_case;
