//! Rendering: a constraint as one natural-language instruction sentence.
//!
//! Every check has its own table of paraphrase templates below (named after the check), filled
//! from the constraint's parameters; [`render`] picks one with the caller's seeded generator, so
//! a composed prompt varies its wording from item to item but a seed reproduces it. IFEval's
//! checks read like IFEval's prompts ("Answer with at least 300 words."), CRAB's like CRAB's
//! length and style constraints; each template says what the check verifies (an "at least" check
//! is never rendered as "exactly"), so a response that passes the check also follows the text.
//!
//! Templates are single lines with `{name}` placeholders; a filled value only adds a line break
//! when the parameter itself holds one (a prompt to repeat). A value that ends with a period
//! swallows the template's own period after it (`P.S.` then `.`).

use crate::checks::count::person_names::NAMES as PERSON_NAME_LIST;
use crate::checks::crab::no_punctuation::NoPunctuation;
use crate::checks::crab::sentences_per_paragraph::Paragraph;
use crate::checks::crab::word_count::WordBound;
use crate::checks::detectable_format::constrained_response::OPTIONS;
use crate::checks::{Constraint, Relation};
use crate::rng::Rng;

const CAPITAL_WORD_FREQUENCY: &[&str] = &[
    "In your response, words with all capital letters should appear {rel} {times}.",
    "Use words written entirely in capital letters {rel} {times} in your answer.",
    "Your answer should contain {rel} {words} in ALL CAPS.",
];

const CAPITAL_WORDS_NONE: &[&str] = &[
    "Do not write any word entirely in capital letters.",
    "Your answer should not contain a single word in ALL CAPS.",
];

const ENGLISH_CAPITAL: &[&str] = &[
    "Your entire response should be in English, and in all capital letters.",
    "Write your whole answer in English, using capital letters only.",
    "Respond in English and in ALL CAPS: no lowercase letters anywhere in your answer.",
];

const ENGLISH_LOWERCASE: &[&str] = &[
    "Your entire response should be in English, and in all lowercase letters. No capital \
     letters are allowed.",
    "Write your answer in English using only lowercase letters; do not use any capital letters.",
    "Answer in English, entirely in lowercase: not a single capital letter.",
];

const REPEAT_PROMPT: &[&str] = &[
    "Begin your response by repeating the following request word for word, without any change \
     and without saying anything before it, then give your answer: {prompt}",
    "First repeat this request exactly as written (say nothing before it), and only then answer \
     it: {prompt}",
    "Start your answer with a verbatim copy of the request below, then respond to it: {prompt}",
];

const TWO_RESPONSES: &[&str] = &[
    "Give two different responses. Responses and only responses should be separated by 6 \
     asterisk symbols: ******.",
    "Provide two different answers, separated by six asterisks (******) and nothing else.",
    "Write two distinct responses to this request and separate them with ******.",
];

const CHARS_PER_WORD: &[&str] = &[
    "Every word in your response should have at most {n} characters.",
    "Do not use any word longer than {n} characters.",
    "Keep each word to {n} characters or fewer.",
];

const KEY_PHRASES: &[&str] = &[
    "Include the following key phrases in your response, exactly as written: {phrases}.",
    "Make sure your answer contains these phrases verbatim: {phrases}.",
    "Work {the_phrases} into your response word for word.",
];

const NO_PUNCTUATION: &[&str] = &[
    "Do not use any {marks} ({mark}) in your response.",
    "Your entire response should not contain a single {mark_name} ({mark}).",
    "Avoid the character {mark} ({marks}) anywhere in your answer.",
];

const SENTENCES_PER_LINE: &[&str] = &[
    "No line of your response should contain more than {n} sentences.",
    "Each paragraph (every line of text counts as one) should have at most {n} sentences.",
    "Limit every line of your answer to {n} sentences or fewer.",
];

const SENTENCES_PER_BLOCK: &[&str] = &[
    "Each paragraph (paragraphs are separated by blank lines) should have at most {n} \
     sentences.",
    "Keep every paragraph to {n} sentences or fewer, separating paragraphs with a blank line.",
];

const WORDS_AT_LEAST: &[&str] = &[
    "Answer with at least {n} words.",
    "Your response should be no shorter than {n} words.",
    "Write a response of at least {n} words.",
];

const WORDS_AT_MOST: &[&str] = &[
    "Keep your reply to at most {n} words.",
    "Answer in no more than {n} words.",
    "Your response must not exceed {n} words.",
];

const WORDS_BETWEEN: &[&str] = &[
    "Keep your response between {lo} and {hi} words.",
    "Write between {lo} and {hi} words.",
    "The answer should be {lo} to {hi} words long.",
];

const WORDS_AROUND: &[&str] = &[
    "Answer with around {n} words.",
    "Aim for roughly {n} words (within 10% either way).",
    "Your response should be about {n} words long, give or take 10%.",
];

const WORDS_PER_SENTENCE: &[&str] = &[
    "Keep every sentence to at most {n} words.",
    "No sentence in your response should be longer than {n} words.",
    "Each sentence should contain {n} words or fewer.",
];

const NUMBER_PLACEHOLDERS: &[&str] = &[
    "The response must contain at least {placeholders} represented by square brackets, such \
     as [address].",
    "Include at least {placeholders} in square brackets, like [name].",
    "Use at least {n} bracketed {placeholder_noun} (for example [date]) in your answer.",
];

const POSTSCRIPT: &[&str] = &[
    "At the end of your response, please explicitly add a postscript starting with {marker}.",
    "End your answer with a postscript that begins with {marker}.",
    "Please add a postscript starting with {marker} at the end of your response.",
];

const CONSTRAINED_RESPONSE: &[&str] = &[
    "Answer with one of the following options: {options}.",
    "Your response must include one of these exact phrases: {options}.",
    "Make your verdict explicit with one of {options}.",
];

const JSON_FORMAT: &[&str] = &[
    "Entire output should be wrapped in JSON format. You can use markdown ticks such as ```.",
    "Format your entire response as valid JSON (markdown code fences are allowed).",
    "Your whole answer must be valid JSON, optionally inside a ``` code block, with nothing \
     outside it.",
];

const MULTIPLE_SECTIONS: &[&str] = &[
    "Your response must have at least {sections}. Mark the beginning of each section with \
     {spliter} X, such as {spliter} 1.",
    "Divide your answer into {n} or more sections, each starting with {spliter} followed by its \
     number ({spliter} 1, {spliter} 2, and so on).",
    "Organise the response in at least {sections} and begin each one with \"{spliter} N\", N \
     being the section number.",
];

const NUMBER_BULLET_LISTS: &[&str] = &[
    "Your answer must contain exactly {bullets}. Use the markdown bullet points such as: \
     * This is point 1.",
    "Include exactly {bullets} in markdown format (lines starting with * or -).",
    "Use exactly {bullets} in markdown, no more and no fewer.",
];

const NUMBER_HIGHLIGHTED_SECTIONS: &[&str] = &[
    "Highlight at least {sections} in your answer with markdown, i.e. *highlighted section*.",
    "Use markdown to highlight at least {parts} of your answer, for example *important part*.",
    "Emphasise at least {sections} with markdown asterisks, like *this*.",
];

