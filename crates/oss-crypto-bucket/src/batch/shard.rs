//! `--shard INDEX/COUNT`: a stable split of the key space by a hash of the object key.

use core::fmt;
use core::str::FromStr;

use md5::{Digest as _, Md5};

/// One of `count` disjoint parts of the key space; shard `index` holds the keys whose hash
/// is `index` modulo `count`. The hash is the first 8 bytes (big endian) of the key's MD5,
/// fixed here for good: processes of different versions and machines agree on the split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

/// A shard specification that is not `INDEX/COUNT` with `INDEX < COUNT`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("shard {0:?} is not INDEX/COUNT with 0 <= INDEX < COUNT (e.g. 0/4)")]
pub struct ShardError(String);

impl Shard {
    /// The whole key space (one shard).
    pub const ALL: Self = Self { index: 0, count: 1 };

    /// Shard `index` of `count`.
    ///
    /// # Errors
    ///
    /// [`ShardError`] unless `index < count`.
    pub fn new(index: u64, count: u64) -> Result<Self, ShardError> {
        if index >= count {
            return Err(ShardError(format!("{index}/{count}")));
        }
        Ok(Self { index, count })
    }

    /// The shard index.
    #[must_use]
    pub const fn index(&self) -> u64 {
        self.index
    }

    /// The number of shards.
    #[must_use]
    pub const fn count(&self) -> u64 {
        self.count
    }

    /// Whether `key` belongs to this shard.
    #[must_use]
    pub fn contains(&self, key: &str) -> bool {
        self.count == 1 || key_hash(key) % self.count == self.index
    }
}

impl Default for Shard {
    fn default() -> Self {
        Self::ALL
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = ShardError;

    fn from_str(text: &str) -> Result<Self, ShardError> {
        let bad = || ShardError(text.to_owned());
        let (index, count) = text.trim().split_once('/').ok_or_else(bad)?;
        let index = index.trim().parse().map_err(|_| bad())?;
        let count = count.trim().parse().map_err(|_| bad())?;
        Self::new(index, count).map_err(|_| bad())
    }
}

fn key_hash(key: &str) -> u64 {
    let digest = Md5::digest(key.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        assert_eq!("2/5".parse::<Shard>(), Shard::new(2, 5));
        assert_eq!(" 0 / 1 ".parse::<Shard>(), Ok(Shard::ALL));
        for bad in ["5/5", "1/0", "x/2", "1", "-1/2", "1/2/3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        assert_eq!(Shard::new(3, 8).unwrap().to_string(), "3/8");
    }

    #[test]
    fn every_key_is_in_exactly_one_shard() {
        let count = 7;
        let shards: Vec<Shard> = (0..count).map(|i| Shard::new(i, count).unwrap()).collect();
        let mut sizes = vec![0usize; 7];
        for n in 0..7000 {
            let key = format!("dir/{n}.bin");
            let owners: Vec<usize> = (0..shards.len())
                .filter(|&i| shards[i].contains(&key))
                .collect();
            assert_eq!(owners.len(), 1, "{key}");
            sizes[owners[0]] += 1;
        }
        // A usable hash spreads the keys: every shard within 20% of the mean.
        assert!(
            sizes.iter().all(|&s| (800..=1200).contains(&s)),
            "{sizes:?}"
        );
    }

    #[test]
    fn the_split_is_fixed() {
        // MD5("a") = 0cc175b9c0f1b6a8..., so the hash is 0x0cc175b9c0f1b6a8.
        assert_eq!(key_hash("a"), 0x0cc1_75b9_c0f1_b6a8);
        assert!(
            Shard::new(0x0cc1_75b9_c0f1_b6a8 % 3, 3)
                .unwrap()
                .contains("a")
        );
    }
}
