#!/usr/bin/env python3
"""Derives the phone tables and the parity corpus from Google's libphonenumber.

    pip install phonenumbers          # the latest release is the reference
    python3 scripts/phone_corpus.py   # writes both outputs below
    python3 scripts/phone_corpus.py tables|corpus   # only one of them

Outputs (both committed):

* src/phone/tables.rs -- Vietnam's numbering plan as libphonenumber's metadata
  describes it, flattened to blocks "every number of N digits whose first four
  digits lie in LO..=HI is of kind K, printed with format F, allocated to carrier
  C". Probing shows the VN patterns never look past the fourth digit; the script
  checks that on every (prefix, length) with several random endings and stops if
  a future metadata release breaks it.
* tests/data/phone/corpus-NN.tsv.gz -- at least 50,000 inputs: every 4-digit
  prefix at every length 7-11, each in several of the ways visitors type numbers,
  plus hand-picked cases. Each line: input, libphonenumber's verdict, our
  expected verdict ("=" when identical) and a departure tag. tests/phone_corpus.rs
  checks the Rust parser against it.

Deterministic: fixed random seed, gzip without timestamps. Rerun after upgrading
phonenumbers; review the diff of tables.rs and the corpus.
"""

import gzip
import os
import random
import re
import sys
import unicodedata

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberFormat, PhoneNumberType, carrier

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLES = os.path.join(ROOT, "src", "phone", "tables.rs")
CORPUS_DIR = os.path.join(ROOT, "tests", "data", "phone")
LINES_PER_CHUNK = 40000

META = phonenumbers.PhoneMetadata.metadata_for_region("VN")

# Kinds libphonenumber can give a valid VN number, in the order of our PhoneKind.
KINDS = {
    PhoneNumberType.FIXED_LINE: ("FixedLine", "fixed_line"),
    PhoneNumberType.MOBILE: ("Mobile", "mobile"),
    PhoneNumberType.TOLL_FREE: ("TollFree", "toll_free"),
    PhoneNumberType.PREMIUM_RATE: ("PremiumRate", "premium_rate"),
    PhoneNumberType.VOIP: ("Voip", "voip"),
    PhoneNumberType.UAN: ("Uan", "uan"),
}

# Carrier names: libphonenumber's carrier data (en) spelt as the networks spell
# their brand today. Not a parity item (libphonenumber's parity covers validity,
# kind, E.164 and national format), so the corpus' reference column already uses
# these spellings.
CARRIER_RENAME = {
    "Viettel": "Viettel",
    "Vinaphone": "VinaPhone",
    "MobiFone": "MobiFone",
    "Vietnamobile": "Vietnamobile",
    "G-Mobile": "Gmobile",
    "Indochina Telecom": "Itelecom",  # Indochina Telecom trades as Itelecom
    "Reddi": "Wintel",  # Mobicast's Reddi (055) now trades as Wintel
}
# Prefixes (of the national significant number) where we depart from
# libphonenumber's carrier data; docs/phone.md gives the reasons.
CARRIER_OVERRIDES = {
    "87": "Itelecom",  # 087 was allocated to Itelecom in 2020; libphonenumber still says Vinaphone
    "990": "Gmobile",  # inside Gmobile's 099 block; libphonenumber has no carrier for it
    "991": "Gmobile",
}
CARRIERS = ["Viettel", "VinaPhone", "MobiFone", "Vietnamobile", "Gmobile", "Itelecom", "Wintel"]