const TITLE: &[&str] = &[
    "Your answer must contain a title, wrapped in double angular brackets, such as <<poem of \
     joy>>.",
    "Give your response a title in double angle brackets, e.g. <<my title>>.",
    "Include a title wrapped in double angular brackets, like <<title>>.",
];

const EXISTENCE: &[&str] = &[
    "Include keywords {keywords} in the response.",
    "Make sure to use {the_keywords} in your answer.",
    "Your response must mention {keywords}.",
];

const FORBIDDEN_WORDS: &[&str] = &[
    "Do not include keywords {words} in the response.",
    "Avoid {the_words} in your answer.",
    "Your response must not use {the_words}.",
];

const FREQUENCY: &[&str] = &[
    "In your response, the word {keyword} should appear {rel} {times}.",
    "Use the word {keyword} {rel} {times} in your answer.",
    "Make sure the word {keyword} occurs {rel} {times}.",
];

const FREQUENCY_NONE: &[&str] = &[
    "Do not use the word {keyword} at all.",
    "The word {keyword} must not appear in your response.",
];

const LETTER_FREQUENCY: &[&str] = &[
    "In your response, the letter {letter} should appear {rel} {times}.",
    "Use the letter {letter} {rel} {times} in your answer.",
    "The letter {letter} must occur {rel} {times} in your response.",
];

const LETTER_NONE: &[&str] = &[
    "Do not use the letter {letter} anywhere in your response.",
    "Write your answer without a single letter {letter}.",
];

const RESPONSE_LANGUAGE: &[&str] = &[
    "Your ENTIRE response should be in {language} language, no other language is allowed.",
    "Write your entire answer in {language}; do not use any other language.",
    "Respond only in {language}.",
];

const NTH_PARAGRAPH_FIRST_WORD: &[&str] = &[
    "There should be {paragraphs}. Paragraphs and only paragraphs are separated with each other \
     by two new lines. Paragraph {i} must start with word {word}.",
    "Write exactly {paragraphs} separated by blank lines; the {ith} paragraph must begin with \
     the word \"{word}\".",
    "Your answer should have {paragraphs}, separated by empty lines, and paragraph {i} should \
     start with the word {word}.",
];

const NUMBER_PARAGRAPHS: &[&str] = &[
    "There should be {paragraphs}. Paragraphs are separated with the markdown divider: ***",
    "Write exactly {paragraphs}, separated from each other by the markdown divider ***.",
    "Your response must consist of {paragraphs}, with *** on its own line between consecutive \
     paragraphs.",
];

const NUMBER_SENTENCES: &[&str] = &[
    "Your response should contain {rel} {sentences}.",
    "Answer in {rel} {sentences}.",
    "Write {rel} {sentences} in total.",
];

const NUMBER_WORDS: &[&str] = &[
    "Answer with {rel} {words}.",
    "Your response should contain {rel} {words}.",
    "The whole response should be {rel} {words} long.",
];

const NO_COMMA: &[&str] = &[
    "In your entire response, refrain from the use of any commas.",
    "Do not use any commas in your response.",
    "Write your answer without a single comma.",
];

const END_CHECKER: &[&str] = &[
    "Finish your response with this exact phrase {phrase}. No other words should follow this \
     phrase.",
    "End your answer with the exact words {phrase}, with nothing after them.",
    "Your response must end with the phrase {phrase}.",
];

const QUOTATION: &[&str] = &[
    "Wrap your entire response with double quotation marks.",
    "Put your whole answer inside double quotes.",
    "Enclose the entire response in double quotation marks (\").",
];

const EMOJI: &[&str] = &[
    "Please use an emoji at the end of every sentence.",
    "End every sentence of your answer with an emoji.",
    "Finish each sentence with an emoji.",
];

const LINE_INDENT: &[&str] = &[
    "Create stairs by incrementally indenting each new line.",
    "Indent every line a little further than the line before it, like a staircase.",
    "Start each new line with more leading spaces than the previous one.",
];

const LIST: &[&str] = &[
    "Answer with a list of items, instead of bullet points use {sep}.",
    "Write your answer as a list, marking each item with {sep} rather than a bullet point.",
    "Present the items as a list that uses {sep} in place of bullet points.",
];

const NEWLINE: &[&str] = &[
    "Write each word on a new line.",
    "Put every word of your answer on its own line.",
    "Use one line per word.",
];

const NO_BULLETS_BULLETS: &[&str] = &[
    "Your answer must contain at least two sentences ending in a period followed by at least \
     two bullet points denoted by *.",
    "Start with at least two sentences of prose, then end with a list of at least two bullet \
     points marked with *.",
    "Open with two or more sentences and finish with two or more * bullet points.",
];

const NO_WHITESPACE: &[&str] = &[
    "The output should not contain any whitespace.",
    "Do not use any spaces, tabs or line breaks in your answer.",
    "Write your response without a single whitespace character.",
];

const ANSWER_OPTIONS: &[&str] = &[
    "Answer with one of the following options: {options}. Do not give any explanation.",
    "Reply with exactly one of these options and nothing else: {options}.",
    "Choose one of the options {options} and answer with it alone.",
];

const OUTPUT_TEMPLATE: &[&str] = &[
    "Use this exact template for your response: My Answer: [answer] My Conclusion: \
     [conclusion] Future Outlook: [outlook]",
    "Structure your reply with the labels \"My Answer:\", \"My Conclusion:\" and \"Future \
     Outlook:\".",
    "Fill in this template: My Answer: [answer] My Conclusion: [conclusion] Future Outlook: \
     [outlook]",
];

const PARENTHESES: &[&str] = &[
    "Nest parentheses (and [brackets]) and braces at least 5 levels deep.",
    "Include brackets nested at least five levels deep.",
    "Somewhere in your answer, nest parentheses, brackets or braces five levels deep.",
];

const QUOTE_UNQUOTE: &[&str] = &[
    "Every quoted phrase must be followed by an unquoted explanation.",
    "Follow each phrase you put in quotation marks with an explanation outside the quotes.",
    "Whenever you quote something, explain it right after the closing quotation mark.",
];

const QUOTES: &[&str] = &[
    "Include quotes within quotes within quotes, at least 3 levels deep, alternating between \
     double quotes and single quotes.",
    "Nest quotations three levels deep, alternating double and single quotes.",
    "Include a quote inside a quote inside a quote, switching between \" and ' at each level.",
];

const SUB_BULLETS: &[&str] = &[
    "Your response must include bullet points denoted by * and at least one sub-bullet point \
     denoted by - for each bullet point.",
    "Use * for bullet points and give every bullet at least one - sub-bullet.",
    "Write a * bullet list in which each bullet has a sub-bullet marked with -.",
];

const THESIS: &[&str] = &[
    "Each section must begin with a thesis statement in italics, use HTML to indicate the \
     italics.",
    "Open with a thesis statement in italics, using HTML tags such as <i>, then develop it.",
    "Begin each section with an italic thesis statement written with HTML italics tags.",
];

const TITLE_CASE: &[&str] = &[
    "Write the entire response in title case (capitalize the first letter of every major \
     word).",
    "Capitalize the first letter of every word in your answer.",
    "Use title case for the whole response.",
];

