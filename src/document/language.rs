//! Language data for the 24 official EU languages and language detection.
//!
//! The data (stop words, alphabets, month names, names of EU acts, header labels,
//! genre phrases) lives in `ontology/languages.toml`, compiled in with
//! `include_str!` and parsed once. [`table`] gives the parsed data to the other
//! modules of [`crate::document`]; [`fold`] is the case- and accent-insensitive form
//! under which words and phrases from that table are compared.
//!
//! [`detect`] guesses the language of a text from three kinds of evidence:
//! 1. stop words: the share of the text's words that are frequent function words
//!    of each language;
//! 2. marker letters: the share of words holding a letter typical of the language
//!    (`ł` Polish, `ő` Hungarian, `ø` Danish, `ħ` Maltese, …);
//! 3. foreign letters: the share of words holding a non-ASCII letter outside the
//!    language's alphabet (an `ø` rules out Swedish, an `ä` Danish, Greek letters
//!    every language but Greek), subtracted.
//!
//! `score = stop + 0.5·marker − foreign`, clamped at 0. See [`LanguageGuess::sure`]
//! for when the guess is trusted.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// The raw TOML text of the language data.
const LANGUAGES_TOML: &str = include_str!("../../ontology/languages.toml");

/// Writing system of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    #[default]
    Latin,
    Greek,
    Cyrillic,
}

/// All language data from `ontology/languages.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageTable {
    /// Marks printed before an old-style act number ("No", "Nr.", "č.", "αριθ.").
    pub number_marks: Vec<String>,
    /// Words after which "NNN/YY" is a page or Official Journal reference.
    pub page_marks: Vec<String>,
    /// Spellings of act authorities ("EG", "GBVB") by canonical English code.
    pub authorities: BTreeMap<String, Vec<String>>,
    /// Settings for reading dates.
    pub dates: DateSettings,
    /// Per-language data, keyed by ISO 639-1 code.
    pub languages: BTreeMap<String, LanguageData>,
}

/// Settings for reading dates.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateSettings {
    /// Month taken for a month word that means different months in different
    /// languages, when no language is given (folded word → month 1-12).
    pub ambiguous_default: BTreeMap<String, u8>,
}

/// The data of one language; field meanings are documented in the TOML file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageData {
    pub name: String,
    #[serde(default)]
    pub script: Script,
    pub stopwords: Vec<String>,
    #[serde(default)]
    pub letters: String,
    #[serde(default)]
    pub markers: String,
    pub months: Vec<Vec<String>>,
    pub regulation: Vec<String>,
    pub directive: Vec<String>,
    pub decision: Vec<String>,
    #[serde(default)]
    pub act_prefixes: Vec<String>,
    #[serde(default)]
    pub act_qualifiers: Vec<String>,
    #[serde(default)]
    pub act_word_after: bool,
    pub conjunctions: Vec<String>,
    pub subject_labels: Vec<String>,
    pub reference_labels: Vec<String>,
    pub annex_words: Vec<String>,
    pub conclusions: Vec<String>,
    pub communication: Vec<String>,
    pub joint_communication: Vec<String>,
}

/// The parsed language table (parsed on first use; the file is part of the
/// binary and checked by the tests, so a parse failure is a build defect).
pub fn table() -> &'static LanguageTable {
    static TABLE: OnceLock<LanguageTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        toml::from_str(LANGUAGES_TOML)
            .unwrap_or_else(|e| panic!("ontology/languages.toml is invalid: {e}"))
    })
}

/// ISO 639-1 codes of the languages in the table, sorted.
pub fn codes() -> impl Iterator<Item = &'static str> {
    table().languages.keys().map(String::as_str)
}

/// Folds `text` for comparison: lower case, canonical decomposition with combining
/// marks dropped, Greek final sigma as σ, typographic apostrophes as `'`.
/// "Règlement" and "REGLEMENT" fold to the same "reglement".
pub fn fold(text: &str) -> String {
    fold_with_map(text).0
}

/// Like [`fold`], also returning for every byte of the folded text the byte offset
/// in `text` of the character it came from, plus one final entry `text.len()`.
pub fn fold_with_map(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    for (i, c) in text.char_indices() {
        for lower in c.to_lowercase() {
            let lower = match lower {
                'ς' => 'σ',
                '\u{2019}' | '\u{2018}' | '\u{02bc}' | '`' | '\u{00b4}' => '\'',
                other => other,
            };
            decompose_canonical(lower, |d| {
                if !is_combining_mark(d) {
                    out.push(d);
                    map.extend(std::iter::repeat_n(i, d.len_utf8()));
                }
            });
        }
    }
    map.push(text.len());
    (out, map)
}

