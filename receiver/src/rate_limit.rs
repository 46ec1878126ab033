//! A per-client-IP request limit (GCRA, the token bucket without a timer): `n`
//! requests per period, all of them at once if the client was quiet for a period.
//! IPv6 clients are counted per /64, the block one subscriber usually has.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A number of requests per period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    /// Requests allowed per period (at least 1).
    pub requests: u32,
    /// The period.
    pub period: Duration,
}

impl Rate {
    /// `n` requests per minute.
    pub fn per_minute(n: u32) -> Rate {
        Rate {
            requests: n.max(1),
            period: Duration::from_secs(60),
        }
    }

    /// Reads `N/s`, `N/min` or `N/h`; `off` (or `0`) means no limit (`Ok(None)`).
    pub fn parse(text: &str) -> Result<Option<Rate>, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("off") || text == "0" {
            return Ok(None);
        }
        let bad = || format!("\"{text}\" is not N/s, N/min, N/h or off (e.g. 60/min)");
        let (n, unit) = text.split_once('/').ok_or_else(bad)?;
        let requests: u32 = n.trim().parse().map_err(|_| bad())?;
        let secs = match unit.trim() {
            "s" | "sec" | "second" => 1,
            "m" | "min" | "minute" => 60,
            "h" | "hour" => 3600,
            _ => return Err(bad()),
        };
        if requests == 0 {
            return Err(bad());
        }
        Ok(Some(Rate {
            requests,
            period: Duration::from_secs(secs),
        }))
    }

    fn interval(&self) -> Duration {
        self.period / self.requests.max(1)
    }
}

/// The most clients remembered; past this, the quiet ones are forgotten first.
const MAX_CLIENTS: usize = 100_000;

/// Counts requests per client.
#[derive(Debug)]
pub struct RateLimiter {
    rate: Rate,
    /// Per client: the theoretical arrival time of its next request.
    clients: Mutex<HashMap<IpAddr, Instant>>,
}

impl RateLimiter {
    /// A limiter at `rate`.
    pub fn new(rate: Rate) -> RateLimiter {
        RateLimiter {
            rate,
            clients: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request from `ip` at `now`: `Ok` if allowed, or how long to wait.
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        let key = client_key(ip);
        let interval = self.rate.interval();
        let burst = self.rate.period;
        let mut clients = match self.clients.lock() {
            Ok(guard) => guard,
            // A panic elsewhere while holding the lock: the counts are still usable.
            Err(poisoned) => poisoned.into_inner(),
        };
        if clients.len() >= MAX_CLIENTS {
            clients.retain(|_, tat| *tat > now);
        }
        let tat = clients.get(&key).copied().unwrap_or(now).max(now);
        let next = tat + interval;
        if next.saturating_duration_since(now) > burst {
            let wait = next.saturating_duration_since(now) - burst;
            return Err(wait);
        }
        if clients.len() < MAX_CLIENTS || clients.contains_key(&key) {
            clients.insert(key, next);
        }
        Ok(())
    }
}

/// IPv4 addresses as they are; IPv6 by their /64 (IPv4-mapped ones as IPv4).
fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rates() {
        assert_eq!(Rate::parse("60/min"), Ok(Some(Rate::per_minute(60))));
        assert_eq!(
            Rate::parse("5/s"),
            Ok(Some(Rate {
                requests: 5,
                period: Duration::from_secs(1)
            }))
        );
        assert_eq!(Rate::parse("off"), Ok(None));
        assert_eq!(Rate::parse("0"), Ok(None));
        for bad in ["", "60", "0/min", "x/min", "5/day", "-1/s"] {
            assert!(Rate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn allows_a_burst_then_paces() {
        let limiter = RateLimiter::new(Rate::per_minute(6));
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let t0 = Instant::now();
        for _ in 0..6 {
            assert!(limiter.check(ip, t0).is_ok());
        }
        let wait = limiter.check(ip, t0).unwrap_err();
        assert!(
            wait > Duration::from_secs(9) && wait <= Duration::from_secs(10),
            "{wait:?}"
        );
        // Another client is not affected.
        assert!(limiter.check("192.0.2.2".parse().unwrap(), t0).is_ok());
        // One interval later, one more request.
        let t1 = t0 + Duration::from_secs(10);
        assert!(limiter.check(ip, t1).is_ok());
        assert!(limiter.check(ip, t1).is_err());
        // A quiet period refills the burst.
        let t2 = t1 + Duration::from_secs(60);
        for _ in 0..6 {
            assert!(limiter.check(ip, t2).is_ok());
        }
        assert!(limiter.check(ip, t2).is_err());
    }

    #[test]
    fn ipv6_counts_per_64() {
        let limiter = RateLimiter::new(Rate::per_minute(1));
        let t0 = Instant::now();
        assert!(limiter.check("2001:db8::1".parse().unwrap(), t0).is_ok());
        assert!(limiter
            .check("2001:db8::ffff:1".parse().unwrap(), t0)
            .is_err());
        assert!(limiter
            .check("2001:db8:0:1::1".parse().unwrap(), t0)
            .is_ok());
        assert!(limiter
            .check("::ffff:192.0.2.9".parse().unwrap(), t0)
            .is_ok());
        assert!(limiter.check("192.0.2.9".parse().unwrap(), t0).is_err());
    }
}
