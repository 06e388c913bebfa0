//! Shared run-time state of the KMS stand-in, and [`KmsHandle`], the pub API tests use to
//! change keys, aliases and checks while the server runs and to read the request log.

use core::fmt;
use core::time::Duration;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use super::keys::{KeyState, KmsKey};
use super::log::{KmsRequestRecord, RequestLog};
use super::registry::{Registry, alias_name};

/// Switches that change how requests are checked.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) region: String,
    pub(crate) account: String,
    /// `None` turns the clock-skew check off (for replaying fixed-time vectors).
    pub(crate) max_skew: Option<Duration>,
    pub(crate) check_nonce: bool,
    /// Accept the legacy `STSToken` parameter as a synonym of `SecurityToken`.
    pub(crate) accept_sts_token_param: bool,
}

/// A foreign blob with a fixed plaintext (real KMS blobs from recorded objects). The plaintext
/// is usually a data key, so `Debug` leaves it out.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Fixture {
    pub(crate) key_id: String,
    pub(crate) plaintext: String,
}

impl fmt::Debug for Fixture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fixture")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

/// Remembers nonces per AccessKeyId until they are older than the retention window.
#[derive(Debug, Default)]
pub(crate) struct NonceCache {
    seen: HashMap<(String, String), Instant>,
}

impl NonceCache {
    /// Records a nonce; `false` if it was already seen within `retain`.
    pub(crate) fn insert(&mut self, access_key_id: &str, nonce: &str, retain: Duration) -> bool {
        let now = Instant::now();
        if self.seen.len() > 1024 {
            self.seen.retain(|_, at| now.duration_since(*at) < retain);
        }
        let key = (access_key_id.to_owned(), nonce.to_owned());
        match self.seen.get(&key) {
            Some(at) if now.duration_since(*at) < retain => false,
            _ => {
                self.seen.insert(key, now);
                true
            }
        }
    }
}

#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) registry: Mutex<Registry>,
    pub(crate) settings: Mutex<Settings>,
    pub(crate) fixtures: Mutex<BTreeMap<String, Fixture>>,
    pub(crate) nonces: Mutex<NonceCache>,
    pub(crate) log: Mutex<RequestLog>,
}

/// Locks a mutex; the protected data stays consistent even if a holder panicked.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A handle on a KMS stand-in's keys, switches and request log. Clones share the same state,
/// and changes apply to a running server at once.
#[derive(Debug, Clone)]
pub struct KmsHandle {
    pub(crate) shared: Arc<Shared>,
}

impl KmsHandle {
    pub(crate) fn new(settings: Settings) -> Self {
        let shared = Shared {
            registry: Mutex::new(Registry::default()),
            settings: Mutex::new(settings),
            fixtures: Mutex::new(BTreeMap::new()),
            nonces: Mutex::new(NonceCache::default()),
            log: Mutex::new(RequestLog::default()),
        };
        Self {
            shared: Arc::new(shared),
        }
    }

    pub(crate) fn settings(&self) -> Settings {
        lock(&self.shared.settings).clone()
    }

    /// Adds a key (replacing one with the same id).
    pub fn add_key(&self, key: KmsKey) {
        lock(&self.shared.registry)
            .keys
            .insert(key.id().to_owned(), key);
    }

    /// Points `alias` (`alias/<name>` or just `<name>`) at `key_id`.
    pub fn add_alias(&self, alias: &str, key_id: &str) {
        lock(&self.shared.registry)
            .aliases
            .insert(alias_name(alias), key_id.to_owned());
    }

    /// Removes an alias; `true` if it existed.
    pub fn remove_alias(&self, alias: &str) -> bool {
        lock(&self.shared.registry)
            .aliases
            .remove(&alias_name(alias))
            .is_some()
    }

    /// Removes a key (its blobs then answer `Forbidden.KeyNotFound`); `true` if it existed.
    pub fn remove_key(&self, key_id: &str) -> bool {
        lock(&self.shared.registry).keys.remove(key_id).is_some()
    }

    /// Sets a key's state; `false` if there is no such key.
    pub fn set_key_state(&self, key_id: &str, state: KeyState) -> bool {
        let mut registry = lock(&self.shared.registry);
        registry
            .keys
            .get_mut(key_id)
            .map(|k| k.set_state(state))
            .is_some()
    }

    /// Disables a key (409 `Rejected.Disabled`); `false` if there is no such key.
    pub fn disable_key(&self, key_id: &str) -> bool {
        self.set_key_state(key_id, KeyState::Disabled)
    }