/// The result of [`detect`].
#[derive(Debug, Clone, PartialEq)]
pub struct LanguageGuess {
    /// ISO 639-1 code of the best-scoring language, or `"und"` (ISO 639-2
    /// "undetermined") when the text gives no evidence at all.
    pub code: String,
    /// Score of the best language: share of words that are its stop words, plus
    /// half the share holding its marker letters, minus the share holding letters
    /// foreign to it. Typically 0.3–0.6 for running text in the right language.
    pub score: f64,
    /// The second-best language and its score.
    pub runner_up: Option<(String, f64)>,
    /// Whether the guess is trusted: the text has at least [`MIN_WORDS`] words, the
    /// best score is at least [`MIN_SCORE`], and the best score beats the runner-up
    /// by at least [`MIN_MARGIN`] of the best score. A text mostly in Greek or
    /// Cyrillic letters (each used by one EU language only) is trusted from
    /// [`MIN_WORDS_SCRIPT`] words on.
    pub sure: bool,
}

/// Fewest words for a sure guess.
pub const MIN_WORDS: usize = 8;
/// Fewest words for a sure guess from the script alone (Greek, Cyrillic).
pub const MIN_WORDS_SCRIPT: usize = 3;
/// Lowest best score for a sure guess.
pub const MIN_SCORE: f64 = 0.12;
/// Smallest relative lead of the best over the runner-up for a sure guess:
/// `(best − second) / best ≥ MIN_MARGIN`.
pub const MIN_MARGIN: f64 = 0.2;

/// Weight of the marker-letter share in the score.
const MARKER_WEIGHT: f64 = 0.5;
/// Weight of the foreign-letter share in the score.
const FOREIGN_WEIGHT: f64 = 1.0;

/// The detection profiles of all languages, indexed so that each word is
/// looked up once: bit `i` of a mask stands for the `i`-th language of
/// [`table`] (24 languages fit a `u32`).
struct Profiles {
    codes: Vec<String>,
    /// Word (lower case, NFC) → the languages it is a stop word of.
    stopwords: HashMap<String, u32>,
    /// Non-ASCII letter → the languages it marks.
    markers: HashMap<char, u32>,
    /// Non-ASCII letter → the Latin-script languages whose alphabet has it.
    latin_letters: HashMap<char, u32>,
    greek: u32,
    cyrillic: u32,
}

impl Profiles {
    /// The languages whose alphabet has the non-ASCII letter `c`.
    fn alphabets_with(&self, c: char) -> u32 {
        let mut m = self.latin_letters.get(&c).copied().unwrap_or(0);
        if is_greek(c) {
            m |= self.greek;
        }
        if is_cyrillic(c) {
            m |= self.cyrillic;
        }
        m
    }
}

fn is_greek(c: char) -> bool {
    matches!(c, '\u{0370}'..='\u{03ff}' | '\u{1f00}'..='\u{1fff}')
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04ff}')
}

fn profiles() -> &'static Profiles {
    static PROFILES: OnceLock<Profiles> = OnceLock::new();
    PROFILES.get_or_init(|| {
        let mut p = Profiles {
            codes: Vec::new(),
            stopwords: HashMap::default(),
            markers: HashMap::default(),
            latin_letters: HashMap::default(),
            greek: 0,
            cyrillic: 0,
        };
        for (i, (code, data)) in table().languages.iter().enumerate() {
            let bit = 1u32 << i;
            p.codes.push(code.clone());
            for w in &data.stopwords {
                *p.stopwords
                    .entry(w.nfc().collect::<String>().to_lowercase())
                    .or_default() |= bit;
            }
            for c in data.markers.nfc() {
                *p.markers.entry(c).or_default() |= bit;
            }
            match data.script {
                Script::Latin => {
                    for c in data.letters.nfc() {
                        *p.latin_letters.entry(c).or_default() |= bit;
                    }
                }
                Script::Greek => p.greek |= bit,
                Script::Cyrillic => p.cyrillic |= bit,
            }
        }
        assert!(p.codes.len() <= 32, "language masks hold 32 languages");
        p
    })
}

/// Calls `each` with every lower-cased, NFC-composed word of `text` (runs of
/// letters; an apostrophe or hyphen ends a word, so "l'Union" gives "l" and
/// "union").
fn for_each_word(text: &str, mut each: impl FnMut(&str)) {
    let composed: std::borrow::Cow<str> = match unicode_normalization::is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text.into(),
        _ => text.nfc().collect::<String>().into(),
    };
    let mut lower = String::new();
    for w in composed.split(|c: char| !c.is_alphabetic()) {
        if w.is_empty() {
            continue;
        }
        if w.chars().any(char::is_uppercase) {
            lower.clear();
            lower.extend(w.chars().flat_map(char::to_lowercase));
            each(&lower);
        } else {
            each(w);
        }
    }
}

