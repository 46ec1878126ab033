//! What kind of line a number is: libphonenumber's number types for Vietnam.

use serde::{Deserialize, Serialize};

/// The kind of a Vietnamese phone number, as libphonenumber classifies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhoneKind {
    /// A landline: 10 national digits starting with a 2xx area code (0236 382 1234).
    FixedLine,
    /// A mobile: 9 national digits in the 3x, 5x, 7x, 8x and 9x blocks (0902 666 984).
    Mobile,
    /// A free-to-call service number: 1800 … (and 120x/1228 … eight-digit ones).
    TollFree,
    /// A premium-rate service number: 1900 ….
    PremiumRate,
    /// A VoIP (VSAT) number: 0672 ….
    Voip,
    /// A universal access number: 0199 …, 0799 …, 069 … (ministries of defence and public security).
    Uan,
}