# --- Beyond libphonenumber: renumbering history (an independent transcription of
# the tables in src/phone/obsolete.rs; the corpus test cross-checks the two).
# 2018: 11-digit mobiles -> 10 digits (Ministry of Information and Communications,
# Decision 798/QD-BTTTT, effective 15 September 2018).
MOBILE_2018 = {
    "120": "70", "121": "79", "122": "77", "126": "76", "128": "78",  # MobiFone
    "123": "83", "124": "84", "125": "85", "127": "81", "129": "82",  # VinaPhone
    "162": "32", "163": "33", "164": "34", "165": "35", "166": "36",  # Viettel
    "167": "37", "168": "38", "169": "39",
    "186": "56", "188": "58",  # Vietnamobile
    "199": "59",  # Gmobile
}
# 2017: landline area codes (Circular 22/2014/TT-BTTTT, in three phases from
# 11 Feb to 17 Jun 2017). Old code -> new code, trunk 0 omitted.
LANDLINE_2017 = {
    # phase 1, 11 Feb 2017
    "22": "212", "231": "213", "20": "214", "230": "215", "29": "216",
    "52": "232", "53": "233", "54": "234", "510": "235", "511": "236",
    "37": "237", "38": "238", "39": "239",
    # phase 2, 15 Apr 2017
    "33": "203", "240": "204", "25": "205", "26": "206", "27": "207",
    "280": "208", "281": "209", "320": "220", "321": "221", "241": "222",
    "31": "225", "351": "226", "36": "227", "350": "228", "30": "229",
    "780": "290", "781": "291", "710": "292", "711": "293", "74": "294",
    "76": "296", "77": "297", "79": "299",
    # phase 3, 17 Jun 2017
    "4": "24", "8": "28",
    "61": "251", "62": "252", "64": "254", "55": "255", "56": "256",
    "57": "257", "58": "258", "68": "259", "60": "260", "501": "261",
    "500": "262", "63": "263", "59": "269", "70": "270", "651": "271",
    "72": "272", "73": "273", "650": "274", "75": "275", "66": "276",
    "67": "277",
}

# --- What our parser reads (src/phone/input.rs), as a model.
PLUS = "+\uff0b"
# libphonenumber's punctuation minus "x" (a letter: an error for us) and the
# tildes "~" / full-width tilde (libphonenumber reads them as extension marks),
# plus "*" which libphonenumber also skips.
SEPARATORS = set(
    "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff0d\uff0e\uff0f "
    "\u00a0\u00ad\u200b\u2060\u3000()\uff08\uff09\uff3b\uff3d.[]/\u2053\u223c*"
)
# Invisible formatting marks that copy and paste brings along; libphonenumber
# rejects them between digits, we ignore them everywhere.
INVISIBLE = set(
    "\u061c\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069\ufeff"
)
UNWANTED_END = re.compile(r"(?u)(?:_|[^#\w])+$")


def our_junk(c):
    """What our reader drops at the end: ASCII non-alphanumerics but `#`, `_`, and
    the non-ASCII runs of TRAILING_JUNK (a subset of what libphonenumber drops)."""
    if c == "_":
        return True
    if c.isascii():
        return not (c.isalnum() or c == "#")
    return any(lo <= ord(c) <= hi for lo, hi in JUNK_RANGES)


def vn_number(nsn):
    return PhoneNumber(country_code=84, national_number=int(nsn))


def describe_valid(num):
    """(kind name, e164, national, carrier) of a valid number."""
    kind = KINDS[phonenumbers.number_type(num)][1]
    e164 = phonenumbers.format_number(num, PhoneNumberFormat.E164)
    national = phonenumbers.format_number(num, PhoneNumberFormat.NATIONAL)
    return kind, e164, national, carrier_of(num)


def carrier_of(num):
    if phonenumbers.number_type(num) != PhoneNumberType.MOBILE:
        return ""
    nsn = phonenumbers.national_significant_number(num)
    for prefix in sorted(CARRIER_OVERRIDES, key=len, reverse=True):
        if nsn.startswith(prefix):
            return CARRIER_OVERRIDES[prefix]
    name = carrier.name_for_number(num, "en")
    return CARRIER_RENAME[name] if name else ""


def carrier_reference(num):
    """libphonenumber's own carrier, renamed but without our prefix overrides."""
    if phonenumbers.number_type(num) != PhoneNumberType.MOBILE:
        return ""
    name = carrier.name_for_number(num, "en")
    return CARRIER_RENAME[name] if name else ""