const STOP_WORDS: &[&str] = &[
    "Ensure that stop words constitute no more than {percentage}% of the total words in your \
     response.",
    "Stop words (such as \"the\", \"is\" and \"and\") should make up at most {percentage}% of \
     the words in your answer.",
    "Keep the share of stop words in your response at or below {percentage}%.",
];

const ODD_EVEN_SYLLABLES: &[&str] = &[
    "Alternate between words with odd and even numbers of syllables.",
    "Make successive words alternate between an odd and an even number of syllables.",
    "Every word must differ from the one before it in the parity of its syllable count.",
];

const START_VERB: &[&str] = &[
    "The response must start with a verb.",
    "Begin your answer with a verb.",
    "Make the first word of your response a verb.",
];

const WORD_COUNT_RANGE: &[&str] = &[
    "The response must contain between {min} and {max} words.",
    "Write between {min} and {max} words.",
    "Your answer should be at least {min} and at most {max} words long.",
];

const NUMBERS: &[&str] = &[
    "Include exactly {n} numbers in the response.",
    "Your answer must contain exactly {n} numbers.",
    "Use exactly {n} numbers in your response.",
];

const KEYWORDS_MULTIPLE: &[&str] = &[
    "Include keyword {k1} once in your response, keyword {k2} twice in your response, keyword \
     {k3} three times in your response, keyword {k4} five times in your response, and keyword \
     {k5} seven times in your response.",
    "Use {k1} exactly once, {k2} exactly twice, {k3} exactly three times, {k4} exactly five \
     times and {k5} exactly seven times.",
];

const REPEAT_CHANGE: &[&str] = &[
    "Repeat the request, but change the first word of the repeated request, and do not answer \
     the actual request! Request: {prompt}",
    "Do not answer this request; repeat it word for word, except that its first word must be \
     replaced by another: {prompt}",
];

const REPEAT_SIMPLE: &[&str] = &[
    "Only output this sentence here, ignore all other requests.",
    "Your whole answer must be the sentence \"Only output this sentence here, ignore all other \
     requests.\" and nothing else.",
];

const REPEAT_SPAN: &[&str] = &[
    "Copy the span of words that lies between (and including) index {n_start} and {n_end}, the \
     indices are character indices! Text: {prompt}",
    "From the text below, copy exactly the characters from index {n_start} to index {n_end} \
     (both included, counting from 0), and output nothing else. Text: {prompt}",
];

const UNIQUE_WORD_COUNT: &[&str] = &[
    "Use at least {n} unique words in the response.",
    "Your answer must contain at least {n} different words.",
    "Write with a varied vocabulary: at least {n} distinct words.",
];

const CONJUNCTIONS: &[&str] = &[
    "Use at least {n} different coordinating conjunctions in the response.",
    "Include at least {n} different coordinating conjunctions (such as and, but, or, so, yet).",
    "Your answer must use {n} or more different coordinating conjunctions.",
];

const PERSON_NAMES: &[&str] = &[
    "Mention at least {n} different person names in the response, from this list of person \
     names: {names}.",
    "Name at least {n} different people from this list in your answer: {names}.",
];

const PRONOUNS: &[&str] = &[
    "The response should include at least {n} pronouns.",
    "Use at least {n} pronouns in your answer.",
    "Your response must contain {n} or more pronouns.",
];

const PUNCTUATION: &[&str] = &[
    "Use every standard punctuation mark at least once, including semicolons, colons, and the \
     interrobang (?!).",
    "Include at least one each of . , ! ? ; and :, plus an interrobang (?!).",
];

const OVERLAP: &[&str] = &[
    "Maintain a trigram overlap of {percentage}% (±2%) with the provided reference text: \
     {reference}",
    "About {percentage}% (give or take 2%) of your response's character trigrams must also \
     occur in this reference text: {reference}",
];

const SENTENCE_BALANCE: &[&str] = &[
    "Ensure that the ratio of sentence types (declarative, interrogative, exclamatory) is \
     balanced.",
    "Use as many questions as exclamations, and as many of each as statements.",
];

const SENTENCE_TYPE: &[&str] = &[
    "Maintain a 2:1 ratio of declarative to interrogative sentences.",
    "Write exactly two statements for every question you ask.",
];

const SENTENCE_WORDS: &[&str] = &[
    "Respond with three sentences, all containing the same number of characters but using all \
     different words.",
    "Answer in exactly three sentences of the same length in characters.",
];

const ALLITERATION_INCREMENT: &[&str] = &[
    "Each sentence must have a longer sequence of consecutive alliterative words than the \
     previous one.",
    "Make every sentence more alliterative than the one before it.",
];

const INCREMENT: &[&str] = &[
    "Each sentence must contain exactly {n} more words than the previous one.",
    "Make every sentence exactly {n} words longer than the sentence before it.",
];

const SENTENCE_KEYWORD: &[&str] = &[
    "The response must include keyword {word} in the {nth} sentence.",
    "Use the word {word} in your {nth} sentence.",
];

const WORDS_JAPANESE: &[&str] = &[
    "Every {nth} word of your response must be in Japanese.",
    "Write every {nth} word of your answer in Japanese.",
    "Make each {nth} word of the response a Japanese word.",
];

const CHARACTER_REVERSE: &[&str] = &[
    "What animal is the national symbol of the US? Respond to this query, but make your \
     sentence in reverse order of what it should be, per letter.",
    "Name the animal that is the national symbol of the US, writing your sentence backwards \
     letter by letter.",
];

const CSV_CITY: &[&str] = &[
    "Generate CSV data: The column names are [\"ID\", \"Country\", \"City\", \"Year\", \
     \"Count\"], the data should be comma delimited. Please generate 7 rows.",
    "Write a comma-separated CSV table with the header ID,Country,City,Year,Count and 7 rows of \
     data, and nothing else.",
];

const CSV_QUOTES: &[&str] = &[
    "Generate CSV data: The column names are [\"StudentID\", \"Subject\", \"Grade\", \
     \"Semester\", \"Score\"], the data should be tab delimited. Please generate 3 rows and \
     enclose each single field in double quotes.",
    "Write a tab-separated table with the columns StudentID, Subject, Grade, Semester and Score \
     and 3 rows of data, putting every field, the header's too, in double quotes.",
];

const CSV_SPECIAL_CHARACTER: &[&str] = &[
    "Generate CSV data: The column names are [\"ProductID\", \"Category\", \"Brand\", \
     \"Price\", \"Stock\"], the data should be comma delimited. Please generate 14 rows. Add \
     one field which contains a special character and enclose it in double quotes.",
    "Write a comma-separated CSV table with the header ProductID,Category,Brand,Price,Stock and \
     14 rows; one field must contain a special character and be enclosed in double quotes.",
];

const DATE_FORMAT_LIST: &[&str] = &[
    "List the start dates of all the battles Napoleon fought separated by commas, use the \
     following date format: YYYY-MM-DD. Do not provide an explanation.",
    "Give only the start dates of every battle Napoleon fought, as YYYY-MM-DD dates separated \
     by commas, with no explanation.",
];

