//! Mobile networks and the number blocks allocated to them.

use serde::{Deserialize, Serialize};

/// The Vietnamese mobile network a number block was allocated to.
///
/// Since 2021 subscribers may keep their number when they change network, so this
/// names the network that issued the number, not necessarily the one serving it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Carrier {
    /// Viettel: 032–039, 086, 096–098 (and the 0160 block).
    Viettel,
    /// VinaPhone (VNPT): 081–085, 088, 091, 094.
    VinaPhone,
    /// MobiFone: 070, 076–079, 089, 090, 093 (and the 030, 051, 0121x, 0140 blocks).
    MobiFone,
    /// Vietnamobile: 052, 056, 058, 092.
    Vietnamobile,
    /// Gmobile (Gtel): 059, 099.
    Gmobile,
    /// Itelecom (Indochina Telecom): 087, 0998, 0999.
    Itelecom,
    /// Wintel, formerly Reddi (Mobicast): 055.
    Wintel,
}

impl Carrier {
    /// The network's brand name, as it writes it: "Viettel", "VinaPhone", "MobiFone"…
    pub fn name(self) -> &'static str {
        match self {
            Carrier::Viettel => "Viettel",
            Carrier::VinaPhone => "VinaPhone",
            Carrier::MobiFone => "MobiFone",
            Carrier::Vietnamobile => "Vietnamobile",
            Carrier::Gmobile => "Gmobile",
            Carrier::Itelecom => "Itelecom",
            Carrier::Wintel => "Wintel",
        }
    }
}
