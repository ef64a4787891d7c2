//! `custom:*` — IFBench's fixed tasks: each id is one instruction with its own answer (count in
//! multiples of 7, list Africa's countries backwards, write given CSV tables, …) and no
//! parameters. None has a derivation: a response to another request never is such an answer.

pub mod character_reverse;
pub mod date_format_list;
pub mod multiples;