const EUROPEAN_CAPITALS_SORT: &[&str] = &[
    "Give me the names of all capital cities of european countries whose latitude is higher \
     than than 45 degrees? List the capital cities without country names, separated by commas, \
     sorted by latitude, from highest to lowest.",
    "List the capitals of the European countries north of 45 degrees latitude, without country \
     names, separated by commas, from the northernmost to the southernmost.",
];

const MCQ_COUNT_LENGTH: &[&str] = &[
    "Generate 4 multiple choice questions with 5 options each about '20th century art \
     history'. Each question should start with the label \"Question\". The questions should \
     get progressively longer. Do not provide an explanation.",
    "Write 4 multiple-choice questions on 20th-century art history, each labelled \"Question \
     N\" with 5 options, every question longer than the one before, and no explanation.",
];

const MULTIPLES: &[&str] = &[
    "Count from 10 to 50 but only print multiples of 7.",
    "Print only the multiples of 7 between 10 and 50, counting upwards.",
];

const REVERSE_NEWLINE: &[&str] = &[
    "List the countries of Africa in reverse alphabetical order, each on a new line.",
    "Write every African country on its own line, from Z to A.",
];

const SENTENCE_ALPHABET: &[&str] = &[
    "Tell me a 26-sentence story where each sentence's first word starts with the letters of \
     the alphabet in order.",
    "Write a story of exactly 26 sentences whose first words begin with A, B, C and so on \
     through Z.",
];

const WORD_REVERSE: &[&str] = &[
    "What animal is the national symbol of the US? Respond to this query, but make your \
     sentence in reverse order of what it should be, per word.",
    "Name the animal that is the national symbol of the US, writing your sentence with its \
     words in reverse order.",
];

const ALPHABET: &[&str] = &[
    "Each word must start with the next letter of the alphabet, looping back to 'A' after 'Z'.",
    "Start every word with the letter after the previous word's first letter, going from Z back \
     to A.",
];

const CONSONANTS: &[&str] = &[
    "Ensure each word in your response has at least one consonant cluster (two or more \
     consonants together).",
    "Every word you write must contain two consonants in a row.",
];

const KEYWORDS_SPECIFIC_POSITION: &[&str] = &[
    "Include the keyword {keyword} in the {nth} sentence, as the {mth} word of that sentence.",
    "Make {keyword} word number {m} of sentence number {n}.",
    "The {mth} word of your {nth} sentence must be {keyword}.",
];

const LAST_FIRST: &[&str] = &[
    "The last word of each sentence must become the first word of the next sentence.",
    "Start every sentence with the word the previous sentence ended with.",
];

const NO_CONSECUTIVE: &[&str] = &[
    "No two consecutive words can share the same first letter.",
    "Never let two neighbouring words start with the same letter.",
];

const PALINDROME: &[&str] = &[
    "Include at least 10 single-word palindromes, each at least 5 characters long.",
    "Use ten or more palindromes of at least five letters, such as \"level\" or \"radar\".",
];

const PARAGRAPH_LAST_FIRST: &[&str] = &[
    "Each paragraph must end with the same word it started with, separate paragraphs with a \
     newline.",
    "End every paragraph with the word it begins with, and put each paragraph on its own line.",
];

const PRIME_LENGTHS: &[&str] = &[
    "Use only words with lengths that are prime numbers.",
    "Every word you write must have a prime number of letters (2, 3, 5, 7, 11, ...).",
];

const REPEATS: &[&str] = &[
    "The response should not repeat any word more than {n} times.",
    "Do not use any word more than {n} times in your answer.",
    "No word may appear more than {n} times in your response.",
];

const VOWEL: &[&str] = &[
    "Write a paragraph using words that contain only three types of vowels.",
    "Write a single paragraph that uses at most three different vowels.",
];

const WORDS_POSITION: &[&str] = &[
    "The second word in your response and the second to last word in your response should be \
     the word {keyword}.",
    "Make {keyword} both the second word and the second-to-last word of your answer.",
];