    /// Enables a key; `false` if there is no such key.
    pub fn enable_key(&self, key_id: &str) -> bool {
        self.set_key_state(key_id, KeyState::Enabled)
    }

    /// Adds a version to a key and returns its id; `None` if there is no such key.
    pub fn rotate_key(&self, key_id: &str) -> Option<String> {
        lock(&self.shared.registry)
            .keys
            .get_mut(key_id)
            .map(KmsKey::rotate)
    }

    /// A copy of a key.
    pub fn key(&self, key_id: &str) -> Option<KmsKey> {
        lock(&self.shared.registry).keys.get(key_id).cloned()
    }

    /// Every key id.
    pub fn key_ids(&self) -> Vec<String> {
        lock(&self.shared.registry).keys.keys().cloned().collect()
    }

    /// Adds a foreign blob that decrypts (without EncryptionContext) to `plaintext`.
    pub fn add_fixture(&self, blob: &str, plaintext: &str) {
        let fixture = Fixture {
            key_id: fixture_key_id(blob),
            plaintext: plaintext.to_owned(),
        };
        lock(&self.shared.fixtures).insert(blob.to_owned(), fixture);
    }

    /// Sets the clock-skew window; `None` turns the check off (fixed-time vectors).
    pub fn set_max_skew(&self, max_skew: Option<Duration>) {
        lock(&self.shared.settings).max_skew = max_skew;
    }

    /// Turns the nonce-replay check on or off.
    pub fn set_nonce_check(&self, on: bool) {
        lock(&self.shared.settings).check_nonce = on;
    }

    /// Accepts (or not) the legacy `STSToken` parameter as `SecurityToken`.
    pub fn set_accept_sts_token_param(&self, on: bool) {
        lock(&self.shared.settings).accept_sts_token_param = on;
    }

    /// Every logged request, oldest first.
    pub fn requests(&self) -> Vec<KmsRequestRecord> {
        lock(&self.shared.log).snapshot()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    pub(crate) fn record(&self, record: KmsRequestRecord) {
        lock(&self.shared.log).push(record);
    }
}

/// The key id a foreign blob names: its decoded text up to the end of a leading UUID or
/// `key-…` id, or `"fixture"` when it does not start with one.
fn fixture_key_id(blob: &str) -> String {
    use base64::Engine as _;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(blob)
        .unwrap_or_default();
    let uuid = raw.get(..36).filter(|id| {
        id.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
    });
    uuid.and_then(|id| core::str::from_utf8(id).ok())
        .unwrap_or("fixture")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonce_cache_rejects_replays_per_access_key_within_window() {
        let mut cache = NonceCache::default();
        let window = Duration::from_secs(60);
        assert!(cache.insert("AK", "n1", window));
        assert!(!cache.insert("AK", "n1", window));
        assert!(cache.insert("AK2", "n1", window));
        assert!(cache.insert("AK", "n2", window));
        assert!(
            cache.insert("AK", "n1", Duration::ZERO),
            "expired nonces may be reused"
        );
    }

    #[test]
    fn debug_shows_no_fixture_plaintext_or_key_material() {
        let handle = KmsHandle::new(Settings {
            region: "r".into(),
            account: "a".into(),
            max_skew: None,
            check_nonce: true,
            accept_sts_token_param: false,
        });
        handle.add_fixture("YWJj", "ogO+SR1IiCiBsLxuS5tQVq/OhKQA6uaqoZQfkBcdka4=");
        handle.add_key(KmsKey::new("k").with_material([0x5A; 32]));
        let text = format!("{handle:?}");
        assert!(text.contains("YWJj") && text.contains("\"k\""), "{text}");
        assert!(
            !text.contains("ogO+SR1I") && !text.contains("90, 90"),
            "{text}"
        );
    }

    #[test]
    fn fixture_key_id_is_the_leading_uuid() {
        let blob = "NWI4MTk0MzUtOTBlMS00NWZlLWE3NzUtNDMwNzhjODNkMGM1Z1I5UGpGOGplWVROS1ptOHdqSE1kZFl6V0xvVFJ4RlFBQUFBQUFBQUFBQlFuMWZaOXA3K3VpZU5NN0dqKy9OM1F3PT0=";
        assert_eq!(fixture_key_id(blob), "5b819435-90e1-45fe-a775-43078c83d0c5");
        assert_eq!(fixture_key_id("YWJj"), "fixture");
    }
}