/// Number of words of `text` and the scores of every language, best first
/// (ties by code).
fn tally(text: &str) -> (usize, Vec<(String, f64)>) {
    let profiles = profiles();
    let n_lang = profiles.codes.len();
    let mut stop = vec![0usize; n_lang];
    let mut marker = vec![0usize; n_lang];
    let mut foreign = vec![0usize; n_lang];
    let all = if n_lang == 32 {
        u32::MAX
    } else {
        (1u32 << n_lang) - 1
    };
    let count = |counts: &mut [usize], mut mask: u32| {
        while mask != 0 {
            counts[mask.trailing_zeros() as usize] += 1;
            mask &= mask - 1;
        }
    };
    let mut n = 0usize;
    for_each_word(text, |w| {
        n += 1;
        if let Some(&m) = profiles.stopwords.get(w) {
            count(&mut stop, m);
        }
        if !w.is_ascii() {
            let (mut marks, mut foreign_to) = (0u32, 0u32);
            for c in w.chars().filter(|c| !c.is_ascii()) {
                marks |= profiles.markers.get(&c).copied().unwrap_or(0);
                foreign_to |= all & !profiles.alphabets_with(c);
            }
            count(&mut marker, marks);
            count(&mut foreign, foreign_to);
        }
    });
    let mut out: Vec<(String, f64)> = profiles
        .codes
        .iter()
        .enumerate()
        .map(|(i, code)| {
            if n == 0 {
                return (code.clone(), 0.0);
            }
            let s = (stop[i] as f64 + MARKER_WEIGHT * marker[i] as f64
                - FOREIGN_WEIGHT * foreign[i] as f64)
                / n as f64;
            (code.clone(), s.max(0.0))
        })
        .collect();
    if n > 0 {
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    }
    (n, out)
}

/// Guesses the language of `text` among the 24 EU official languages.
/// Text read for detection: a document's first `SAMPLE_BYTES` tell its
/// language as well as the whole, and long documents cost no more.
const SAMPLE_BYTES: usize = 24 * 1024;

fn sample(text: &str) -> &str {
    if text.len() <= SAMPLE_BYTES {
        return text;
    }
    let mut end = SAMPLE_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    // End at a word boundary so the last word is whole.
    let end = text[..end].rfind(char::is_whitespace).unwrap_or(end);
    &text[..end]
}