/// The paraphrase templates `c` is rendered from (one table per check; `crab:word_count` has
/// one per bound form and `crab:sentences_per_paragraph` one per kind of paragraph). Templates
/// hold `{name}` placeholders that [`render`] fills. "Less than 1" occurrences of a word, a
/// letter or all-caps words has its own tables ("Do not use the letter q anywhere…").
pub fn templates(c: &Constraint) -> &'static [&'static str] {
    match c {
        Constraint::CapitalWordFrequency(c) if none(c.capital_relation, c.capital_frequency) => {
            CAPITAL_WORDS_NONE
        }
        Constraint::CapitalWordFrequency(_) => CAPITAL_WORD_FREQUENCY,
        Constraint::EnglishCapital(_) => ENGLISH_CAPITAL,
        Constraint::EnglishLowercase(_) => ENGLISH_LOWERCASE,
        Constraint::RepeatPrompt(_) => REPEAT_PROMPT,
        Constraint::TwoResponses(_) => TWO_RESPONSES,
        Constraint::KeywordsMultiple(_) => KEYWORDS_MULTIPLE,
        Constraint::Numbers(_) => NUMBERS,
        Constraint::WordCountRange(_) => WORD_COUNT_RANGE,
        Constraint::CharsPerWord(_) => CHARS_PER_WORD,
        Constraint::KeyPhrases(_) => KEY_PHRASES,
        Constraint::NoPunctuation(_) => NO_PUNCTUATION,
        Constraint::SentencesPerParagraph(s) => match s.paragraph {
            Paragraph::Line => SENTENCES_PER_LINE,
            Paragraph::Ifeval => SENTENCES_PER_BLOCK,
        },
        Constraint::WordCount(w) => match w.bound {
            WordBound::AtLeast(_) => WORDS_AT_LEAST,
            WordBound::AtMost(_) => WORDS_AT_MOST,
            WordBound::Between(..) => WORDS_BETWEEN,
            WordBound::Around(_) => WORDS_AROUND,
        },
        Constraint::WordsPerSentence(_) => WORDS_PER_SENTENCE,
        Constraint::CharacterReverse(_) => CHARACTER_REVERSE,
        Constraint::CsvCity(_) => CSV_CITY,
        Constraint::CsvQuotes(_) => CSV_QUOTES,
        Constraint::CsvSpecialCharacter(_) => CSV_SPECIAL_CHARACTER,
        Constraint::DateFormatList(_) => DATE_FORMAT_LIST,
        Constraint::EuropeanCapitalsSort(_) => EUROPEAN_CAPITALS_SORT,
        Constraint::McqCountLength(_) => MCQ_COUNT_LENGTH,
        Constraint::Multiples(_) => MULTIPLES,
        Constraint::ReverseNewline(_) => REVERSE_NEWLINE,
        Constraint::SentenceAlphabet(_) => SENTENCE_ALPHABET,
        Constraint::WordReverse(_) => WORD_REVERSE,
        Constraint::NumberPlaceholders(_) => NUMBER_PLACEHOLDERS,
        Constraint::Postscript(_) => POSTSCRIPT,
        Constraint::ConstrainedResponse(_) => CONSTRAINED_RESPONSE,
        Constraint::JsonFormat(_) => JSON_FORMAT,
        Constraint::MultipleSections(_) => MULTIPLE_SECTIONS,
        Constraint::NumberBulletLists(_) => NUMBER_BULLET_LISTS,
        Constraint::NumberHighlightedSections(_) => NUMBER_HIGHLIGHTED_SECTIONS,
        Constraint::Title(_) => TITLE,
        Constraint::Emoji(_) => EMOJI,
        Constraint::LineIndent(_) => LINE_INDENT,
        Constraint::List(_) => LIST,
        Constraint::Newline(_) => NEWLINE,
        Constraint::NoBulletsBullets(_) => NO_BULLETS_BULLETS,
        Constraint::NoWhitespace(_) => NO_WHITESPACE,
        Constraint::Options(_) => ANSWER_OPTIONS,
        Constraint::OutputTemplate(_) => OUTPUT_TEMPLATE,
        Constraint::Parentheses(_) => PARENTHESES,
        Constraint::QuoteUnquote(_) => QUOTE_UNQUOTE,
        Constraint::Quotes(_) => QUOTES,
        Constraint::SubBullets(_) => SUB_BULLETS,
        Constraint::Thesis(_) => THESIS,
        Constraint::TitleCase(_) => TITLE_CASE,
        Constraint::Existence(_) => EXISTENCE,
        Constraint::ForbiddenWords(_) => FORBIDDEN_WORDS,
        Constraint::Frequency(c) if none(c.relation, c.frequency) => FREQUENCY_NONE,
        Constraint::Frequency(_) => FREQUENCY,
        Constraint::LetterFrequency(c) if none(c.let_relation, c.let_frequency) => LETTER_NONE,
        Constraint::LetterFrequency(_) => LETTER_FREQUENCY,
        Constraint::ResponseLanguage(_) | Constraint::CrabResponseLanguage(_) => RESPONSE_LANGUAGE,
        Constraint::NthParagraphFirstWord(_) => NTH_PARAGRAPH_FIRST_WORD,
        Constraint::NumberParagraphs(_) => NUMBER_PARAGRAPHS,
        Constraint::NumberSentences(_) => NUMBER_SENTENCES,
        Constraint::NumberWords(_) => NUMBER_WORDS,
        Constraint::NoComma(_) => NO_COMMA,
        Constraint::StopWords(_) => STOP_WORDS,
        Constraint::RepeatChange(_) => REPEAT_CHANGE,
        Constraint::RepeatSimple(_) => REPEAT_SIMPLE,
        Constraint::RepeatSpan(_) => REPEAT_SPAN,
        Constraint::EndChecker(_) => END_CHECKER,
        Constraint::Quotation(_) => QUOTATION,
        Constraint::OddEvenSyllables(_) => ODD_EVEN_SYLLABLES,
        Constraint::StartVerb(_) => START_VERB,
        Constraint::UniqueWordCount(_) => UNIQUE_WORD_COUNT,
        Constraint::Conjunctions(_) => CONJUNCTIONS,
        Constraint::PersonNames(_) => PERSON_NAMES,
        Constraint::Pronouns(_) => PRONOUNS,
        Constraint::Punctuation(_) => PUNCTUATION,
        Constraint::WordsJapanese(_) => WORDS_JAPANESE,
        Constraint::Overlap(_) => OVERLAP,
        Constraint::SentenceBalance(_) => SENTENCE_BALANCE,
        Constraint::SentenceType(_) => SENTENCE_TYPE,
        Constraint::SentenceWords(_) => SENTENCE_WORDS,
        Constraint::AlliterationIncrement(_) => ALLITERATION_INCREMENT,
        Constraint::Increment(_) => INCREMENT,
        Constraint::Keyword(_) => SENTENCE_KEYWORD,
        Constraint::Alphabet(_) => ALPHABET,
        Constraint::Consonants(_) => CONSONANTS,
        Constraint::KeywordsSpecificPosition(_) => KEYWORDS_SPECIFIC_POSITION,
        Constraint::LastFirst(_) => LAST_FIRST,
        Constraint::NoConsecutive(_) => NO_CONSECUTIVE,
        Constraint::Palindrome(_) => PALINDROME,
        Constraint::ParagraphLastFirst(_) => PARAGRAPH_LAST_FIRST,
        Constraint::PrimeLengths(_) => PRIME_LENGTHS,
        Constraint::Repeats(_) => REPEATS,
        Constraint::Vowel(_) => VOWEL,
        Constraint::WordsPosition(_) => WORDS_POSITION,
    }
}

/// Whether a count bound means "none at all" ("less than 1"), which has its own wording.
fn none(relation: Relation, n: i64) -> bool {
    relation == Relation::LessThan && n == 1
}