# ---------------------------------------------------------------- tables.rs


def probe_blocks(rng):
    """Flattens the VN metadata to blocks; checks that four digits decide."""
    blocks, formats = [], []
    for length in range(7, 11):
        current = None
        for prefix in range(1000, 10000):
            p = str(prefix)
            endings = ["0" * (length - 4), "9" * (length - 4)] + [
                "".join(rng.choice("0123456789") for _ in range(length - 4)) for _ in range(6)
            ]
            seen = set()
            for ending in endings:
                num = vn_number(p + ending)
                if not phonenumbers.is_valid_number(num):
                    seen.add(None)
                    continue
                kind, _, national, carrier_name = describe_valid(num)
                parts = national.split(" ")
                trunk = "".join(parts) == "0" + p + ending
                if not trunk:
                    assert "".join(parts) == p + ending, national
                groups = [len(x) for x in parts]
                if trunk:
                    groups[0] -= 1
                seen.add((kind, (trunk, tuple(groups)), carrier_name))
            if len(seen) != 1:
                sys.exit(f"prefix {p} length {length}: verdict depends on later digits: {seen}")
            verdict = seen.pop()
            if verdict is None:
                current = None
                continue
            kind, fmt, carrier_name = verdict
            if fmt not in formats:
                formats.append(fmt)
            key = (kind, formats.index(fmt), carrier_name)
            if current is not None and current["key"] == key and current["hi"] == prefix - 1:
                current["hi"] = prefix
            else:
                current = {"lo": prefix, "hi": prefix, "len": length, "key": key}
                blocks.append(current)
    return blocks, formats


def general_lengths():
    """Lengths the general description allows, by first digit (bit n = length 7+n)."""
    pattern = re.compile(META.general_desc.national_number_pattern)
    out = []
    for first in "0123456789":
        mask = 0
        for length in range(1, 18):
            hits = {bool(pattern.fullmatch(first + e * (length - 1))) for e in "0123456789"}
            if len(hits) != 1:
                sys.exit(f"general desc depends on more than the first digit ({first}, {length})")
            if hits.pop():
                if not 7 <= length <= 10:
                    sys.exit(f"general desc allows length {length}")
                mask |= 1 << (length - 7)
        out.append(mask)
    return out