pub fn detect(text: &str) -> LanguageGuess {
    let text = sample(text);
    let (words, ranked) = tally(text);
    let (code, score) = ranked[0].clone();
    let runner_up = ranked.get(1).cloned();
    if score <= 0.0 {
        return LanguageGuess {
            code: "und".to_string(),
            score: 0.0,
            runner_up: None,
            sure: false,
        };
    }
    let second = runner_up.as_ref().map_or(0.0, |r| r.1);
    let lead = (score - second) / score;
    let script_letters = |pred: fn(char) -> bool| {
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        letters > 0 && text.chars().filter(|&c| pred(c)).count() * 2 > letters
    };
    let by_script = match code.as_str() {
        "el" => script_letters(is_greek),
        "bg" => script_letters(is_cyrillic),
        _ => false,
    };
    let sure = if by_script {
        words >= MIN_WORDS_SCRIPT
    } else {
        words >= MIN_WORDS && score >= MIN_SCORE && lead >= MIN_MARGIN
    };
    LanguageGuess {
        code,
        score,
        runner_up,
        sure,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two or three sentences per language, written for these tests (EU policy
    /// register, not taken from the seed documents).
    pub(crate) const SAMPLES: &[(&str, &str)] = &[
        (
            "bg",
            "Европейският съюз ще продължи да укрепва сътрудничеството си с партньорите в областта на киберсигурността и изкуствения интелект, като същевременно защитава основните права на гражданите.",
        ),
        (
            "bg",
            "Съветът призовава Комисията и държавите членки да осигурят достатъчно финансиране за цифровата инфраструктура в развиващите се страни, особено в Африка и Латинска Америка.",
        ),
        (
            "bg",
            "Това е важна стъпка към по-добро управление на данните, което трябва да бъде прозрачно и отговорно пред обществото и неговите граждани.",
        ),
        (
            "cs",
            "Evropská unie bude i nadále posilovat spolupráci se svými partnery v oblasti kybernetické bezpečnosti a umělé inteligence, přičemž bude chránit základní práva občanů.",
        ),
        (
            "cs",
            "Rada vyzývá Komisi a členské státy, aby zajistily dostatečné financování digitální infrastruktury v rozvojových zemích, zejména v Africe a Latinské Americe, které jsou pro nás klíčové.",
        ),
        (
            "cs",
            "Je to důležitý krok k lepší správě dat, která musí být transparentní a odpovědná vůči společnosti i jejím občanům.",
        ),
        (
            "da",
            "Den Europæiske Union vil fortsat styrke samarbejdet med sine partnere inden for cybersikkerhed og kunstig intelligens, samtidig med at den beskytter borgernes grundlæggende rettigheder.",
        ),
        (
            "da",
            "Rådet opfordrer Kommissionen og medlemsstaterne til at sikre tilstrækkelig finansiering af den digitale infrastruktur i udviklingslandene, navnlig i Afrika og Latinamerika, som er vigtige for os.",
        ),
        (
            "da",
            "Det er et vigtigt skridt hen imod en bedre forvaltning af data, som skal være gennemsigtig og ansvarlig over for samfundet.",
        ),
        (
            "de",
            "Die Europäische Union wird die Zusammenarbeit mit ihren Partnern im Bereich der Cybersicherheit und der künstlichen Intelligenz weiter stärken und zugleich die Grundrechte der Bürgerinnen und Bürger schützen.",
        ),
        (
            "de",
            "Der Rat fordert die Kommission und die Mitgliedstaaten auf, eine ausreichende Finanzierung der digitalen Infrastruktur in den Entwicklungsländern sicherzustellen, insbesondere in Afrika und Lateinamerika.",
        ),
        (
            "de",
            "Dies ist ein wichtiger Schritt hin zu einer besseren Verwaltung von Daten, die transparent und gegenüber der Gesellschaft rechenschaftspflichtig sein muss.",
        ),
        (
            "el",
            "Η Ευρωπαϊκή Ένωση θα συνεχίσει να ενισχύει τη συνεργασία της με τους εταίρους της στον τομέα της κυβερνοασφάλειας και της τεχνητής νοημοσύνης, προστατεύοντας παράλληλα τα θεμελιώδη δικαιώματα των πολιτών.",
        ),
        (
            "el",
            "Το Συμβούλιο καλεί την Επιτροπή και τα κράτη μέλη να εξασφαλίσουν επαρκή χρηματοδότηση για την ψηφιακή υποδομή στις αναπτυσσόμενες χώρες, ιδίως στην Αφρική και τη Λατινική Αμερική.",
        ),
        (
            "en",
            "The European Union will continue to strengthen its cooperation with partners in the field of cybersecurity and artificial intelligence, while protecting the fundamental rights of its citizens.",
        ),
        (
            "en",
            "The Council calls on the Commission and the Member States to ensure adequate funding for digital infrastructure in developing countries, in particular in Africa and Latin America.",
        ),
        (
            "en",
            "This is an important step towards better governance of data, which must be transparent and accountable to society.",
        ),
        (
            "es",
            "La Unión Europea seguirá reforzando su cooperación con sus socios en el ámbito de la ciberseguridad y la inteligencia artificial, al tiempo que protege los derechos fundamentales de los ciudadanos.",
        ),
        (
            "es",
            "El Consejo pide a la Comisión y a los Estados miembros que garanticen una financiación suficiente de la infraestructura digital en los países en desarrollo, en particular en África y América Latina.",
        ),
        (
            "es",
            "Se trata de un paso importante hacia una mejor gobernanza de los datos, que debe ser transparente y responsable ante la sociedad.",
        ),
        (
            "et",
            "Euroopa Liit jätkab koostööd oma partneritega küberturvalisuse ja tehisintellekti valdkonnas ning kaitseb samal ajal kodanike põhiõigusi, mis on tema väärtuste keskmes.",
        ),
        (
            "et",
            "Nõukogu kutsub komisjoni ja liikmesriike üles tagama arenguriikide digitaristu piisava rahastamise, eelkõige Aafrikas ja Ladina-Ameerikas, sest see on meie jaoks väga oluline.",
        ),
        (
            "et",
            "See on oluline samm andmete parema haldamise suunas, mis peab olema läbipaistev ja ühiskonna ees vastutav.",
        ),
        (
            "fi",
            "Euroopan unioni jatkaa yhteistyön vahvistamista kumppaniensa kanssa myös kyberturvallisuuden ja tekoälyn alalla, ja se suojelee samalla kansalaisten perusoikeuksia, jotka ovat sen arvojen ytimessä.",
        ),
        (
            "fi",
            "Neuvosto kehottaa komissiota ja jäsenvaltioita varmistamaan, että kehitysmaiden digitaaliseen infrastruktuuriin on riittävästi rahoitusta, erityisesti Afrikassa ja Latinalaisessa Amerikassa.",
        ),
        (
            "fi",
            "Tämä on tärkeä askel kohti parempaa tiedonhallintaa, jonka on oltava avointa ja vastuullista yhteiskuntaa kohtaan.",
        ),
        (
            "fr",
            "L'Union européenne continuera de renforcer sa coopération avec ses partenaires dans le domaine de la cybersécurité et de l'intelligence artificielle, tout en protégeant les droits fondamentaux des citoyens.",
        ),
        (
            "fr",
            "Le Conseil invite la Commission et les États membres à garantir un financement suffisant des infrastructures numériques dans les pays en développement, notamment en Afrique et en Amérique latine.",
        ),
        (
            "fr",
            "Il s'agit d'une étape importante vers une meilleure gouvernance des données, qui doit être transparente et responsable devant la société.",
        ),
        (
            "ga",
            "Leanfaidh an tAontas Eorpach ar aghaidh ag neartú a chomhair lena chomhpháirtithe i réimse na cibearshlándála agus na hintleachta saorga, agus é ag cosaint chearta bunúsacha na saoránach.",
        ),
        (
            "ga",
            "Iarrann an Chomhairle ar an gCoimisiún agus ar na Ballstáit maoiniú leordhóthanach a áirithiú don bhonneagar digiteach sna tíortha i mbéal forbartha, go háirithe san Afraic agus i Meiriceá Laidineach.",
        ),
        (
            "hr",
            "Europska unija nastavit će jačati suradnju sa svojim partnerima u području kibersigurnosti i umjetne inteligencije, pritom štiteći temeljna prava građana.",
        ),
        (
            "hr",
            "Vijeće poziva Komisiju i države članice da osiguraju dostatno financiranje digitalne infrastrukture u zemljama u razvoju, posebno u Africi i Latinskoj Americi, koje su za nas važne.",
        ),
        (
            "hr",
            "To je važan korak prema boljem upravljanju podacima, koje mora biti transparentno i odgovorno prema društvu.",
        ),
        (
            "hu",
            "Az Európai Unió továbbra is erősíteni fogja a partnereivel folytatott együttműködést a kiberbiztonság és a mesterséges intelligencia területén, miközben védi a polgárok alapvető jogait.",
        ),
        (
            "hu",
            "A Tanács felhívja a Bizottságot és a tagállamokat, hogy biztosítsanak elegendő finanszírozást a fejlődő országok digitális infrastruktúrája számára, különösen Afrikában és Latin-Amerikában.",
        ),
        (
            "hu",
            "Ez fontos lépés az adatok jobb kezelése felé, amelynek átláthatónak és a társadalommal szemben elszámoltathatónak kell lennie.",
        ),
        (
            "it",
            "L'Unione europea continuerà a rafforzare la cooperazione con i suoi partner nel settore della cibersicurezza e dell'intelligenza artificiale, tutelando nel contempo i diritti fondamentali dei cittadini.",
        ),
        (
            "it",
            "Il Consiglio invita la Commissione e gli Stati membri a garantire un finanziamento adeguato delle infrastrutture digitali nei paesi in via di sviluppo, in particolare in Africa e in America latina.",
        ),
        (
            "it",
            "Si tratta di un passo importante verso una migliore governance dei dati, che deve essere trasparente e responsabile nei confronti della società.",
        ),
        (
            "lt",
            "Europos Sąjunga ir toliau stiprins bendradarbiavimą su savo partneriais kibernetinio saugumo ir dirbtinio intelekto srityje, kartu saugodama pagrindines piliečių teises.",
        ),
        (
            "lt",
            "Taryba ragina Komisiją ir valstybes nares užtikrinti pakankamą skaitmeninės infrastruktūros finansavimą besivystančiose šalyse, ypač Afrikoje ir Lotynų Amerikoje, nes tai mums yra labai svarbu.",
        ),
        (
            "lt",
            "Tai yra svarbus žingsnis siekiant geresnio duomenų valdymo, kuris turi būti skaidrus ir atskaitingas visuomenei.",
        ),
        (
            "lv",
            "Eiropas Savienība turpinās stiprināt sadarbību ar saviem partneriem kiberdrošības un mākslīgā intelekta jomā, vienlaikus aizsargājot iedzīvotāju pamattiesības, kas ir tās vērtību pamatā.",
        ),
        (
            "lv",
            "Padome aicina Komisiju un dalībvalstis nodrošināt pietiekamu finansējumu digitālajai infrastruktūrai jaunattīstības valstīs, jo īpaši Āfrikā un Latīņamerikā, kas mums ir ļoti svarīgi.",
        ),
        (
            "lv",
            "Tas ir svarīgs solis ceļā uz labāku datu pārvaldību, kurai jābūt pārredzamai un atbildīgai pret sabiedrību.",
        ),
        (
            "mt",
            "L-Unjoni Ewropea se tkompli ssaħħaħ il-kooperazzjoni tagħha mal-imsieħba tagħha fil-qasam taċ-ċibersigurtà u tal-intelliġenza artifiċjali, filwaqt li tipproteġi d-drittijiet fundamentali taċ-ċittadini.",
        ),
        (
            "mt",
            "Il-Kunsill jistieden lill-Kummissjoni u lill-Istati Membri jiżguraw finanzjament suffiċjenti għall-infrastruttura diġitali fil-pajjiżi li qed jiżviluppaw, b'mod partikolari fl-Afrika u fl-Amerika Latina.",
        ),
        (
            "nl",
            "De Europese Unie zal de samenwerking met haar partners op het gebied van cyberbeveiliging en artificiële intelligentie verder versterken en tegelijkertijd de grondrechten van de burgers beschermen.",
        ),
        (
            "nl",
            "De Raad verzoekt de Commissie en de lidstaten te zorgen voor voldoende financiering van de digitale infrastructuur in ontwikkelingslanden, met name in Afrika en Latijns-Amerika, die voor ons van belang zijn.",
        ),
        (
            "nl",
            "Dit is een belangrijke stap naar een beter beheer van gegevens, dat transparant moet zijn en verantwoording moet afleggen aan de samenleving.",
        ),
        (
            "pl",
            "Unia Europejska będzie nadal wzmacniać współpracę ze swoimi partnerami w dziedzinie cyberbezpieczeństwa i sztucznej inteligencji, chroniąc jednocześnie prawa podstawowe obywateli.",
        ),
        (
            "pl",
            "Rada wzywa Komisję i państwa członkowskie do zapewnienia wystarczającego finansowania infrastruktury cyfrowej w krajach rozwijających się, w szczególności w Afryce i Ameryce Łacińskiej.",
        ),
        (
            "pl",
            "Jest to ważny krok w kierunku lepszego zarządzania danymi, które musi być przejrzyste i rozliczalne wobec społeczeństwa.",
        ),
        (
            "pt",
            "A União Europeia continuará a reforçar a sua cooperação com os seus parceiros no domínio da cibersegurança e da inteligência artificial, protegendo simultaneamente os direitos fundamentais dos cidadãos.",
        ),
        (
            "pt",
            "O Conselho insta a Comissão e os Estados-Membros a garantirem um financiamento suficiente das infraestruturas digitais nos países em desenvolvimento, nomeadamente em África e na América Latina.",
        ),
        (
            "pt",
            "Trata-se de um passo importante para uma melhor governação dos dados, que deve ser transparente e responsável perante a sociedade.",
        ),
        (
            "ro",
            "Uniunea Europeană va continua să își consolideze cooperarea cu partenerii săi în domeniul securității cibernetice și al inteligenței artificiale, protejând în același timp drepturile fundamentale ale cetățenilor.",
        ),
        (
            "ro",
            "Consiliul invită Comisia și statele membre să asigure o finanțare suficientă a infrastructurii digitale din țările în curs de dezvoltare, în special din Africa și America Latină.",
        ),
        (
            "ro",
            "Acesta este un pas important către o mai bună guvernanță a datelor, care trebuie să fie transparentă și responsabilă față de societate.",
        ),
        (
            "sk",
            "Európska únia bude aj naďalej posilňovať spoluprácu so svojimi partnermi v oblasti kybernetickej bezpečnosti a umelej inteligencie, pričom bude chrániť základné práva občanov.",
        ),
        (
            "sk",
            "Rada vyzýva Komisiu a členské štáty, aby zabezpečili dostatočné financovanie digitálnej infraštruktúry v rozvojových krajinách, najmä v Afrike a Latinskej Amerike, ktoré sú pre nás kľúčové.",
        ),
        (
            "sk",
            "Je to dôležitý krok k lepšej správe údajov, ktorá musí byť transparentná a zodpovedná voči spoločnosti aj jej občanom.",
        ),
        (
            "sl",
            "Evropska unija bo še naprej krepila sodelovanje s svojimi partnerji na področju kibernetske varnosti in umetne inteligence, pri tem pa bo varovala temeljne pravice državljanov.",
        ),
        (
            "sl",
            "Svet poziva Komisijo in države članice, naj zagotovijo zadostno financiranje digitalne infrastrukture v državah v razvoju, zlasti v Afriki in Latinski Ameriki, ki so za nas pomembne.",
        ),
        (
            "sl",
            "To je pomemben korak k boljšemu upravljanju podatkov, ki mora biti pregledno in odgovorno do družbe.",
        ),
        (
            "sv",
            "Europeiska unionen kommer att fortsätta att stärka samarbetet med sina partner inom cybersäkerhet och artificiell intelligens, samtidigt som den skyddar medborgarnas grundläggande rättigheter.",
        ),
        (
            "sv",
            "Rådet uppmanar kommissionen och medlemsstaterna att säkerställa tillräcklig finansiering av den digitala infrastrukturen i utvecklingsländerna, särskilt i Afrika och Latinamerika, som är viktiga för oss.",
        ),
        (
            "sv",
            "Det är ett viktigt steg mot en bättre förvaltning av data, som måste vara öppen och ansvarsfull gentemot samhället.",
        ),
    ];

    #[test]
    fn table_parses_and_covers_all_24_languages() {
        let expected = [
            "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it",
            "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv",
        ];
        let codes: Vec<&str> = codes().collect();
        assert_eq!(codes, expected);
        for (code, data) in &table().languages {
            assert_eq!(data.months.len(), 12, "{code}: months");
            assert!(
                (40..=80).contains(&data.stopwords.len()),
                "{code}: {} stop words",
                data.stopwords.len()
            );
            for list in [&data.regulation, &data.directive, &data.decision] {
                assert!(!list.is_empty(), "{code}: act words");
            }
            assert!(!data.subject_labels.is_empty(), "{code}: subject labels");
            assert!(!data.conclusions.is_empty(), "{code}: conclusions");
            for c in data.letters.chars().chain(data.markers.chars()) {
                assert!(c.is_lowercase() && !c.is_ascii(), "{code}: letter {c:?}");
            }
            for c in data.markers.chars() {
                assert!(
                    data.letters.contains(c),
                    "{code}: marker {c:?} not a letter"
                );
            }
        }
    }

    #[test]
    fn fold_ignores_case_accents_and_final_sigma() {
        assert_eq!(fold("Règlement"), "reglement");
        assert_eq!(fold("ΚΑΝΟΝΙΣΜΟΣ"), fold("κανονισμός"));
        assert_eq!(fold("Συμβουλίου"), "συμβουλιου");
        assert_eq!(fold("Ş ș"), "s s");
        assert_eq!(fold("ta’"), "ta'");
        // Letters without a canonical decomposition stay.
        assert_eq!(fold("Łódź"), "łodz");
        let (f, map) = fold_with_map("Äb");
        assert_eq!(f, "ab");
        assert_eq!(map, vec![0, 2, 3]);
    }

    #[test]
    fn every_sample_sentence_is_detected_and_sure() {
        let mut wrong = Vec::new();
        for (code, text) in SAMPLES {
            let g = detect(text);
            if g.code != *code || !g.sure {
                wrong.push(format!("{code} → {g:?}: {text}"));
            }
        }
        assert!(wrong.is_empty(), "misdetected:\n{}", wrong.join("\n"));
        // At least two samples for each of the 24 languages.
        for code in codes() {
            assert!(
                SAMPLES.iter().filter(|(c, _)| *c == code).count() >= 2,
                "{code}"
            );
        }
    }

    /// Accuracy of [`detect`] on every window of `size` consecutive words of the
    /// samples: (windows, right, sure, sure and right, misdetections).
    fn window_accuracy(size: usize) -> (usize, usize, usize, usize, Vec<String>) {
        let (mut total, mut right, mut sure, mut sure_right) = (0, 0, 0, 0);
        let mut errors = Vec::new();
        for (code, text) in SAMPLES {
            let ws: Vec<&str> = text.split_whitespace().collect();
            for win in ws.windows(size) {
                let g = detect(&win.join(" "));
                total += 1;
                right += usize::from(g.code == *code);
                if g.code != *code {
                    errors.push(format!(
                        "{code}→{}{}",
                        g.code,
                        if g.sure { " (sure)" } else { "" }
                    ));
                }
                if g.sure {
                    sure += 1;
                    sure_right += usize::from(g.code == *code);
                }
            }
        }
        (total, right, sure, sure_right, errors)
    }

    #[test]
    fn accuracy_on_short_windows_is_reported_and_high() {
        // Windows of consecutive words of every sample: a harder test than whole
        // sentences. Numbers are printed with `--nocapture`.
        for (size, min_acc) in [(5, 0.85), (10, 0.95)] {
            let (total, right, sure, sure_right, errors) = window_accuracy(size);
            let acc = right as f64 / total as f64;
            let sure_acc = sure_right as f64 / sure.max(1) as f64;
            println!(
                "{size}-word windows: {right}/{total} = {acc:.3} right; {sure} sure, of which {sure_right} right = {sure_acc:.3}"
            );
            let mut counts = BTreeMap::new();
            for e in errors {
                *counts.entry(e).or_insert(0) += 1;
            }
            println!("  errors: {counts:?}");
            assert!(acc >= min_acc, "{size}-word window accuracy {acc}");
            assert!(
                sure_acc >= 0.98,
                "{size}-word windows: accuracy of sure guesses {sure_acc}"
            );
        }
    }

    #[test]
    fn confusable_pairs_are_told_apart() {
        let cases = [
            (
                "da",
                "Kommissionen vil fremlægge et forslag om, hvordan medlemsstaterne bedre kan dele oplysninger om trusler mod de digitale netværk, og det skal ske hurtigt.",
            ),
            (
                "sv",
                "Kommissionen kommer att lägga fram ett förslag om hur medlemsstaterna bättre kan dela information om hot mot de digitala näten, och det ska ske snabbt.",
            ),
            (
                "cs",
                "Komise předloží návrh, jak mohou členské státy lépe sdílet informace o hrozbách pro digitální sítě, a to co nejdříve, protože je to nutné.",
            ),
            (
                "sk",
                "Komisia predloží návrh, ako môžu členské štáty lepšie zdieľať informácie o hrozbách pre digitálne siete, a to čo najskôr, pretože je to nevyhnutné.",
            ),
            (
                "hr",
                "Komisija će predstaviti prijedlog o tome kako države članice mogu bolje razmjenjivati informacije o prijetnjama digitalnim mrežama, i to što je prije moguće.",
            ),
            (
                "sl",
                "Komisija bo predstavila predlog, kako lahko države članice bolje izmenjujejo informacije o grožnjah za digitalna omrežja, in to čim prej, saj je to nujno.",
            ),
            (
                "es",
                "La Comisión presentará una propuesta sobre cómo los Estados miembros pueden compartir mejor la información sobre las amenazas para las redes digitales.",
            ),
            (
                "pt",
                "A Comissão apresentará uma proposta sobre a forma como os Estados-Membros podem partilhar melhor as informações sobre as ameaças às redes digitais.",
            ),
            (
                "it",
                "La Commissione presenterà una proposta su come gli Stati membri possano condividere meglio le informazioni sulle minacce alle reti digitali.",
            ),
            (
                "nl",
                "De Commissie zal een voorstel indienen over de wijze waarop de lidstaten informatie over bedreigingen voor digitale netwerken beter kunnen delen.",
            ),
            (
                "de",
                "Die Kommission wird einen Vorschlag vorlegen, wie die Mitgliedstaaten Informationen über Bedrohungen für digitale Netze besser austauschen können.",
            ),
            (
                "fi",
                "Komissio esittää ehdotuksen siitä, miten jäsenvaltiot voivat jakaa paremmin tietoja digitaalisiin verkkoihin kohdistuvista uhista, ja se tehdään pian.",
            ),
            (
                "et",
                "Komisjon esitab ettepaneku selle kohta, kuidas liikmesriigid saaksid paremini jagada teavet digitaalvõrkude ohtude kohta, ning see tehakse kiiresti.",
            ),
        ];
        let mut wrong = Vec::new();
        for (code, text) in cases {
            let g = detect(text);
            if g.code != code {
                wrong.push(format!("{code} → {g:?}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        // Norwegian (not an EU language) reads as its closest EU neighbour, Danish.
        let nb = detect(
            "Den europeiske union vil fortsatt styrke samarbeidet med sine partnere innen cybersikkerhet og kunstig intelligens, samtidig som den beskytter borgernes grunnleggende rettigheter.",
        );
        assert_eq!(nb.code, "da");
    }

    #[test]
    fn short_or_empty_text_is_not_sure() {
        let g = detect("");
        assert_eq!(g.code, "und");
        assert!(!g.sure);
        let g = detect("12345 / 67 — 2025");
        assert_eq!(g.code, "und");
        assert!(!g.sure);
        // Three words are too few for a Latin-script language …
        assert!(!detect("de la Commission").sure);
        // … but enough when the script alone decides.
        let g = detect("Συμβούλιο της Ένωσης");
        assert_eq!(g.code, "el");
        assert!(g.sure);
        let g = detect("Съвет на Европейския съюз");
        assert_eq!(g.code, "bg");
        assert!(g.sure);
    }

    #[test]
    fn mixed_text_is_not_sure() {
        // Half English, half French: the two scores are close.
        let g = detect("The Council adopted the conclusions. Le Conseil a adopté les conclusions.");
        assert!(!g.sure, "{g:?}");
        assert!(matches!(g.code.as_str(), "en" | "fr"));
    }

    fn seed(name: &str) -> String {
        let path = format!("{}/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn seeds_are_detected() {
        for (file, code) in [
            ("000_564bb4f72c4e6f0b.txt", "nl"),
            ("001_6c080212c9899d65.txt", "nl"),
            ("002_e4aa9a8df6e4c856.txt", "da"),
            ("003_71cdc3d23886349a.txt", "nl"),
            ("004_4503f24d105d4ed2.txt", "de"),
        ] {
            let g = detect(&seed(file));
            assert_eq!(g.code, code, "{file}: {g:?}");
            assert!(g.sure, "{file}: {g:?}");
        }
    }
}