/// The placeholder values of `c`'s templates. The only random choice is the spelling of
/// "less than" ("less than" or "fewer than").
fn values(c: &Constraint, rng: &mut Rng) -> Vec<(&'static str, String)> {
    match c {
        Constraint::CapitalWordFrequency(c) => {
            counted(c.capital_relation, c.capital_frequency, Some(("words", "word", "words")), rng)
        }
        Constraint::RepeatPrompt(c) => vec![("prompt", quote(&c.prompt_to_repeat))],
        Constraint::CharsPerWord(c) => vec![("n", c.max_chars.to_string())],
        Constraint::KeyPhrases(c) => vec![
            ("phrases", quoted_list(&c.phrases)),
            ("the_phrases", the_list(&c.phrases, "phrase", "phrases")),
        ],
        Constraint::NoPunctuation(c) => mark_values(c),
        Constraint::SentencesPerParagraph(c) => vec![("n", c.max_sentences.to_string())],
        Constraint::WordCount(c) => match c.bound {
            WordBound::AtLeast(n) | WordBound::AtMost(n) | WordBound::Around(n) => {
                vec![("n", n.to_string())]
            }
            WordBound::Between(lo, hi) => vec![("lo", lo.to_string()), ("hi", hi.to_string())],
        },
        Constraint::WordsPerSentence(c) => vec![("n", c.max_words.to_string())],
        Constraint::NumberPlaceholders(c) => vec![
            ("n", c.num_placeholders.to_string()),
            ("placeholders", noun(c.num_placeholders, "placeholder", "placeholders")),
            (
                "placeholder_noun",
                noun_only(c.num_placeholders, "placeholder", "placeholders").to_owned(),
            ),
        ],
        Constraint::Postscript(c) => vec![("marker", c.postscript_marker.clone())],
        Constraint::ConstrainedResponse(_) => {
            let options: Vec<String> = OPTIONS.iter().map(|o| (*o).to_owned()).collect();
            vec![("options", quoted_list_with(&options, "or"))]
        }
        Constraint::MultipleSections(c) => {
            vec![
                ("n", c.num_sections.to_string()),
                ("sections", noun(c.num_sections, "section", "sections")),
                ("spliter", c.section_spliter.clone()),
            ]
        }
        Constraint::NumberBulletLists(c) => {
            vec![("bullets", noun(c.num_bullets, "bullet point", "bullet points"))]
        }
        Constraint::NumberHighlightedSections(c) => vec![
            ("sections", noun(c.num_highlights, "section", "sections")),
            ("parts", noun(c.num_highlights, "part", "parts")),
        ],
        Constraint::Existence(c) => {
            let keywords: Vec<String> = c.keywords.iter().map(|k| k.source().to_owned()).collect();
            vec![
                ("the_keywords", the_list(&keywords, "word", "words")),
                ("keywords", quoted_list(&keywords)),
            ]
        }
        Constraint::ForbiddenWords(c) => vec![
            ("words", quoted_list(&c.forbidden_words)),
            ("the_words", the_list(&c.forbidden_words, "word", "words")),
        ],
        Constraint::Frequency(c) => {
            let mut v = counted(c.relation, c.frequency, None, rng);
            v.push(("keyword", quote(c.keyword.source())));
            v
        }
        Constraint::LetterFrequency(c) => {
            let mut v = counted(c.let_relation, c.let_frequency, None, rng);
            v.push(("letter", letter(c.letter)));
            v
        }
        Constraint::ResponseLanguage(c) => {
            vec![("language", language_name(&c.language).unwrap_or(&c.language).to_owned())]
        }
        Constraint::CrabResponseLanguage(c) => {
            vec![("language", language_name(&c.language).unwrap_or(&c.language).to_owned())]
        }
        Constraint::NthParagraphFirstWord(c) => vec![
            ("paragraphs", noun(c.num_paragraphs, "paragraph", "paragraphs")),
            ("i", c.nth_paragraph.to_string()),
            ("ith", ordinal(c.nth_paragraph)),
            ("word", c.first_word.clone()),
        ],
        Constraint::NumberParagraphs(c) => {
            vec![("paragraphs", noun(c.num_paragraphs, "paragraph", "paragraphs"))]
        }
        Constraint::NumberSentences(c) => {
            counted(c.relation, c.num_sentences, Some(("sentences", "sentence", "sentences")), rng)
        }
        Constraint::NumberWords(c) => {
            counted(c.relation, c.num_words, Some(("words", "word", "words")), rng)
        }
        Constraint::EndChecker(c) => vec![("phrase", quote(&c.end_phrase))],
        Constraint::StopWords(c) => vec![("percentage", c.percentage.to_string())],
        Constraint::List(c) => vec![("sep", c.sep.clone())],
        Constraint::Options(c) => vec![("options", c.options.clone())],
        Constraint::KeywordsMultiple(c) => {
            let [k1, k2, k3, k4, k5] = c.keywords.clone().map(|k| quote(&k));
            vec![("k1", k1), ("k2", k2), ("k3", k3), ("k4", k4), ("k5", k5)]
        }
        Constraint::Numbers(c) => vec![("n", c.n.to_string())],
        Constraint::WordCountRange(c) => {
            vec![("min", c.min_words.to_string()), ("max", c.max_words.to_string())]
        }
        Constraint::RepeatChange(c) => vec![("prompt", c.prompt_to_repeat.clone())],
        Constraint::RepeatSpan(c) => vec![
            ("n_start", c.n_start.to_string()),
            ("n_end", c.n_end.to_string()),
            ("prompt", c.prompt_to_repeat.clone()),
        ],
        Constraint::UniqueWordCount(c) => vec![("n", c.n.to_string())],
        Constraint::Conjunctions(c) => vec![("n", c.small_n.to_string())],
        Constraint::WordsJapanese(c) => vec![("nth", ordinal(c.n))],
        Constraint::PersonNames(c) => {
            vec![("n", c.n.to_string()), ("names", PERSON_NAME_LIST.join(", "))]
        }
        Constraint::Pronouns(c) => vec![("n", c.n.to_string())],
        Constraint::Overlap(c) => {
            vec![("percentage", c.percentage.to_string()), ("reference", c.reference_text.clone())]
        }
        Constraint::Increment(c) => vec![("n", c.small_n.to_string())],
        Constraint::Keyword(c) => vec![
            ("word", quote(&c.word)),
            ("nth", if c.n == 0 { "last".to_owned() } else { ordinal(c.n) }),
        ],
        Constraint::Punctuation(_)
        | Constraint::SentenceBalance(_)
        | Constraint::SentenceType(_)
        | Constraint::SentenceWords(_)
        | Constraint::AlliterationIncrement(_) => Vec::new(),
        Constraint::LineIndent(_)
        | Constraint::Newline(_)
        | Constraint::NoBulletsBullets(_)
        | Constraint::NoWhitespace(_)
        | Constraint::OutputTemplate(_)
        | Constraint::Parentheses(_)
        | Constraint::QuoteUnquote(_)
        | Constraint::Quotes(_)
        | Constraint::SubBullets(_)
        | Constraint::Thesis(_)
        | Constraint::TitleCase(_) => Vec::new(),
        Constraint::EnglishCapital(_)
        | Constraint::EnglishLowercase(_)
        | Constraint::TwoResponses(_)
        | Constraint::JsonFormat(_)
        | Constraint::Title(_)
        | Constraint::NoComma(_)
        | Constraint::Quotation(_)
        | Constraint::Emoji(_)
        | Constraint::OddEvenSyllables(_)
        | Constraint::StartVerb(_)
        | Constraint::RepeatSimple(_) => Vec::new(),
        Constraint::CharacterReverse(_)
        | Constraint::CsvCity(_)
        | Constraint::CsvQuotes(_)
        | Constraint::CsvSpecialCharacter(_)
        | Constraint::DateFormatList(_)
        | Constraint::EuropeanCapitalsSort(_)
        | Constraint::McqCountLength(_)
        | Constraint::Multiples(_)
        | Constraint::ReverseNewline(_)
        | Constraint::SentenceAlphabet(_)
        | Constraint::WordReverse(_) => Vec::new(),
        Constraint::KeywordsSpecificPosition(c) => vec![
            ("keyword", quote(&c.keyword)),
            ("n", c.n.to_string()),
            ("m", c.m.to_string()),
            ("nth", ordinal(c.n)),
            ("mth", ordinal(c.m)),
        ],
        Constraint::Repeats(c) => vec![("n", c.small_n.to_string())],
        Constraint::WordsPosition(c) => vec![("keyword", quote(&c.keyword))],
        Constraint::Alphabet(_)
        | Constraint::Consonants(_)
        | Constraint::LastFirst(_)
        | Constraint::NoConsecutive(_)
        | Constraint::Palindrome(_)
        | Constraint::ParagraphLastFirst(_)
        | Constraint::PrimeLengths(_)
        | Constraint::Vowel(_) => Vec::new(),
    }
}

/// Renders `c` as one instruction sentence, from one of its [`templates`] chosen with `rng`.
///
/// ```
/// use crab_constraints::backtranslate::render;
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::rng::Rng;
///
/// let kwargs = serde_json::json!({"relation": "at least", "num_words": 300});
/// let c = Constraint::from_ifeval("length_constraints:number_words", &kwargs).unwrap();
/// let text = render(&c, &mut Rng::new(1));
/// assert!(text.contains("at least 300 words"), "{text}");
/// ```
pub fn render(c: &Constraint, rng: &mut Rng) -> String {
    let values = values(c, rng);
    let table = templates(c);
    let template = rng.pick(table).copied().unwrap_or_default();
    fill(template, &values)
}

