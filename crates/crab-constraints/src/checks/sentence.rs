//! `sentence:*` — how successive sentences relate, and what a given sentence holds (IFBench).

pub mod alliteration_increment;
pub mod increment;
pub mod keyword;