def country_code_bitmap():
    bits = [0] * 125
    for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
        assert 0 < code < 1000
        bits[code // 8] |= 1 << (code % 8)
    return bits


def digit_zeros():
    zeros = [c for c in range(0x110000)
             if unicodedata.category(chr(c)) == "Nd" and unicodedata.decimal(chr(c)) == 0]
    for z in zeros:
        for i in range(10):
            assert unicodedata.category(chr(z + i)) == "Nd" and unicodedata.decimal(chr(z + i)) == i
    total = sum(1 for c in range(0x110000) if unicodedata.category(chr(c)) == "Nd")
    assert total == 10 * len(zeros)
    return zeros


# Blocks where visitors' trailing symbols come from: Latin-1, general punctuation to
# miscellaneous symbols, CJK punctuation, compatibility and full-width forms,
# specials, emoji. Within them, the runs libphonenumber (Python's `\w`) does not
# count as letters or digits: those it drops at the end of a number.
JUNK_BLOCKS = [(0x80, 0xFF), (0x2000, 0x2BFF), (0x3000, 0x303F), (0xFE30, 0xFE6F),
               (0xFF00, 0xFFEF), (0xFFF0, 0xFFFF), (0x1F000, 0x1FAFF)]


def junk_ranges():
    runs = []
    for lo, hi in JUNK_BLOCKS:
        start = None
        for c in range(lo, hi + 2):
            junk = c <= hi and not (chr(c).isalnum() or chr(c) == "_")
            if junk and start is None:
                start = c
            if not junk and start is not None:
                runs.append((start, c - 1))
                start = None
    return runs


def rust_list(items, per_line, indent="    "):
    lines = []
    for i in range(0, len(items), per_line):
        lines.append(indent + ", ".join(items[i:i + per_line]) + ",")
    return "\n".join(lines)


def write_tables():
    rng = random.Random(84)
    blocks, formats = probe_blocks(rng)
    general = general_lengths()
    codes = country_code_bitmap()
    zeros = digit_zeros()
    kind_names = {v[1]: v[0] for v in KINDS.values()}
    out = []
    out.append("// @generated by scripts/phone_corpus.py from the Python `phonenumbers` "
               f"{phonenumbers.__version__} metadata")
    out.append(f"// (Unicode {unicodedata.unidata_version}). Do not edit: rerun the script.")
    out.append("//! Vietnam's numbering plan, flattened from libphonenumber's metadata.")
    out.append("")
    out.append("use super::carrier::Carrier;")
    out.append("use super::kind::PhoneKind;")
    out.append("use super::plan::{Block, Format};")
    out.append("")
    out.append(f"/// The `phonenumbers` release these tables were derived from.")
    out.append(f"pub(crate) const SOURCE_VERSION: &str = \"{phonenumbers.__version__}\";")
    out.append("")
    # Grouped by first digit so that a lookup scans a handful of blocks: split the
    # blocks that straddle two first digits (8960..9099 -> 8960..8999, 9000..9099).
    split = []
    for b in blocks:
        lo = b["lo"]
        while lo // 1000 != b["hi"] // 1000:
            split.append(dict(b, lo=lo, hi=(lo // 1000) * 1000 + 999))
            lo = (lo // 1000 + 1) * 1000
        split.append(dict(b, lo=lo))
    blocks = split
    blocks.sort(key=lambda b: (b["lo"] // 1000, b["len"], b["lo"]))
    out.append("/// Every valid national significant number, grouped by first digit (see")
    out.append("/// `BLOCKS_BY_FIRST_DIGIT`), then by length and prefix.")
    out.append(f"pub(super) static BLOCKS: [Block; {len(blocks)}] = [")
    previous = None
    for b in blocks:
        if b["lo"] // 1000 != previous:
            previous = b["lo"] // 1000
            out.append(f"    // numbers starting with {previous}")
        kind, fmt, carrier_name = b["key"]
        c = f"Some(Carrier::{carrier_name})" if carrier_name else "None"
        out.append(f"    Block {{ len: {b['len']}, lo: {b['lo']}, hi: {b['hi']}, "
                   f"kind: PhoneKind::{kind_names[kind]}, format: {fmt}, carrier: {c} }},")
    out.append("];")
    out.append("")
    starts = [sum(1 for b in blocks if b["lo"] // 1000 < d) for d in range(11)]
    out.append("/// Where the blocks of numbers starting with 0, 1, … 9 start in `BLOCKS`; the last")
    out.append("/// entry ends them.")
    out.append(f"pub(super) static BLOCKS_BY_FIRST_DIGIT: [u8; 11] = {starts};")
    out.append("")
    lengths2 = [0] * 100
    for b in blocks:
        for p2 in range(b["lo"] // 100, b["hi"] // 100 + 1):
            lengths2[p2] |= 1 << (b["len"] - 7)
    out.append("/// By first two digits, the lengths of the numbers that start with them")
    out.append("/// (bit n = 7 + n digits).")
    out.append("pub(super) static LENGTHS_BY_TWO_DIGITS: [u8; 100] = [")
    out.append(rust_list([str(x) for x in lengths2], 20))
    out.append("];")
    out.append("")
    out.append("/// libphonenumber's NATIONAL formats: trunk 0 or not, digit groups.")
    out.append(f"pub(super) static FORMATS: [Format; {len(formats)}] = [")
    for trunk, groups in formats:
        g = list(groups) + [0] * (4 - len(groups))
        out.append(f"    Format {{ trunk: {'true' if trunk else 'false'}, groups: {g} }},")
    out.append("];")
    out.append("")
    out.append("/// The general description: by first digit, the lengths it allows (bit n = 7 + n).")
    out.append(f"pub(super) static GENERAL_LENGTHS: [u8; 10] = {general};")
    out.append("")
    out.append("/// Country calling codes libphonenumber knows, as a bitmap over 0..1000.")
    out.append("pub(super) static COUNTRY_CODES: [u8; 125] = [")
    out.append(rust_list([f"0x{b:02x}" for b in codes], 16))
    out.append("];")
    out.append("")
    junk = junk_ranges()
    out.append("/// Non-ASCII characters libphonenumber drops at the end of a number (neither")
    out.append("/// letters nor digits), within the blocks visitors' symbols come from; sorted.")
    out.append(f"pub(super) static TRAILING_JUNK: [(u32, u32); {len(junk)}] = [")
    out.append(rust_list([f"(0x{a:05x}, 0x{b:05x})" for a, b in junk], 4))
    out.append("];")
    out.append("")
    out.append("/// The zero of every run of ten Unicode decimal digits (category Nd), sorted.")
    out.append(f"pub(super) static DIGIT_ZEROS: [u32; {len(zeros)}] = [")
    out.append(rust_list([f"0x{z:05x}" for z in zeros], 8))
    out.append("];")
    text = "\n".join(out) + "\n"
    with open(TABLES, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {TABLES}: {len(blocks)} blocks, {len(formats)} formats")


# ---------------------------------------------------------------- verdicts


def reference(text):
    """libphonenumber's verdict: '-' or 'kind|e164|national|carrier'; plus details."""
    try:
        num = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException:
        return "-", None
    if phonenumbers.is_valid_number(num) and phonenumbers.region_code_for_number(num) == "VN":
        kind, e164, national, _ = describe_valid(num)
        return "|".join([kind, e164, national, carrier_reference(num)]), num
    return "-", num


def obsolete_fix(nsn):
    if len(nsn) == 10 and nsn[:3] in MOBILE_2018:
        new = MOBILE_2018[nsn[:3]] + nsn[3:]
        num = vn_number(new)
        if phonenumbers.is_valid_number(num) and phonenumbers.number_type(num) == PhoneNumberType.MOBILE:
            return "m2018", num
    for old, new_code in LANDLINE_2017.items():
        sub = 8 if len(old) == 1 else 7
        if len(nsn) == len(old) + sub and nsn.startswith(old):
            num = vn_number(new_code + nsn[len(old):])
            if phonenumbers.is_valid_number(num) and phonenumbers.number_type(num) == PhoneNumberType.FIXED_LINE:
                return "l2017", num
    return None


def ours(text):
    """What our parser must answer, and the departure tag (empty when none)."""
    ref, _ = reference(text)
    if len(text) > 250:
        return "-", ""
    if ";phone-context=" in text:
        return "-", ("rfc3966" if ref != "-" else "")
    clean = "".join(c for c in text if c not in INVISIBLE)
    start = next((i for i, c in enumerate(clean) if c in PLUS or c.isdecimal()), None)
    if start is not None:
        body = clean[start:]
        end = len(body)
        while end > 0 and (body[end - 1] in INVISIBLE or our_junk(body[end - 1])):
            end -= 1
        trimmed = body[:end]
        m = UNWANTED_END.search(body)
        if m and body[:m.start()] != trimmed:
            # libphonenumber drops a trailing character we do not (see TRAILING_JUNK).
            return "-", ("trailing" if ref != "-" else "")
        body = trimmed
        i = 0
        while i < len(body) and body[i] in PLUS:
            i += 1
        for c in body[i:]:
            if not (c.isdecimal() or c in SEPARATORS):
                if ref == "-":
                    return "-", ""
                if c.isalpha():
                    return "-", "letters"
                if c in "~\uff5e":
                    return "-", "tilde"
                return "-", "extension"
    verdict, num = reference(clean)
    tags = []
    if clean != text and verdict != ref:
        tags.append("invisible")
    if verdict == "-" and num is not None and num.country_code == 84:
        fix = obsolete_fix(phonenumbers.national_significant_number(num))
        if fix:
            verdict = f"obsolete|{fix[0]}|{phonenumbers.format_number(fix[1], PhoneNumberFormat.E164)}"
            tags.append("obsolete")
    if verdict != "-" and not verdict.startswith("obsolete"):
        ours_carrier = carrier_of(num)
        parts = verdict.split("|")
        if parts[3] != ours_carrier:
            parts[3] = ours_carrier
            verdict = "|".join(parts)
            tags.append("carrier")
    return verdict, "+".join(tags)


# ---------------------------------------------------------------- input forms

FULLWIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}
SCRIPTS = [0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0x1040, 0xFF10]
LABELS = ["SĐT: ", "ĐT: ", "SĐT ", "Đt:", "Tel: ", "tel. ", "Điện thoại: ", "Số điện thoại: ",
          "Hotline: ", "Mobile: ", "DĐ: ", "Phone:", "Liên hệ: "]
GROUPINGS = [(4, 3, 3), (3, 3, 4), (3, 4, 3), (2, 4, 4), (4, 4), (3, 3, 3), (2, 3, 2, 2), (4, 6), (3, 4)]


def group(digits, sep, rng):
    sizes = list(rng.choice(GROUPINGS))
    out, i = [], 0
    for s in sizes:
        if i >= len(digits):
            break
        out.append(digits[i:i + s])
        i += s
    if i < len(digits):
        out.append(digits[i:])
    return sep.join(out)


def national_part(s):
    """The digits after +84 for a base string: drop one trunk 0 if present."""
    return s[1:] if s.startswith("0") else s


def f_plain(s, rng): return s
def f_spaces(s, rng): return group(s, " ", rng)
def f_dots(s, rng): return group(s, ".", rng)
def f_dashes(s, rng): return group(s, rng.choice(["-", "\u2013", "\u2010", "\u2212"]), rng)
def f_parens(s, rng):
    k = rng.choice([3, 4])
    return f"({s[:k]}) {group(s[k:], rng.choice([' ', '-', '.']), rng)}"
def f_slash(s, rng): return group(s, "/", rng)
def f_plus84(s, rng): return rng.choice(["+84 ", "+84", "+84-", "(+84) ", "+ 84 "]) + group(national_part(s), " ", rng)
def f_plus84_zero(s, rng): return rng.choice(["+84 ", "+84-", "+84"]) + s
def f_idd(s, rng): return rng.choice(["0084 ", "0084", "00 84 ", "(0084) "]) + group(national_part(s), " ", rng)
def f_bare84(s, rng): return rng.choice(["84", "84 ", "84-"]) + national_part(s)
def f_paren0(s, rng): return rng.choice(["+84 (0) ", "+84(0)", "+84 (0)", "0084 (0) "]) + group(national_part(s), " ", rng)
def f_wide_space(s, rng):
    return group(s, rng.choice(["\u00a0", "\u3000", "\u200b", "\u2060", "\u00ad", " \u00a0"]), rng)
def f_bidi_edges(s, rng):
    a, b = rng.choice(INVISIBLE_LIST), rng.choice(INVISIBLE_LIST)
    return a + group(s, " ", rng) + b
def f_bidi_inside(s, rng):
    t = group(s, rng.choice([" ", ".", ""]), rng)
    k = rng.randrange(1, len(t))
    return t[:k] + rng.choice(INVISIBLE_LIST) + t[k:]
def f_fullwidth(s, rng):
    t = "".join(FULLWIDTH[c] for c in s)
    return rng.choice(["", "\uff0b\uff18\uff14" if not s.startswith("0") else ""]) + t
def f_fullwidth_mixed(s, rng):
    return group("".join(FULLWIDTH[c] if rng.random() < 0.5 else c for c in s), rng.choice(["\uff0d", "\u3000", " "]), rng)
def f_tel(s, rng):
    return rng.choice(["tel:", "tel:", "TEL:", "tel: "]) + rng.choice([s, "+84" + national_part(s), "+84-" + group(national_part(s), "-", rng)])
def f_label(s, rng): return rng.choice(LABELS) + group(s, rng.choice([" ", ".", ""]), rng)
def f_script(s, rng):
    z = rng.choice(SCRIPTS)
    return "".join(chr(z + int(c)) for c in s)
def f_letter_inside(s, rng):
    k = rng.randrange(1, len(s))
    return s[:k] + rng.choice("aOolxABCđ") + s[k:]
def f_extension(s, rng):
    return group(s, " ", rng) + rng.choice([" ext 12", " ext. 123", " x12", " #12", ",,12", ";12", ", 12", " máy lẻ 12", "#"])
def f_trailing_junk(s, rng):
    return group(s, " ", rng) + rng.choice([".", " )", "!", " ,", " - ", "...", ";", " 🙂", "_"])
def f_tilde(s, rng): return group(s, rng.choice(["~", "\uff5e", "\u223c", "\u2053"]), rng)
def f_star(s, rng): return group(s, "*", rng)
def f_mixed(s, rng):
    return rng.choice(LABELS) + rng.choice(INVISIBLE_LIST) + rng.choice(["+84 (0) ", "0084 ", "+84 "]) + \
        group("".join(FULLWIDTH[c] if rng.random() < 0.3 else c for c in national_part(s)), rng.choice(["\u00a0", ".", "-"]), rng)


INVISIBLE_LIST = sorted(INVISIBLE)
JUNK_RANGES = junk_ranges()
NATIONAL_FORMS = [f_plain, f_spaces, f_dots, f_dashes, f_parens, f_slash, f_wide_space]
DECORATED_FORMS = [f_plus84, f_plus84_zero, f_idd, f_bare84, f_paren0, f_wide_space, f_bidi_edges,
                   f_bidi_inside, f_fullwidth, f_fullwidth_mixed, f_tel, f_label, f_script,
                   f_letter_inside, f_extension, f_trailing_junk, f_tilde, f_star, f_mixed,
                   f_spaces, f_dots, f_parens]
INTERNATIONAL_FORMS = [f_plus84, f_idd, f_bare84, f_paren0, f_tel, f_mixed]


def curated():
    """Hand-picked inputs: the examples of the spec and every renumbering."""
    rng = random.Random(2018)
    out = [
        "", " ", "\u200e", "SĐT:", "tel:", "+", "+8", "+84", "0", "09", "0902", "abc", "O902666984",
        "0902666984", "0902 666 984", "+84 902 666 984", "+84 (0) 902 666 984", "0084 902 666 984",
        "84 902 666 984", "84902666984", "849026669", "0838221234", "08 3822 1234", "028 3822 1234",
        "024 3825 1234", "04 3825 1234", "0511 382 1234", "0236 382 1234", "0162 123 4567",
        "1800 1234", "1800 123456", "1900 1234", "19001234567", "1992000", "0199 2000", "069 12345",
        "0672 123 456", "012 103 45 67", "0140 123 456", "0160 123 456", "1201 2345", "1228 2345",
        "+1 650 253 0000", "+44 20 7031 3000", "0033 1 42 68 53 00", "+0902666984", "+0084902666984",
        "+00 84 902 666 984", "00 0902 666 984", "000902666984", "00902666984", "++84902666984",
        "+84+902666984", "0902666984#", "0902666984 ext 12", "0902-666-984;12", "0902666984,,12",
        "tel:0902666984;phone-context=+84", "tel:+84902666984;isub=12", "x;phone-context=+84 0902666984",
        "0902~666~984", "+84~902666984", "0902*666*984", "0902\t666\t984", "0902\u202f666\u202f984",
        "\u202a0902 666 984\u202c", "\u2066+84 902 666 984\u2069", "0902\u200d666\u200c984",
        "\ufeff0902666984", "+\u200e84 902 666 984", "\u0660\u0669\u0660\u0662\u0666\u0666\u0666\u0669\u0668\u0664",
        "０９０２　６６６　９８４", "＋８４ ９０２ ６６６ ９８４", "0902 666 984²", "0902666984đ", "(0902) 666-984)",
        "0" * 40, "0902666984" * 25, "0902666984" + " " * 240, "0902666984" + " " * 241, "9" * 250,
        "0902 666 984 / 0912 345 678", "Số: 0902 666 984 (anh Nam)", "0902 666 984 (anh Nam)",
        "1" * 17, "1" * 18, "84", "8424", "8412345", "841621234567", "+841621234567",
        "0902666984\u0301", "0902 666 984 \u0f04", "0902 666 984 \u00b2", "0902 666 984 “",
        "0902 666 984 。", "0902 666 984 ✔", "0902 666 984 ©", "0902 666 984 ª",
    ]
    for old, new in sorted(MOBILE_2018.items()):
        sub = "".join(rng.choice("0123456789") for _ in range(7))
        out += [f"0{old}{sub}", f"0{old} {sub[:3]} {sub[3:]}", f"+84 {old} {sub}", f"0{new}{sub}"]
    for old, new in sorted(LANDLINE_2017.items()):
        sub_len = 8 if len(old) == 1 else 7
        for first in "2345678":
            sub = first + "".join(rng.choice("0123456789") for _ in range(sub_len - 1))
            out += [f"0{old} {sub}", f"(0{old}) {sub}", f"+84 {old} {sub}", f"0{new} {sub}"]
    for code in range(200, 300):
        sub = "".join(rng.choice("0123456789") for _ in range(7))
        out += [f"0{code} {sub}", f"0{code} {sub[:3]} {sub[3:]}0"]
    return out


def write_corpus():
    rng = random.Random(3)
    inputs = []
    for prefix in range(10000):
        p = f"{prefix:04d}"
        for length in range(7, 12):
            s = p + "".join(rng.choice("0123456789") for _ in range(length - 4))
            inputs.append(rng.choice(NATIONAL_FORMS)(s, rng))
            inputs.append(rng.choice(DECORATED_FORMS)(s, rng))
            if not p.startswith("0"):
                inputs.append(rng.choice(INTERNATIONAL_FORMS)(s, rng))
    inputs += curated()
    os.makedirs(CORPUS_DIR, exist_ok=True)
    for name in os.listdir(CORPUS_DIR):
        if name.startswith("corpus-") and name.endswith(".tsv.gz"):
            os.remove(os.path.join(CORPUS_DIR, name))
    tags, valid, lines = {}, 0, []
    for text in inputs:
        ref, _ = reference(text)
        mine, tag = ours(text)
        if ref != "-":
            valid += 1
        tags[tag] = tags.get(tag, 0) + 1
        lines.append("\t".join([escape(text), ref, "=" if mine == ref else mine, tag]))
    header = (f"# parity corpus: phonenumbers {phonenumbers.__version__}, generated by "
              "scripts/phone_corpus.py\n# input\treference\tours\tdeparture\n")
    for i in range(0, len(lines), LINES_PER_CHUNK):
        path = os.path.join(CORPUS_DIR, f"corpus-{i // LINES_PER_CHUNK:02d}.tsv.gz")
        body = header + "\n".join(lines[i:i + LINES_PER_CHUNK]) + "\n"
        with open(path, "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
                f.write(body.encode("utf-8"))
        size = os.path.getsize(path)
        assert size < 1_000_000, f"{path} is {size} bytes"
        print(f"wrote {path} ({size} bytes)")
    print(f"{len(lines)} inputs, {valid} valid for libphonenumber; departures: "
          + ", ".join(f"{k or 'none'}={v}" for k, v in sorted(tags.items())))


def escape(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


if __name__ == "__main__":
    what = sys.argv[1:] or ["tables", "corpus"]
    if "tables" in what:
        write_tables()
    if "corpus" in what:
        write_corpus()