/// `template` with each `{name}` replaced by its value (unknown names are kept as written). A
/// value ending with `.` swallows a `.` that follows the placeholder.
pub(super) fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values.iter().find(|(n, _)| *n == name).map(|(_, v)| (v, &after[close + 1..]))
        });
        match value {
            Some((value, tail)) => {
                out.push_str(value);
                rest = if value.ends_with('.') {
                    tail.strip_prefix('.').unwrap_or(tail)
                } else {
                    tail
                };
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Values for a relation with a count: `rel` ("at least", or "less than"/"fewer than"), `n`,
/// `times` ("1 time", "3 times") and, given `(key, singular, plural)`, the count with its noun
/// under `key` ("1 word", "300 words").
fn counted(
    relation: Relation,
    n: i64,
    counted_noun: Option<(&'static str, &str, &str)>,
    rng: &mut Rng,
) -> Vec<(&'static str, String)> {
    let rel = match relation {
        Relation::AtLeast => "at least",
        Relation::LessThan => *rng.pick(&["less than", "fewer than"]).unwrap_or(&"less than"),
    };
    let mut v =
        vec![("rel", rel.to_owned()), ("n", n.to_string()), ("times", noun(n, "time", "times"))];
    if let Some((key, singular, plural)) = counted_noun {
        v.push((key, noun(n, singular, plural)));
    }
    v
}

/// `mark`, `marks` (plural name) and `mark_name` (singular name) of a forbidden mark.
fn mark_values(c: &NoPunctuation) -> Vec<(&'static str, String)> {
    let (singular, plural) = match c.mark {
        ',' => ("comma", "commas"),
        ':' => ("colon", "colons"),
        '?' => ("question mark", "question marks"),
        '!' => ("exclamation mark", "exclamation marks"),
        ';' => ("semicolon", "semicolons"),
        '.' => ("period", "periods"),
        _ => ("such character", "such characters"),
    };
    vec![
        ("mark", c.mark.to_string()),
        ("marks", plural.to_owned()),
        ("mark_name", singular.to_owned()),
    ]
}

/// A letter as the templates show it: a plain ASCII letter as is, anything else in quotes.
fn letter(c: char) -> String {
    if c.is_ascii_alphabetic() {
        c.to_string()
    } else {
        quote(&c.to_string())
    }
}

/// `s` in double quotes, or in single quotes when it holds a double quote but no single one.
pub(crate) fn quote(s: &str) -> String {
    if s.contains('"') && !s.contains('\'') {
        format!("'{s}'")
    } else {
        format!("\"{s}\"")
    }
}

/// `"1 section"`, `"3 sections"`.
fn noun(n: i64, singular: &str, plural: &str) -> String {
    format!("{n} {}", noun_only(n, singular, plural))
}

/// `singular` for 1, else `plural`.
fn noun_only<'a>(n: i64, singular: &'a str, plural: &'a str) -> &'a str {
    if n == 1 {
        singular
    } else {
        plural
    }
}

/// `the word "a"`, `the words "a" and "b"`.
fn the_list(items: &[String], singular: &str, plural: &str) -> String {
    let n = i64::try_from(items.len()).unwrap_or(i64::MAX);
    format!("the {} {}", noun_only(n, singular, plural), quoted_list(items))
}

/// `"a"`, `"a" and "b"`, `"a", "b" and "c"`.
fn quoted_list(items: &[String]) -> String {
    quoted_list_with(items, "and")
}

fn quoted_list_with(items: &[String], last_joiner: &str) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, init)) => format!("{} {last_joiner} {last}", init.join(", ")),
    }
}

/// `1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`, …
fn ordinal(n: i64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// English names of langdetect's language codes.
const LANGUAGE_NAMES: &[(&str, &str)] = &[
    ("af", "Afrikaans"),
    ("ar", "Arabic"),
    ("bg", "Bulgarian"),
    ("bn", "Bengali"),
    ("ca", "Catalan"),
    ("cs", "Czech"),
    ("cy", "Welsh"),
    ("da", "Danish"),
    ("de", "German"),
    ("el", "Greek"),
    ("en", "English"),
    ("es", "Spanish"),
    ("et", "Estonian"),
    ("fa", "Persian"),
    ("fi", "Finnish"),
    ("fr", "French"),
    ("gu", "Gujarati"),
    ("he", "Hebrew"),
    ("hi", "Hindi"),
    ("hr", "Croatian"),
    ("hu", "Hungarian"),
    ("id", "Indonesian"),
    ("it", "Italian"),
    ("ja", "Japanese"),
    ("kn", "Kannada"),
    ("ko", "Korean"),
    ("lt", "Lithuanian"),
    ("lv", "Latvian"),
    ("mk", "Macedonian"),
    ("ml", "Malayalam"),
    ("mr", "Marathi"),
    ("ne", "Nepali"),
    ("nl", "Dutch"),
    ("no", "Norwegian"),
    ("pa", "Punjabi"),
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("ro", "Romanian"),
    ("ru", "Russian"),
    ("sk", "Slovak"),
    ("sl", "Slovenian"),
    ("so", "Somali"),
    ("sq", "Albanian"),
    ("sv", "Swedish"),
    ("sw", "Swahili"),
    ("ta", "Tamil"),
    ("te", "Telugu"),
    ("th", "Thai"),
    ("tl", "Tagalog"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("ur", "Urdu"),
    ("vi", "Vietnamese"),
    ("zh-cn", "Chinese (Simplified)"),
    ("zh-tw", "Chinese (Traditional)"),
];

/// The English name of a langdetect language code (`hi` → `Hindi`), if it is one of its 55.
pub fn language_name(code: &str) -> Option<&'static str> {
    LANGUAGE_NAMES.iter().find(|(c, _)| *c == code).map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use super::*;
    use crate::checks::language::response_language::LANGDETECT_LANGUAGES;
    use crate::checks::tests::constraint;
    use crate::checks::CHECKS;

    /// Extra kwargs beyond the registry examples, to reach every table and relation.
    const EXTRA: &[(&str, &str)] = &[
        ("crab:word_count", r#"{"relation": "at least", "num_words": 120}"#),
        ("crab:word_count", r#"{"relation": "at most", "num_words": 80}"#),
        ("crab:word_count", r#"{"relation": "between", "min_words": 40, "max_words": 70}"#),
        ("crab:word_count", r#"{"relation": "around", "num_words": 250}"#),
        ("crab:sentences_per_paragraph", r#"{"max_sentences": 4, "paragraph": "line"}"#),
        ("crab:sentences_per_paragraph", r#"{"max_sentences": 6, "paragraph": "ifeval"}"#),
        ("crab:no_punctuation", r#"{"mark": ","}"#),
        ("crab:no_punctuation", r#"{"mark": ":"}"#),
        ("crab:no_punctuation", r#"{"mark": "?"}"#),
        ("length_constraints:number_words", r#"{"relation": "less than", "num_words": 40}"#),
        ("length_constraints:number_sentences", r#"{"relation": "at least", "num_sentences": 7}"#),
        (
            "keywords:letter_frequency",
            r##"{"letter": "#", "let_relation": "less than", "let_frequency": 1}"##,
        ),
        ("language:response_language", r#"{"language": "zh-tw"}"#),
        (
            "keywords:letter_frequency",
            r#"{"letter": "q", "let_relation": "less than", "let_frequency": 2}"#,
        ),
        ("keywords:frequency", r#"{"keyword": "very", "relation": "less than", "frequency": 1}"#),
        ("keywords:frequency", r#"{"keyword": "very", "relation": "less than", "frequency": 3}"#),
        (
            "change_case:capital_word_frequency",
            r#"{"capital_relation": "less than", "capital_frequency": 1}"#,
        ),
        ("keywords:forbidden_words", r#"{"forbidden_words": ["alone"]}"#),
        ("detectable_format:number_highlighted_sections", r#"{"num_highlights": 1}"#),
        ("startend:end_checker", r#"{"end_phrase": "He said \"bye\""}"#),
        ("detectable_content:postscript", r#"{"postscript_marker": "P.P.S"}"#),
    ];

    fn cases() -> Vec<Constraint> {
        let mut all: Vec<Constraint> =
            CHECKS.iter().map(|info| constraint(info.id, info.example.kwargs)).collect();
        all.extend(EXTRA.iter().map(|(id, kw)| constraint(id, kw)));
        all
    }

    /// The parameter values a rendering must show: numbers, strings and list items, except
    /// relations and modes (rendered as words) and language codes (rendered as names).
    fn mentioned(c: &Constraint) -> Vec<String> {
        let mut out = Vec::new();
        if says_none(c) {
            // "Do not use the letter q anywhere": the 1 of "less than 1" is not shown.
            return c
                .kwargs()
                .iter()
                .filter_map(|(_, v)| v.as_str())
                .filter(|v| *v != "less than")
                .map(str::to_owned)
                .collect();
        }
        for (key, value) in c.kwargs() {
            match (key.as_str(), value) {
                ("language", Value::String(code)) => {
                    out.push(language_name(&code).expect("known code").to_owned());
                }
                (k, _) if k.ends_with("relation") || k == "counting" || k == "paragraph" => {}
                (_, Value::Number(n)) => out.push(n.to_string()),
                (_, Value::String(s)) => out.push(s),
                (_, Value::Array(items)) => {
                    out.extend(items.iter().filter_map(Value::as_str).map(str::to_owned));
                }
                (k, other) => panic!("{}: unexpected kwarg {k} = {other}", c.id()),
            }
        }
        out
    }

    fn says_none(c: &Constraint) -> bool {
        match c {
            Constraint::CapitalWordFrequency(c) => none(c.capital_relation, c.capital_frequency),
            Constraint::Frequency(c) => none(c.relation, c.frequency),
            Constraint::LetterFrequency(c) => none(c.let_relation, c.let_frequency),
            _ => false,
        }
    }

    #[test]
    fn every_check_has_several_templates_and_renders_its_parameters() {
        let mut ids = BTreeSet::new();
        for c in cases() {
            ids.insert(c.id());
            let table = templates(&c);
            assert!(table.len() >= 2, "{}: only {} template(s)", c.id(), table.len());
            let mut seen = BTreeSet::new();
            for seed in 0..64 {
                let text = render(&c, &mut Rng::new(seed));
                for value in mentioned(&c) {
                    assert!(
                        text.contains(&value),
                        "{}: {text:?} does not mention {value:?}",
                        c.id()
                    );
                }
                if says_none(&c) {
                    assert!(text.contains("not") || text.contains("without"), "{text:?}");
                } else if let Some(Value::String(rel)) =
                    c.kwargs().iter().find(|(k, _)| k.ends_with("relation")).map(|(_, v)| v.clone())
                {
                    let spellings: &[&str] = match rel.as_str() {
                        "less than" => &["less than", "fewer than"],
                        "at least" => &["at least", "no shorter than"],
                        "at most" => &["at most", "no more than", "not exceed"],
                        "between" => &["between", " to "],
                        _ => &["around", "roughly", "about"],
                    };
                    assert!(
                        spellings.iter().any(|s| text.contains(s)),
                        "{}: {text:?} does not say {rel:?}",
                        c.id()
                    );
                }
                assert!(
                    !text.contains('{') || c.kwargs().values().any(|v| v.to_string().contains('{'))
                );
                assert!(!text.ends_with(".."), "{text:?}");
                seen.insert(text);
            }
            assert!(seen.len() >= 2, "{}: rendering never varies", c.id());
        }
        assert_eq!(ids.len(), CHECKS.len(), "every registered check is rendered");
    }

    #[test]
    fn templates_are_single_lines_with_known_placeholders() {
        for c in cases() {
            let names: Vec<&str> = values(&c, &mut Rng::new(0)).iter().map(|(n, _)| *n).collect();
            for t in templates(&c) {
                assert!(!t.contains('\n'), "{t:?}");
                let mut rest = *t;
                while let Some(open) = rest.find('{') {
                    let close = rest[open..].find('}').expect("closed placeholder") + open;
                    let name = &rest[open + 1..close];
                    assert!(
                        names.contains(&name),
                        "{}: unknown placeholder {name} in {t:?}",
                        c.id()
                    );
                    rest = &rest[close + 1..];
                }
            }
        }
    }

    #[test]
    fn rendering_is_reproducible() {
        for c in cases() {
            assert_eq!(render(&c, &mut Rng::new(9)), render(&c, &mut Rng::new(9)));
        }
    }

    #[test]
    fn ifeval_style_sentences() {
        let words = constraint(
            "length_constraints:number_words",
            r#"{"relation": "at least", "num_words": 300}"#,
        );
        let all: BTreeSet<String> = (0..40).map(|s| render(&words, &mut Rng::new(s))).collect();
        assert!(all.contains("Answer with at least 300 words."), "{all:?}");
        let ps = constraint("detectable_content:postscript", r#"{"postscript_marker": "P.S."}"#);
        let all: BTreeSet<String> = (0..40).map(|s| render(&ps, &mut Rng::new(s))).collect();
        assert!(
            all.contains("At the end of your response, please explicitly add a postscript starting with P.S."),
            "{all:?}"
        );
        let low = constraint("change_case:english_lowercase", "{}");
        let all: BTreeSet<String> = (0..40).map(|s| render(&low, &mut Rng::new(s))).collect();
        assert!(all.contains(
            "Your entire response should be in English, and in all lowercase letters. No capital letters are allowed."
        ));
    }

    #[test]
    fn filling_placeholders() {
        let v = vec![("m", "P.S.".to_owned()), ("n", "3".to_owned())];
        assert_eq!(fill("add {m}. Then {n}.", &v), "add P.S. Then 3.");
        assert_eq!(fill("{x} {n", &v), "{x} {n");
        assert_eq!(fill("", &v), "");
        assert_eq!(quoted_list(&["a".to_owned()]), "\"a\"");
        assert_eq!(
            quoted_list(&["a".to_owned(), "b".to_owned(), "c".to_owned()]),
            "\"a\", \"b\" and \"c\""
        );
        assert_eq!(quote("say \"hi\""), "'say \"hi\"'");
        assert_eq!(ordinal(1), "1st");
        assert_eq!(ordinal(12), "12th");
        assert_eq!(ordinal(22), "22nd");
        assert_eq!(ordinal(103), "103rd");
    }

    #[test]
    fn every_langdetect_language_has_a_name() {
        for code in LANGDETECT_LANGUAGES {
            assert!(language_name(code).is_some(), "{code}");
        }
        assert_eq!(language_name("xx"), None);
    }
}
